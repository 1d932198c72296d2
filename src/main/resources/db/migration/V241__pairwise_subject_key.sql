-- The secret that pairwise subject identifiers (OpenID Connect Core 8.1) are keyed hashes under: one row, made on
-- first use, sealed with the master key (re-sealed when the master key rotates), so that every instance computes the
-- same identifiers, across restarts and master key rotations, and a database dump alone cannot link them to users.
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE pairwise_subject_key (
    id         smallint NOT NULL,
    sealed_key varchar(1000) NOT NULL,
    CONSTRAINT pk_pairwise_subject_key PRIMARY KEY (id),
    CONSTRAINT ck_pairwise_subject_key_single CHECK (id = 1)
);
