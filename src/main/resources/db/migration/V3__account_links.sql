-- Single-use links mailed to users (email verification, password reset, email change). Only an HMAC of
-- the link's token is stored.
CREATE TABLE account_links (
    token_hash varchar(64)  NOT NULL,
    user_id    uuid         NOT NULL,
    purpose    varchar(32)  NOT NULL,
    new_email  varchar(320) DEFAULT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at    timestamp with time zone DEFAULT NULL,
    CONSTRAINT pk_account_links PRIMARY KEY (token_hash),
    CONSTRAINT fk_account_links_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_account_links_user ON account_links (user_id, purpose);

ALTER TABLE users ADD COLUMN password_changed_at timestamp with time zone DEFAULT NULL;
