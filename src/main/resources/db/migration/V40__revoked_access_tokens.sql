-- The deny list of stateless access tokens (client-credentials JWTs that are never stored) revoked before they
-- expire: one row per revoked token, by its jti, kept until the token has expired and then purged. Every instance
-- holds the list in memory and reads the rows recorded since its last look every few seconds.
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE revoked_access_tokens (
    jti        varchar(100) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    -- the database's clock, so that instances with different clocks agree on what is new
    revoked_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT pk_revoked_access_tokens PRIMARY KEY (jti)
);

CREATE INDEX ix_revoked_access_tokens_revoked_at ON revoked_access_tokens (revoked_at);
CREATE INDEX ix_revoked_access_tokens_expires_at ON revoked_access_tokens (expires_at);
