package io.latchkey.pages;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * {@code login_hint} (OpenID Connect Core 3.1.2.1) of the authorization request waiting for a sign-in: an email
 * address it names is put into the login form's email field, nothing more. It decides nothing: the user may
 * change it, and it is never used to look anyone up. A hint that is no plausible email address, or longer than
 * the field takes, is ignored; the page escapes what it shows, like anything else typed into the form.
 */
final class LoginHint {

    static final String PARAMETER = "login_hint";
    /** The longest email the login form takes. */
    private static final int MAX_LENGTH = 320;
    private static final Pattern PLAUSIBLE_EMAIL = Pattern.compile("[^\\s@<>\"'`]{1,64}@[^\\s@<>\"'`]{1,255}");

    private LoginHint() {
    }

    /** The hinted email of the saved authorization request at {@code savedUrl}; null when there is none to use. */
    static String of(String savedUrl) {
        if (savedUrl == null) {
            return null;
        }
        String hint;
        try {
            hint = UriComponentsBuilder.fromUriString(savedUrl).build().getQueryParams().getFirst(PARAMETER);
            hint = hint == null ? null : UriUtils.decode(hint, StandardCharsets.UTF_8).trim();
        }
        catch (IllegalArgumentException garbled) {
            return null;
        }
        if (hint == null || hint.length() > MAX_LENGTH || hint.chars().anyMatch(Character::isISOControl)
                || !PLAUSIBLE_EMAIL.matcher(hint).matches()) {
            return null;
        }
        return hint;
    }
}
