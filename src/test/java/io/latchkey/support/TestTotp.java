package io.latchkey.support;

import java.io.ByteArrayOutputStream;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

import io.latchkey.account.AttemptOrigin;
import io.latchkey.mfa.TotpSecondFactor;

/**
 * TOTP codes for tests, computed with java-otp as an authenticator app would (HMAC-SHA-1, 30 s, 6 digits), and a
 * user's enrolment in one call.
 *
 * <p>How to enrol a user and sign in with codes:
 * <pre>
 * &#64;Autowired TotpSecondFactor secondFactor;
 * TestTotp.Enrolled enrolled = TestTotp.enrol(secondFactor, userId);   // confirmed with the previous step's code
 * String code = TestTotp.current(enrolled.secret());                   // accepted once
 * String another = TestTotp.next(enrolled.secret());                   // the next step's code, also accepted once
 * String recovery = enrolled.recoveryCodes().get(0);                    // single use
 * </pre>
 * A code is accepted for the current step and one either side, and only for a step newer than the last one
 * accepted for that user: after {@link #enrol} a test has {@link #current} and then {@link #next} (in that order)
 * before it would have to wait for the clock. Through the pages: sign in, open {@code /account/second-factor},
 * read the manual key ({@code data-secret} attribute of the element with id {@code manual-key}), confirm with
 * {@link #previous} or {@link #current}.
 */
public final class TestTotp {

    private static final Duration STEP = Duration.ofSeconds(30);
    private static final TimeBasedOneTimePasswordGenerator GENERATOR = new TimeBasedOneTimePasswordGenerator(STEP, 6,
            TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);

    private TestTotp() {
    }

    /** A confirmed enrolment: the Base32 secret and the ten recovery codes shown once. */
    public record Enrolled(String secret, List<String> recoveryCodes) {
    }

    /**
     * Enrols the user (who must have no second factor yet) through the service, confirming with the previous time
     * step's code so that {@link #current} and {@link #next} stay usable. Counts as one right code from {@link #origin()}.
     */
    public static Enrolled enrol(TotpSecondFactor secondFactor, UUID userId) {
        String secret = secondFactor.beginEnrolment(userId).orElseThrow(
                () -> new IllegalStateException("The user has a second factor already")).secret();
        TotpSecondFactor.NewRecoveryCodes confirmed = secondFactor.confirmEnrolment(userId, previous(secret), origin());
        if (!confirmed.accepted()) {
            // the step changed between computing and checking: the one before the current is still accepted
            confirmed = secondFactor.confirmEnrolment(userId, previous(secret), origin());
        }
        if (!confirmed.accepted()) {
            throw new IllegalStateException("Enrolment was not confirmed");
        }
        return new Enrolled(secret, confirmed.codes());
    }

    /**
     * The origin of a code check made directly on the service: the loopback address, which the test server exempts
     * from the per-IP limits (wrong codes still count against the account).
     */
    public static AttemptOrigin origin() {
        return AttemptOrigin.untrusted("127.0.0.1");
    }

    public static String current(String base32Secret) {
        return at(base32Secret, Instant.now());
    }

    public static String next(String base32Secret) {
        return at(base32Secret, Instant.now().plus(STEP));
    }

    public static String previous(String base32Secret) {
        return at(base32Secret, Instant.now().minus(STEP));
    }

    public static String at(String base32Secret, Instant instant) {
        return at(decode(base32Secret), instant);
    }

    public static String at(byte[] rawSecret, Instant instant) {
        try {
            return GENERATOR.generateOneTimePasswordString(
                    new SecretKeySpec(rawSecret, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1), instant,
                    Locale.ROOT);
        }
        catch (InvalidKeyException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String current(byte[] rawSecret) {
        return at(rawSecret, Instant.now());
    }

    public static String next(byte[] rawSecret) {
        return at(rawSecret, Instant.now().plus(STEP));
    }

    /** A code that is none of the accepted ones right now. */
    public static String wrong(String base32Secret) {
        List<String> accepted = List.of(previous(base32Secret), current(base32Secret), next(base32Secret));
        for (int candidate = 0;; candidate++) {
            String code = String.format(Locale.ROOT, "%06d", candidate);
            if (!accepted.contains(code)) {
                return code;
            }
        }
    }

    /** RFC 4648 Base32, spaces and case ignored. */
    public static byte[] decode(String base32) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : base32.toUpperCase(Locale.ROOT).replace(" ", "").replace("=", "").toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
