-- A user who must replace their password before doing anything else: the first administrator whose password
-- was generated and shown in the startup summary (io.latchkey.account.PasswordChangeRequired).
ALTER TABLE users ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE;
