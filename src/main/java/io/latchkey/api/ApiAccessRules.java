package io.latchkey.api;

import io.latchkey.account.Permissions;
import io.latchkey.oauth.ApiScopes;

/**
 * Who may call what, as {@code @PreAuthorize} expressions over the authorities {@link ApiTokenAuthentication}
 * grants. A token reaches these rules only if it is for the API at all (its audience); then an admin
 * operation needs the scope {@value ApiScopes#ADMIN}, granted by the user's consent to a client declared with
 * it, and the user's own permission, and a sign-in with a second factor or passkey when the user has one
 * ({@link AdminSignInStrength}); the user's own account needs {@value ApiScopes#ACCOUNT} or a token of
 * the first-party API client.
 */
final class ApiAccessRules {

    static final String FIRST_PARTY_CLIENT = "FIRST_PARTY_CLIENT";
    static final String SCOPE_PREFIX = "SCOPE_";

    static final String OWN_ACCOUNT = "hasAuthority('" + SCOPE_PREFIX + ApiScopes.ACCOUNT + "') or hasAuthority('"
            + FIRST_PARTY_CLIENT + "')";

    private static final String ADMIN = "hasAuthority('" + SCOPE_PREFIX + ApiScopes.ADMIN + "') and ";
    /** The user's permission; a refusal, like every 403 of the API, is recorded as {@code ACCESS_DENIED}. */
    private static final String PERMISSION = "hasAuthority('" + ApiTokenAuthentication.PERMISSION_PREFIX;
    /** Last, so that only a caller the scope and permission allow hears that a stronger sign-in would do. */
    private static final String STRONG_SIGN_IN = " and @" + AdminSignInStrength.BEAN + ".check(authentication)";
    static final String USERS_READ = ADMIN + PERMISSION + Permissions.USERS_READ + "')" + STRONG_SIGN_IN;
    static final String USERS_WRITE = ADMIN + PERMISSION + Permissions.USERS_WRITE + "')" + STRONG_SIGN_IN;
    static final String ROLES_READ = ADMIN + PERMISSION + Permissions.ROLES_READ + "')" + STRONG_SIGN_IN;
    static final String ROLES_WRITE = ADMIN + PERMISSION + Permissions.ROLES_WRITE + "')" + STRONG_SIGN_IN;
    static final String CLIENTS_READ = ADMIN + PERMISSION + Permissions.CLIENTS_READ + "')" + STRONG_SIGN_IN;
    static final String CLIENTS_WRITE = ADMIN + PERMISSION + Permissions.CLIENTS_WRITE + "')" + STRONG_SIGN_IN;
    static final String KEYS_READ = ADMIN + PERMISSION + Permissions.KEYS_READ + "')" + STRONG_SIGN_IN;
    static final String KEYS_ROTATE = ADMIN + PERMISSION + Permissions.KEYS_ROTATE + "')" + STRONG_SIGN_IN;
    static final String AUDIT_READ = ADMIN + PERMISSION + Permissions.AUDIT_READ + "')" + STRONG_SIGN_IN;
    static final String CONFIG_EXPORT = ADMIN + PERMISSION + Permissions.CONFIG_EXPORT + "')" + STRONG_SIGN_IN;
    static final String CONFIG_IMPORT = ADMIN + PERMISSION + Permissions.CONFIG_IMPORT + "')" + STRONG_SIGN_IN;

    private ApiAccessRules() {
    }

    /**
     * Whether the caller holds a permission, for an operation whose need depends on its request (exporting users too);
     * a refusal thrown as {@code AccessDeniedException} is answered and recorded like every other 403.
     */
    static boolean holds(org.springframework.security.core.Authentication authentication, String permission) {
        String authority = ApiTokenAuthentication.PERMISSION_PREFIX + permission;
        return authentication != null
                && authentication.getAuthorities().stream().anyMatch(granted -> authority.equals(granted.getAuthority()));
    }
}
