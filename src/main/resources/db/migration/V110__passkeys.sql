-- Passkeys (io.latchkey.passkey): the WebAuthn user handle of each account that registered one, and its
-- credentials. Adapted from Spring Security's user_entities / user_credentials schema: binary values as bytea
-- rather than base64 text, the account linked by users.id (both go with the account), a name the user chose, and
-- when each credential was made and last used.
CREATE TABLE passkey_user_entities (
    user_handle bytea        NOT NULL,
    user_id     uuid         NOT NULL,
    created_at  timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT pk_passkey_user_entities PRIMARY KEY (user_handle),
    CONSTRAINT uq_passkey_user_entities_user UNIQUE (user_id),
    CONSTRAINT fk_passkey_user_entities_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE passkey_credentials (
    credential_id                bytea        NOT NULL,
    user_id                      uuid         NOT NULL,
    user_handle                  bytea        NOT NULL,
    name                         varchar(64)  NOT NULL,
    public_key                   bytea        NOT NULL,
    signature_count              bigint       NOT NULL,
    uv_initialized               boolean      NOT NULL,
    backup_eligible              boolean      NOT NULL,
    backup_state                 boolean      NOT NULL,
    transports                   varchar(200) DEFAULT NULL,
    credential_type              varchar(32)  NOT NULL,
    attestation_object           bytea        DEFAULT NULL,
    attestation_client_data_json bytea        DEFAULT NULL,
    created_at                   timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_used_at                 timestamp with time zone DEFAULT NULL,
    CONSTRAINT pk_passkey_credentials PRIMARY KEY (credential_id),
    CONSTRAINT fk_passkey_credentials_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_passkey_credentials_handle FOREIGN KEY (user_handle)
        REFERENCES passkey_user_entities (user_handle) ON DELETE CASCADE
);

CREATE INDEX ix_passkey_credentials_user ON passkey_credentials (user_id);
