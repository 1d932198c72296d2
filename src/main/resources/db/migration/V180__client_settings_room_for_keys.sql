-- A client's settings now may hold its public keys (jwks, RFC 7591 section 2) besides the rest: room for them.
ALTER TABLE oauth2_registered_client ALTER COLUMN client_settings SET DATA TYPE varchar(20000);
