-- The admin console's and admin API's filters of the audit trail (issue 15): by type over a time range (also the
-- dashboard's hourly sign-in counts) and by subject ("client:<id>", "key:<kid>"). Filters by user use
-- ix_audit_events_user_occurred_at (V4); the retention purge uses ix_audit_events_occurred_at (V4).
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE INDEX ix_audit_events_type_occurred_at ON audit_events (type, occurred_at);
CREATE INDEX ix_audit_events_subject_occurred_at ON audit_events (subject, occurred_at);
