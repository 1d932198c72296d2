package io.latchkey.oauth.device;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The codes of a device authorization: a device code of 256 random bits, and a user code of {@link UserCodes}; both
 * valid for {@code latchkey.device.code-lifetime}, one setting for every client.
 */
final class DeviceCodeGenerators {

    private DeviceCodeGenerators() {
    }

    static OAuth2TokenGenerator<OAuth2DeviceCode> deviceCodes(DeviceSettings settings, Clock clock) {
        SecureRandom random = new SecureRandom();
        return context -> {
            if (!isOfType(context, OAuth2ParameterNames.DEVICE_CODE)) {
                return null;
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            Instant now = clock.instant();
            return new OAuth2DeviceCode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), now,
                    now.plus(settings.codeLifetime()));
        };
    }

    static OAuth2TokenGenerator<OAuth2UserCode> userCodes(DeviceSettings settings, Clock clock) {
        UserCodes codes = new UserCodes();
        return context -> {
            if (!isOfType(context, OAuth2ParameterNames.USER_CODE)) {
                return null;
            }
            Instant now = clock.instant();
            return new OAuth2UserCode(codes.next(), now, now.plus(settings.codeLifetime()));
        };
    }

    private static boolean isOfType(OAuth2TokenContext context, String type) {
        return context.getTokenType() != null && type.equals(context.getTokenType().getValue());
    }
}
