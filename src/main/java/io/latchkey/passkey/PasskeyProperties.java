package io.latchkey.passkey;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.passkeys.*}: the WebAuthn relying party. Unset, the relying party id is the issuer's host and the
 * only allowed origin is the issuer's origin ({@link RelyingParty}).
 *
 * @param rpId the relying party id ({@code LATCHKEY_PASSKEYS_RP_ID}); a registrable domain suffix of every origin
 * @param rpName the name authenticators show ({@code LATCHKEY_PASSKEYS_RP_NAME}), default {@code Latchkey}
 * @param allowedOrigins the origins whose passkey ceremonies are accepted ({@code LATCHKEY_PASSKEYS_ALLOWED_ORIGINS})
 * @param recentSignIn how recent the sign-in must be to add a passkey or remove the password without giving it
 *        ({@code LATCHKEY_PASSKEYS_RECENT_SIGN_IN}), default 15 minutes
 */
@ConfigurationProperties("latchkey.passkeys")
public record PasskeyProperties(String rpId, String rpName, List<String> allowedOrigins, Duration recentSignIn) {

    public PasskeyProperties {
        rpId = rpId == null || rpId.isBlank() ? null : rpId.trim();
        rpName = rpName == null || rpName.isBlank() ? "Latchkey" : rpName.trim();
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
        recentSignIn = recentSignIn == null ? Duration.ofMinutes(15) : recentSignIn;
    }
}
