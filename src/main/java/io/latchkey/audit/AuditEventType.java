package io.latchkey.audit;

/** What happened. Stored by name, so constants may be added but never renamed. */
public enum AuditEventType {
    USER_REGISTERED,
    EMAIL_VERIFIED,
    LOGIN_SUCCEEDED,
    LOGIN_FAILED,
    PASSWORD_CHANGED,
    PASSWORD_RESET_REQUESTED,
    PASSWORD_RESET_COMPLETED,
    EMAIL_CHANGED,
    CONSENT_REVOKED,
    REFRESH_TOKEN_REUSED,
    ACCESS_DENIED,
    ACCOUNT_LOCKED,
    ACCOUNT_DISABLED,
    ACCOUNT_ENABLED,
    ACCOUNT_DELETED,
    ROLES_CHANGED,
    EMAIL_CHANGE_UNDONE,
    CLIENT_DISABLED,
    CLIENT_ENABLED,
    /** A logout token was delivered to a client's back-channel logout URI (subject: the client id). */
    BACKCHANNEL_LOGOUT_DELIVERED,
    /** An attempt to deliver a logout token failed; the details say whether it will be tried again. */
    BACKCHANNEL_LOGOUT_FAILED,

    // issue 14, the TOTP second factor (io.latchkey.mfa)
    /** A user confirmed a TOTP authenticator: the account now has a second factor. */
    SECOND_FACTOR_ENROLLED,
    /** A user removed their TOTP authenticator (with a fresh code). */
    SECOND_FACTOR_DISABLED,
    /** A user replaced their recovery codes (with a fresh code). */
    RECOVERY_CODES_REGENERATED,
    /** A recovery code was spent; the details say how many are left. */
    RECOVERY_CODE_USED,
    /** A wrong, malformed, replayed or spent second-factor code was refused. */
    SECOND_FACTOR_CODE_REFUSED,
    /** A second-factor code was not checked: the client or account is over its attempt limit. */
    SECOND_FACTOR_THROTTLED,

    // Issue 14, first-party apps: the authorization challenge endpoint (io.latchkey.oauth.challenge)
    /** A first-party client sent a username and password to the authorization challenge endpoint (subject: client). */
    AUTHORIZATION_CHALLENGE_STARTED,
    /** The password was right and the user must still give a second factor: an auth_session was issued. */
    AUTHORIZATION_CHALLENGE_SECOND_FACTOR_NEEDED,
    /** The flow ended with an authorization code for the client; the details name the factors proved. */
    AUTHORIZATION_CHALLENGE_COMPLETED,
    /** A request of the flow was refused after the client was known; the details say why. */
    AUTHORIZATION_CHALLENGE_REFUSED,

    // passkeys (issue 14, io.latchkey.passkey); the subject is the passkey's name where there is one
    PASSKEY_REGISTERED,
    PASSKEY_RENAMED,
    PASSKEY_DELETED,
    PASSKEY_SIGNED_IN,
    /** A passkey sign-in that was refused; the details say why, never what was sent. */
    PASSKEY_SIGN_IN_FAILED,
    /** The user went passwordless: the account's password was removed. */
    PASSWORD_REMOVED,

    // issue 15, administration (io.latchkey.admin, the admin API, dynamic registration). For these events the subject
    // is the target ("client:<id>", "user:<uuid>", "role:<name>", "key:<kid>"), and the details hold "actor" (the acting
    // user's id, or "client:<id>" for a registration access token or initial access token) and "outcome". A refused
    // admin page or admin API operation is ACCESS_DENIED (above), with the path and, on the console, the permission.

    // issue 15, clients made and run while running (io.latchkey.client.ClientAdministration); CLIENT_DISABLED and
    // CLIENT_ENABLED above also serve
    CLIENT_CREATED,
    CLIENT_UPDATED,
    CLIENT_DELETED,
    /** A client got a new secret; the details give the overlap in which the previous one still works. */
    CLIENT_SECRET_ROTATED,
    /** The previous secret of a client stopped working before its overlap ended. */
    CLIENT_SECRET_OVERLAP_ENDED,

    // issue 15, users and roles (io.latchkey.account's UserAdministration and RoleAdministration): subject "user:<uuid>"
    // or "role:<name>", details "actor" and "outcome" as above. ACCOUNT_DISABLED, ACCOUNT_ENABLED, ACCOUNT_DELETED and
    // ROLES_CHANGED follow the same convention when an administrator causes them.
    /** An administrator ended a temporary or permanent lock of the account. */
    USER_UNLOCKED,
    /** An administrator ended one of the user's sessions (details: none of the session's id). */
    USER_SESSION_REVOKED,
    /** An administrator signed the user out everywhere: every session ended, every token revoked. */
    USER_SESSIONS_REVOKED,
    /** An administrator withdrew the user's consent to a client and revoked its tokens (details: client). */
    USER_CONSENT_REVOKED,
    /** An administrator deleted one of the user's passkeys (details: the passkey's name). */
    USER_PASSKEY_DELETED,
    /** An administrator removed the user's second factor and recovery codes. */
    USER_SECOND_FACTOR_REMOVED,
    /** An administrator had a password reset link mailed to the user; the password stays as it is. */
    USER_RESET_MAIL_SENT,
    /** An administrator cleared the user's password, ended their sessions and tokens, and mailed a reset link. */
    USER_PASSWORD_RESET_FORCED,
    /** A role was created (details: its permissions). */
    ROLE_CREATED,
    /** A role was deleted; its members lost it. */
    ROLE_DELETED,
    /** A role's permissions were replaced (details: the new ones). */
    ROLE_PERMISSIONS_CHANGED,

    // issue 15, signing keys and the audit trail (io.latchkey.keys, io.latchkey.audit)
    /** An admin rotated the signing key (subject: "key:<the new kid>"; the details name the retired kid). */
    SIGNING_KEY_ROTATED,
    /** An admin exported audit events; the details hold the format, the filter and how many rows went out. */
    AUDIT_EXPORTED,

    // issue 15, configuration as code (io.latchkey.config); subject "configuration"
    /** Clients and roles (and, when the details say withUsers, users with their password hashes) were exported. */
    CONFIGURATION_EXPORTED,
    /** A configuration document was imported (or planned: dryRun); the details count what was created and updated. */
    CONFIGURATION_IMPORTED,

    // issue 15, dynamic client registration (io.latchkey.clientregistration): CLIENT_CREATED, CLIENT_UPDATED and
    // CLIENT_DELETED come from ClientAdministration with the actor "client:<initial client id>", "client:<registered
    // id>" or "anonymous" (open registration)
    /**
     * A registration, or a read, change or deletion at a client configuration endpoint, was refused; the details
     * give the "reason" (an RFC 7591/7592/6750 error code), never a token. The subject is "client:<id>" when the
     * request named one, else "registration".
     */
    CLIENT_REGISTRATION_REFUSED,
    // issue 15, clients in the console and the admin API
    /**
     * An admin's change to a client was refused: the client is declared in configuration, or the change breaks the
     * rules for clients; the details name the action and the properties at fault, never their values.
     */
    CLIENT_CHANGE_REFUSED,

    // issue 16, the device authorization grant (io.latchkey.oauth.device); the subject is the client id
    /** A signed-in user approved a device's authorization on the activation page; the details list the scopes. */
    DEVICE_AUTHORIZATION_APPROVED,
    /** A signed-in user denied a device's authorization on the activation page. */
    DEVICE_AUTHORIZATION_DENIED,
    // issue 16, token exchange (io.latchkey.oauth.exchange)
    /**
     * A client asked to exchange a user's access token for one for another service (RFC 8693); the subject is
     * "client:<id>", the user the token's, the details the outcome and, granted, the "target" and "scope", refused,
     * the "reason" (an OAuth error code), never a token.
     */
    TOKEN_EXCHANGED
}
