-- Rate limits and temporary account locks. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

-- Token buckets of Bucket4j's PostgreSQL proxy manager (select-for-update variant): one row per limited key
-- (for example a client IP, or the hash of an email address), shared by every Latchkey instance.
-- state is Bucket4j's serialized bucket; expires_at (epoch milliseconds) is when a full bucket can be deleted.
CREATE TABLE rate_limit_buckets (
    id         varchar(128) NOT NULL,
    state      bytea        DEFAULT NULL,
    expires_at bigint       DEFAULT NULL,
    CONSTRAINT pk_rate_limit_buckets PRIMARY KEY (id)
);

CREATE INDEX ix_rate_limit_buckets_expires_at ON rate_limit_buckets (expires_at);

-- A temporary lock after too many failed sign-ins: the account refuses every sign-in until then.
ALTER TABLE users ADD COLUMN locked_until timestamp with time zone DEFAULT NULL;
