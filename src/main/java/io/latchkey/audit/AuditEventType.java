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

    // passkeys (issue 14, io.latchkey.passkey); the subject is the passkey's name where there is one
    PASSKEY_REGISTERED,
    PASSKEY_RENAMED,
    PASSKEY_DELETED,
    PASSKEY_SIGNED_IN,
    /** A passkey sign-in that was refused; the details say why, never what was sent. */
    PASSKEY_SIGN_IN_FAILED,
    /** The user went passwordless: the account's password was removed. */
    PASSWORD_REMOVED
}
