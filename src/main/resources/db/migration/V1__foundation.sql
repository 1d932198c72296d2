-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode (the embedded evaluation default).

-- Spring Security's JDBC registered-client store, with PostgreSQL types as its schema comments advise.
CREATE TABLE oauth2_registered_client (
    id                            varchar(100)  NOT NULL,
    client_id                     varchar(100)  NOT NULL,
    client_id_issued_at           timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    client_secret                 varchar(200)  DEFAULT NULL,
    client_secret_expires_at      timestamp with time zone DEFAULT NULL,
    client_name                   varchar(200)  NOT NULL,
    client_authentication_methods varchar(1000) NOT NULL,
    authorization_grant_types     varchar(1000) NOT NULL,
    redirect_uris                 varchar(1000) DEFAULT NULL,
    post_logout_redirect_uris     varchar(1000) DEFAULT NULL,
    scopes                        varchar(1000) NOT NULL,
    client_settings               varchar(2000) NOT NULL,
    token_settings                varchar(2000) NOT NULL,
    CONSTRAINT pk_oauth2_registered_client PRIMARY KEY (id),
    CONSTRAINT uq_oauth2_registered_client_client_id UNIQUE (client_id)
);

CREATE TABLE oauth2_authorization (
    id                            varchar(100) NOT NULL,
    registered_client_id          varchar(100) NOT NULL,
    principal_name                varchar(200) NOT NULL,
    authorization_grant_type      varchar(100) NOT NULL,
    authorized_scopes             varchar(1000) DEFAULT NULL,
    attributes                    text DEFAULT NULL,
    state                         varchar(500) DEFAULT NULL,
    authorization_code_value      text DEFAULT NULL,
    authorization_code_issued_at  timestamp with time zone DEFAULT NULL,
    authorization_code_expires_at timestamp with time zone DEFAULT NULL,
    authorization_code_metadata   text DEFAULT NULL,
    access_token_value            text DEFAULT NULL,
    access_token_issued_at        timestamp with time zone DEFAULT NULL,
    access_token_expires_at       timestamp with time zone DEFAULT NULL,
    access_token_metadata         text DEFAULT NULL,
    access_token_type             varchar(100) DEFAULT NULL,
    access_token_scopes           varchar(1000) DEFAULT NULL,
    oidc_id_token_value           text DEFAULT NULL,
    oidc_id_token_issued_at       timestamp with time zone DEFAULT NULL,
    oidc_id_token_expires_at      timestamp with time zone DEFAULT NULL,
    oidc_id_token_metadata        text DEFAULT NULL,
    refresh_token_value           text DEFAULT NULL,
    refresh_token_issued_at       timestamp with time zone DEFAULT NULL,
    refresh_token_expires_at      timestamp with time zone DEFAULT NULL,
    refresh_token_metadata        text DEFAULT NULL,
    user_code_value               text DEFAULT NULL,
    user_code_issued_at           timestamp with time zone DEFAULT NULL,
    user_code_expires_at          timestamp with time zone DEFAULT NULL,
    user_code_metadata            text DEFAULT NULL,
    device_code_value             text DEFAULT NULL,
    device_code_issued_at         timestamp with time zone DEFAULT NULL,
    device_code_expires_at        timestamp with time zone DEFAULT NULL,
    device_code_metadata          text DEFAULT NULL,
    CONSTRAINT pk_oauth2_authorization PRIMARY KEY (id)
);

CREATE INDEX ix_oauth2_authorization_client_principal
    ON oauth2_authorization (registered_client_id, principal_name);

CREATE TABLE oauth2_authorization_consent (
    registered_client_id varchar(100)  NOT NULL,
    principal_name       varchar(200)  NOT NULL,
    authorities          varchar(1000) NOT NULL,
    CONSTRAINT pk_oauth2_authorization_consent PRIMARY KEY (registered_client_id, principal_name)
);

-- People who sign in. The email is stored as entered; email_normalized (lower case) is what makes it unique.
CREATE TABLE users (
    id               uuid          NOT NULL,
    email            varchar(320)  NOT NULL,
    email_normalized varchar(320)  NOT NULL,
    email_verified   boolean       DEFAULT FALSE NOT NULL,
    name             varchar(200)  DEFAULT NULL,
    password_hash    varchar(200)  DEFAULT NULL,
    enabled          boolean       DEFAULT TRUE NOT NULL,
    locked           boolean       DEFAULT FALSE NOT NULL,
    created_at       timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at       timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_login_at    timestamp with time zone DEFAULT NULL,
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email_normalized UNIQUE (email_normalized)
);

CREATE TABLE roles (
    name        varchar(64)  NOT NULL,
    description varchar(200) DEFAULT NULL,
    CONSTRAINT pk_roles PRIMARY KEY (name)
);

INSERT INTO roles (name, description) VALUES ('admin', 'Manages clients, users and roles');
INSERT INTO roles (name, description) VALUES ('user', 'Every signed-up user');

CREATE TABLE user_roles (
    user_id   uuid        NOT NULL,
    role_name varchar(64) NOT NULL,
    CONSTRAINT pk_user_roles PRIMARY KEY (user_id, role_name),
    CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_user_roles_role FOREIGN KEY (role_name) REFERENCES roles (name) ON DELETE CASCADE
);

-- Token signing keys. The private JWK is kept only as a JWE (dir + A256GCM) under the master key.
CREATE TABLE signing_keys (
    kid                   varchar(64)  NOT NULL,
    algorithm             varchar(16)  NOT NULL,
    public_jwk            text         NOT NULL,
    private_jwk_encrypted text         NOT NULL,
    created_at            timestamp with time zone NOT NULL,
    retired_at            timestamp with time zone DEFAULT NULL,
    published_until       timestamp with time zone DEFAULT NULL,
    CONSTRAINT pk_signing_keys PRIMARY KEY (kid)
);

-- One row, locked with SELECT ... FOR UPDATE so that only one instance rotates keys at a time.
CREATE TABLE signing_key_rotation_lock (
    id integer NOT NULL,
    CONSTRAINT pk_signing_key_rotation_lock PRIMARY KEY (id)
);
INSERT INTO signing_key_rotation_lock (id) VALUES (1);
