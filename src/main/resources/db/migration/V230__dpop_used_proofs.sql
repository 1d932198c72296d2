-- DPoP proofs already used (RFC 9449 section 11.1): one row per proof, keyed by the SHA-256 of the proof key's
-- thumbprint and the proof's jti, kept until the proof could no longer pass the iat check anyway. A second insert
-- of the same key is a replay, on whichever instance it arrives. Runs on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE dpop_used_proofs (
    proof_hash varchar(64) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_dpop_used_proofs PRIMARY KEY (proof_hash)
);
CREATE INDEX idx_dpop_used_proofs_expires_at ON dpop_used_proofs (expires_at);
