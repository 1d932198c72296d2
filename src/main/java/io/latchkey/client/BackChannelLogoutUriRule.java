package io.latchkey.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where Latchkey may POST logout tokens (OpenID Connect Back-Channel Logout 1.0 section 2.2): the rules of
 * {@link RedirectUriRule} (absolute, {@code https} or {@code http} on loopback only, no fragment, no user, no
 * wildcard), but never a private-use scheme, since the server itself calls it. Only a client that can get
 * an ID token in a browser session (the {@code authorization_code} grant and the scope {@code openid}) can
 * ever be sent one, so on any other client the setting is a mistake.
 */
final class BackChannelLogoutUriRule {

    static final int MAX_LENGTH = 500;

    private BackChannelLogoutUriRule() {
    }

    /** Everything wrong with the URI, each as a sentence naming the property. */
    static List<String> problems(String property, String value, List<String> grantTypes, List<String> scopes) {
        List<String> problems = new ArrayList<>();
        String shown = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        if (value.length() > MAX_LENGTH) {
            problems.add(property + " must be at most " + MAX_LENGTH + " characters");
        }
        RedirectUriRule.violation(value).ifPresentOrElse(
                violation -> problems.add(property + ": '" + shown + "' " + violation),
                () -> {
                    String scheme = URI.create(value).getScheme().toLowerCase(Locale.ROOT);
                    if (!scheme.equals("https") && !scheme.equals("http")) {
                        problems.add(property + ": '" + shown + "' must be an https URL (or http on 127.0.0.1, [::1] "
                                + "or localhost): Latchkey itself sends the logout token there");
                    }
                });
        if (!grantTypes.contains("authorization_code") || !scopes.contains("openid")) {
            problems.add(property + " needs the grant type authorization_code and the scope openid: only a client that "
                    + "gets ID tokens in browser sessions is ever sent a logout token");
        }
        return problems;
    }
}
