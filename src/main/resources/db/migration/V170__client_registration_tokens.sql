-- Dynamic client registration (RFC 7591, RFC 7592): the registration access token of each dynamically registered
-- client, stored only as a keyed hash (HMAC-SHA-256 under the master key, like every other token), with the id of
-- the master key it was made under. One token per client; a new one replaces it. Deleting the client deletes its
-- token (the foreign key), whoever deletes it: the registration access token, the console or the admin API.
-- token_endpoint_auth_method keeps what the client registered (client_secret_basic or client_secret_post), which
-- the client store does not: it accepts both from every confidential client; registered_openly says that the client
-- was registered without an initial access token (open registration), whose limits then hold for its updates too.
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE client_registration_tokens (
    client_id                  varchar(100) NOT NULL,
    token_hash                 varchar(64)  NOT NULL,
    hash_key_id                varchar(16)  DEFAULT NULL,
    token_endpoint_auth_method varchar(40)  NOT NULL,
    registered_openly          boolean      DEFAULT FALSE NOT NULL,
    issued_at                  timestamp with time zone NOT NULL,
    CONSTRAINT pk_client_registration_tokens PRIMARY KEY (client_id),
    CONSTRAINT uq_client_registration_tokens_hash UNIQUE (token_hash),
    CONSTRAINT fk_client_registration_tokens_client FOREIGN KEY (client_id)
        REFERENCES oauth2_registered_client (client_id) ON DELETE CASCADE
);
