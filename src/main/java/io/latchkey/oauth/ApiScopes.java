package io.latchkey.oauth;

/**
 * The scopes of Latchkey's own API ({@code /api/v1}). A client gets one only if it is declared with it
 * ({@code latchkey.clients.<id>.scopes}) and, in the code flow, the user consents to it.
 */
public final class ApiScopes {

    /** The signed-in user's own account: {@code /api/v1/users/me}. */
    public static final String ACCOUNT = "latchkey.account";

    /** Administration as the signed-in user, within that user's permissions: {@code /api/v1/users}. */
    public static final String ADMIN = "latchkey.admin";

    private ApiScopes() {
    }

    static boolean isApiScope(String scope) {
        return ACCOUNT.equals(scope) || ADMIN.equals(scope);
    }
}
