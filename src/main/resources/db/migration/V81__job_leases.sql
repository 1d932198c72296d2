-- Scheduled jobs that must run on one instance at a time (key rotation, purges): each run takes the job's lease,
-- a row per job, for one period. An instance whose tick finds the lease held by another, unexpired, skips that
-- period; a holder that crashed stops renewing and its lease simply runs out. Times are the database's clock, so
-- instances with different clocks agree. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE job_leases (
    job_name     varchar(100) NOT NULL,
    holder       varchar(200) NOT NULL,
    acquired_at  timestamp with time zone NOT NULL,
    leased_until timestamp with time zone NOT NULL,
    CONSTRAINT pk_job_leases PRIMARY KEY (job_name)
);
