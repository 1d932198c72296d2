-- Undo links for email changes. An undo link carries the address it restores in new_email; while it can be
-- used, that address stays reserved for its account (no registration or email change can take it), which
-- the normalized copy and its index let the server check in one lookup. Runs unchanged on PostgreSQL and on
-- H2 in PostgreSQL mode.
ALTER TABLE account_links ADD COLUMN new_email_normalized varchar(320) DEFAULT NULL;

CREATE INDEX ix_account_links_new_email ON account_links (new_email_normalized);
