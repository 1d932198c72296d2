-- Latchkey's own authorization store. Token values are never stored: each token is kept as an HMAC-SHA-256
-- of its value (keyed from the master key), one indexed row per token, so every lookup by token value is one
-- primary-key probe, and a database dump holds nothing a client could present.
DROP TABLE oauth2_authorization;

CREATE TABLE authorizations (
    id                   varchar(100)  NOT NULL,
    registered_client_id varchar(100)  NOT NULL,
    principal_name       varchar(200)  NOT NULL,
    grant_type           varchar(100)  NOT NULL,
    authorized_scopes    varchar(1000) DEFAULT NULL,
    attributes           text          DEFAULT NULL,
    version              integer       DEFAULT 0 NOT NULL,
    created_at           timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    -- when nothing in this authorization can be used any more (every token expired or revoked)
    expires_at           timestamp with time zone NOT NULL,
    CONSTRAINT pk_authorizations PRIMARY KEY (id)
);

CREATE INDEX ix_authorizations_expires_at ON authorizations (expires_at);
CREATE INDEX ix_authorizations_client_principal ON authorizations (registered_client_id, principal_name);

CREATE TABLE authorization_tokens (
    token_hash       varchar(64)  NOT NULL,
    authorization_id varchar(100) NOT NULL,
    token_type       varchar(32)  NOT NULL,
    issued_at        timestamp with time zone DEFAULT NULL,
    expires_at       timestamp with time zone DEFAULT NULL,
    invalidated      boolean      DEFAULT FALSE NOT NULL,
    -- a token replaced by a newer one of the same type (a rotated refresh token) stays for reuse detection
    current_token    boolean      DEFAULT TRUE NOT NULL,
    metadata         text         DEFAULT NULL,
    CONSTRAINT pk_authorization_tokens PRIMARY KEY (token_hash),
    CONSTRAINT fk_authorization_tokens_authorization FOREIGN KEY (authorization_id)
        REFERENCES authorizations (id) ON DELETE CASCADE
);

CREATE INDEX ix_authorization_tokens_authorization ON authorization_tokens (authorization_id);
