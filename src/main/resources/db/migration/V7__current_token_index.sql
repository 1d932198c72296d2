-- Lookups read an authorization's current tokens only. Rotated refresh tokens stay for reuse detection, so a
-- long-lived sign-in gathers many non-current rows; indexing current_token as well keeps those out of the scan.
DROP INDEX ix_authorization_tokens_authorization;
CREATE INDEX ix_authorization_tokens_current ON authorization_tokens (authorization_id, current_token);
