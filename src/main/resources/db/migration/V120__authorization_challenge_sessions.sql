-- The auth_session of the authorization challenge endpoint (OAuth 2.0 for First-Party Applications): a user who
-- gave the right password and must still give a second factor. Only a keyed hash of the value is stored
-- (io.latchkey.keys.TokenHasher, hash_key_id naming the master key it was made under); a row lives a few minutes,
-- belongs to one client and one user, and is deleted when the code is accepted or after too many wrong codes.
CREATE TABLE authorization_challenge_sessions (
    session_hash    varchar(64)              NOT NULL,
    hash_key_id     varchar(64)              NOT NULL,
    client_id       varchar(100)             NOT NULL,
    user_id         uuid                     NOT NULL,
    scopes          text                     NOT NULL,
    authorities     text                     NOT NULL,
    code_challenge  varchar(128)             NOT NULL,
    password_at     timestamp with time zone NOT NULL,
    failed_codes    integer                  NOT NULL DEFAULT 0,
    expires_at      timestamp with time zone NOT NULL,
    CONSTRAINT pk_authorization_challenge_sessions PRIMARY KEY (session_hash),
    CONSTRAINT fk_authorization_challenge_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_authorization_challenge_sessions_expires ON authorization_challenge_sessions (expires_at);
