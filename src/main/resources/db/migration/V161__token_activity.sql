-- Tokens issued and token requests refused, counted per hour (UTC), client and grant type or error code (issue 15,
-- the admin dashboard). Each instance counts in memory and adds its counts here about once a minute, so no token
-- costs a write of its own. Rows older than 8 days are deleted. Runs unchanged on PostgreSQL and on H2 in
-- PostgreSQL mode.
CREATE TABLE token_activity (
    hour_start timestamp with time zone NOT NULL,
    -- a registered client's id, or "unknown" when the request named no registered client
    client_id  varchar(200) NOT NULL,
    -- "issued" or "refused"
    outcome    varchar(16)  NOT NULL,
    -- the grant type of an issued token, the OAuth error code of a refusal
    detail     varchar(64)  NOT NULL,
    total      bigint       NOT NULL,
    CONSTRAINT pk_token_activity PRIMARY KEY (hour_start, client_id, outcome, detail)
);
