-- Client assertions (private_key_jwt, RFC 7523 section 3 item 7) are single use across every instance: one row per
-- assertion accepted, by the keyed hash of its client id and jti, kept until the assertion has expired and then
-- purged. A second insert of the same hash is a replay.
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE used_client_assertions (
    assertion_hash varchar(64)  NOT NULL,
    key_id         varchar(64)  NOT NULL,
    expires_at     timestamp with time zone NOT NULL,
    CONSTRAINT pk_used_client_assertions PRIMARY KEY (assertion_hash)
);

CREATE INDEX ix_used_client_assertions_expires_at ON used_client_assertions (expires_at);
