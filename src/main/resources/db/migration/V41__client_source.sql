-- Where a registered client comes from: 'configuration' (latchkey.clients.*, upserted at every start; disabled at
-- start once it is no longer declared) or 'runtime' (created while running; never touched by the configuration).
-- Until this version every client came from the configuration (the evaluation demo client included).
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
ALTER TABLE oauth2_registered_client ADD COLUMN source varchar(16) DEFAULT 'runtime' NOT NULL;
UPDATE oauth2_registered_client SET source = 'configuration';
