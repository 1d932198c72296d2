-- OpenID Connect Back-Channel Logout 1.0 (io.latchkey.logout). Runs unchanged on PostgreSQL and on H2 in
-- PostgreSQL mode.

-- Which clients got an ID token in which browser session. sid is the ID token's sid (base64url of the SHA-256
-- of the session id, never the session id itself); subject is the user's id (the token's sub). A row lives until
-- the session ends on purpose (then logout tokens are queued and the row goes) or until nothing was issued in the
-- session for latchkey.backchannel-logout.session-retention.
CREATE TABLE backchannel_logout_sessions (
    sid            varchar(64)  NOT NULL,
    client_id      varchar(100) NOT NULL,
    subject        varchar(200) NOT NULL,
    last_issued_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_backchannel_logout_sessions PRIMARY KEY (sid, client_id)
);

CREATE INDEX ix_backchannel_logout_sessions_last_issued_at ON backchannel_logout_sessions (last_issued_at);

-- The outbox: one row per logout token to deliver, written in the same transaction that learns of the ended
-- session, so that any instance can deliver it and nothing is lost on a restart. An instance claims due rows with
-- SELECT ... FOR UPDATE SKIP LOCKED and moves next_attempt_at past the attempt (a lease), so that a row whose
-- instance died is tried again by another. status: pending, delivered or failed (gave up).
CREATE TABLE backchannel_logout_deliveries (
    id               uuid         NOT NULL,
    client_id        varchar(100) NOT NULL,
    subject          varchar(200) NOT NULL,
    sid              varchar(64)  NOT NULL,
    status           varchar(16)  NOT NULL,
    attempts         integer      DEFAULT 0 NOT NULL,
    next_attempt_at  timestamp with time zone NOT NULL,
    last_attempt_at  timestamp with time zone DEFAULT NULL,
    last_http_status integer      DEFAULT NULL,
    last_error       varchar(200) DEFAULT NULL,
    created_at       timestamp with time zone NOT NULL,
    delivered_at     timestamp with time zone DEFAULT NULL,
    CONSTRAINT pk_backchannel_logout_deliveries PRIMARY KEY (id)
);

CREATE INDEX ix_backchannel_logout_deliveries_due ON backchannel_logout_deliveries (status, next_attempt_at);
CREATE INDEX ix_backchannel_logout_deliveries_created_at ON backchannel_logout_deliveries (created_at);
