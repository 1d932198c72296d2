-- The device authorization grant (RFC 8628 section 3.5): when each device code last polled the token endpoint, and
-- the interval it must keep (raised by 5 seconds at each slow_down). Kept in the database so that every instance
-- answers a device alike. The device code appears only as its keyed hash (the hash the token store keeps of it);
-- a row is deleted a while after its code expired. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE device_code_polls (
    code_hash        varchar(64) NOT NULL,
    last_poll_at     timestamp with time zone NOT NULL,
    interval_seconds integer     NOT NULL,
    expires_at       timestamp with time zone NOT NULL,
    CONSTRAINT pk_device_code_polls PRIMARY KEY (code_hash)
);
CREATE INDEX ix_device_code_polls_expires_at ON device_code_polls (expires_at);
