-- Security-relevant events (sign-ins, password and email changes, revocations). Runs unchanged on PostgreSQL
-- and on H2 in PostgreSQL mode. Rows never hold secrets: details is a small JSON object of plain facts.
-- (V3 is taken by another change.)
CREATE TABLE audit_events (
    id          uuid         NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    type        varchar(64)  NOT NULL,
    user_id     uuid         DEFAULT NULL,
    -- what was acted on when it is not (only) a user: the email tried at a failed sign-in, a client id
    subject     varchar(320) DEFAULT NULL,
    client_ip   varchar(64)  DEFAULT NULL,
    user_agent  varchar(300) DEFAULT NULL,
    details     text         DEFAULT NULL,
    CONSTRAINT pk_audit_events PRIMARY KEY (id)
);

CREATE INDEX ix_audit_events_user_occurred_at ON audit_events (user_id, occurred_at);
CREATE INDEX ix_audit_events_occurred_at ON audit_events (occurred_at);
