-- Master-key rotation: each hashed row records the id of the master key its hash was made under (an id derived
-- from the key, never the key itself). Lookups try the hash under the current and every previous master key, so
-- rows hashed under a previous key keep working until they expire; the id tells an operator when none is left
-- and the previous key can be dropped. NULL: written before master keys had ids (under the key of that time).
-- Signing keys need no column: their sealed JWE names its master key in the kid header.
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
ALTER TABLE authorization_tokens ADD COLUMN hash_key_id varchar(16) DEFAULT NULL;
ALTER TABLE account_links ADD COLUMN hash_key_id varchar(16) DEFAULT NULL;
