package io.latchkey.account;

import java.util.List;

/**
 * The applications a user has connected: the consents they gave and the tokens issued under them. The account
 * rules decide when these end (a password reset, a disabled or deleted account, the account page's "revoke");
 * the token store, which keeps them, implements this, so the account module does not depend on it.
 */
public interface ConnectedApplications {

    /** Applications the user consented to, with the scopes granted. */
    List<ConnectedApplication> consentedApplications(String principalName);

    /** Withdraws consent from one application and revokes every token it holds for the user; false when none. */
    boolean revoke(String principalName, String clientId);

    /** Revokes every token issued to any application for the user. */
    void revokeAllTokens(String principalName);

    /**
     * Revokes every token issued for the user except those of the sign-in that {@code keptAccessToken} was
     * issued from; every token when it is null, unknown or another user's.
     */
    void revokeAllTokensExcept(String principalName, String keptAccessToken);

    /** Withdraws every consent the user gave and revokes every token issued for them. */
    void withdrawAll(String principalName);

    /** One application the user consented to, as the account page lists it. */
    record ConnectedApplication(String clientId, String clientName, List<String> scopes) {
    }
}
