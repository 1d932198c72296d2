package io.latchkey.mfa;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

/**
 * RFC 6238 as every authenticator app does it: HMAC-SHA-1, 30-second steps, 6 digits. A code is accepted for the
 * current step and one step either side, to allow for clocks a little apart and the time it takes to type.
 */
final class TotpAlgorithm {

    static final Duration STEP = Duration.ofSeconds(30);
    static final int DIGITS = 6;
    static final int SECRET_BYTES = 20;
    /** Steps accepted on either side of the current one. */
    static final int WINDOW = 1;
    private static final Pattern CODE = Pattern.compile("[0-9]{" + DIGITS + "}");

    private static final TimeBasedOneTimePasswordGenerator GENERATOR = new TimeBasedOneTimePasswordGenerator(STEP,
            DIGITS, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);

    private TotpAlgorithm() {
    }

    static long stepOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), STEP.getSeconds());
    }

    static String codeAt(byte[] secret, long step) {
        try {
            return GENERATOR.generateOneTimePasswordString(
                    new SecretKeySpec(secret, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1),
                    Instant.ofEpochSecond(step * STEP.getSeconds()), Locale.ROOT);
        }
        catch (InvalidKeyException ex) {
            throw new IllegalStateException("An HMAC-SHA-1 key of any length is valid", ex);
        }
    }

    /** Whether the typed text has the shape of a TOTP code (six digits, spaces ignored). */
    static boolean looksLikeCode(String typed) {
        return typed != null && CODE.matcher(typed).matches();
    }

    /** The newest step within the window around {@code now} whose code is {@code typed}; empty if none. */
    static OptionalLong matchingStep(byte[] secret, String typed, Instant now) {
        if (!looksLikeCode(typed)) {
            return OptionalLong.empty();
        }
        long current = stepOf(now);
        byte[] presented = typed.getBytes(StandardCharsets.US_ASCII);
        for (long step = current + WINDOW; step >= current - WINDOW; step--) {
            if (MessageDigest.isEqual(codeAt(secret, step).getBytes(StandardCharsets.US_ASCII), presented)) {
                return OptionalLong.of(step);
            }
        }
        return OptionalLong.empty();
    }
}
