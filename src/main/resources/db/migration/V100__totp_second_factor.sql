-- The TOTP second factor (io.latchkey.mfa). One authenticator per user: its secret sealed under the master key
-- (a JWE bound to the user id; never stored in clear), pending until the user confirms it with a code. The last
-- time step accepted guards against replay: a code is accepted only for a newer step, by a conditional UPDATE.
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE totp_factors (
    user_id        uuid          NOT NULL,
    secret_sealed  varchar(1024) NOT NULL,
    created_at     timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    confirmed_at   timestamp with time zone DEFAULT NULL,
    last_used_step bigint        DEFAULT NULL,
    CONSTRAINT pk_totp_factors PRIMARY KEY (user_id),
    CONSTRAINT fk_totp_factors_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- Ten single-use recovery codes per enrolled user, stored only as keyed hashes (io.latchkey.keys.TokenHasher),
-- with the id of the master key they were hashed under. A code is spent by setting used_at, conditionally.
CREATE TABLE recovery_codes (
    user_id     uuid        NOT NULL,
    code_hash   varchar(64) NOT NULL,
    hash_key_id varchar(16) DEFAULT NULL,
    created_at  timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    used_at     timestamp with time zone DEFAULT NULL,
    CONSTRAINT pk_recovery_codes PRIMARY KEY (user_id, code_hash),
    CONSTRAINT fk_recovery_codes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
