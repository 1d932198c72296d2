package io.latchkey.oauth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gives every registered claim its specified JSON type before a token is signed, whatever produced the
 * value: NumericDate claims (RFC 7519 section 2, OpenID Connect Core sections 2 and 5.1) as whole
 * seconds, {@code amr} as an array, and {@code scope} in access tokens as one space-separated string
 * (RFC 9068 section 2.2.3, RFC 8693 section 4.2).
 *
 * <p>{@code auth_time} reaches the token generator as a {@link Date} from the framework and as an
 * {@link Instant} from the token store on refresh; the JWT library writes only its own time claims
 * ({@code exp}, {@code iat}, {@code nbf}, which it always gets as dates) as numbers, so the other
 * NumericDate claims are settled here.
 */
final class RegisteredClaimTypes {

    static final Set<String> OTHER_NUMERIC_DATE_CLAIMS = Set.of("auth_time", "updated_at");
    static final String SCOPE = "scope";
    static final String AMR = "amr";
    static final String ACR = "acr";

    private RegisteredClaimTypes() {
    }

    static void applyTo(Map<String, Object> claims, boolean accessToken) {
        for (String name : OTHER_NUMERIC_DATE_CLAIMS) {
            Object value = claims.get(name);
            if (value instanceof Instant instant) {
                claims.put(name, instant.getEpochSecond());
            }
            else if (value instanceof Date date) {
                claims.put(name, date.toInstant().getEpochSecond());
            }
        }
        if (accessToken && claims.get(SCOPE) instanceof Collection<?> scopes) {
            claims.put(SCOPE, scopes.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        }
        if (claims.get(AMR) instanceof String single) {
            claims.put(AMR, new ArrayList<>(List.of(single)));
        }
    }
}
