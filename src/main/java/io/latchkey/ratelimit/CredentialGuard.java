package io.latchkey.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

import io.latchkey.account.AccountLocks;
import io.latchkey.admission.Admission;

/**
 * Brute-force protection for every endpoint that checks a password or sends account mail. The rules live here
 * only; the hosted pages apply them through a servlet filter, and any other credential endpoint (the password grant
 * at {@code /oauth2/token}, {@code /api/v1/auth/*}) calls this class the same way:
 *
 * <pre>{@code
 * String ip = clientAddresses.clientIp(request);
 * Verdict verdict = guard.checkAttempt(ip, username);      // counts the attempt, may wait up to max-delay
 * if (!verdict.allowed()) {
 *     RateLimitResponses.writeOAuthError(response, verdict);  // 429, Retry-After, RFC 6749 JSON
 *     return;
 * }
 * try {
 *     Authentication user = authenticate(username, password);
 *     guard.recordSuccess(ip, username);
 * }
 * catch (BadCredentialsException wrong) {
 *     guard.recordFailure(ip, username);                    // may lock the account: mail + audit
 *     throw wrong;
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>Per client IP</b>: at most {@code sign-in-attempts-per-ip} password attempts per {@code sign-in-window},
 * and {@code mail-requests-per-ip} mail-sending requests per {@code mail-window}. Over it: 429.</li>
 * <li><b>Per account</b> (the normalized email, whether or not it has an account, so that answers reveal nothing):
 * after {@code delay-after-failures} failed sign-ins each attempt is slowed down (250 ms, doubling, at most
 * {@code max-delay}); after {@code account-failures} failures within {@code account-failure-window} the account is
 * locked for {@code lock-duration}, its owner gets a mail, and {@code ACCOUNT_LOCKED} is audited. While locked, every
 * sign-in is refused like a wrong password. Failures from many IPs count together.</li>
 * </ul>
 *
 * Only a wrong password is a failure: an unverified address or a busy password hasher is not.
 */
public class CredentialGuard {

    private static final Logger log = LoggerFactory.getLogger(CredentialGuard.class);
    private static final Duration FIRST_DELAY = Duration.ofMillis(250);
    private static final int MAX_ACCOUNT_LENGTH = 1000;

    private final BucketStore buckets;
    private final RateLimitProperties properties;
    private final ClientAddresses addresses;
    private final AccountLocks locks;
    private final BucketConfiguration signInPerIp;
    private final BucketConfiguration accountFailures;
    private final BucketConfiguration mailPerIp;
    private final BucketConfiguration mailPerAddress;

    private final Admission admission;

    CredentialGuard(BucketStore buckets, RateLimitProperties properties, ClientAddresses addresses, AccountLocks locks,
            Admission admission) {
        this.admission = admission;
        this.buckets = buckets;
        this.properties = properties;
        this.addresses = addresses;
        this.locks = locks;
        this.signInPerIp = limit(properties.signInAttemptsPerIp(), properties.signInWindow());
        this.accountFailures = limit(properties.accountFailures(), properties.accountFailureWindow());
        this.mailPerIp = limit(properties.mailRequestsPerIp(), properties.mailWindow());
        this.mailPerAddress = limit(properties.mailRequestsPerAddress(), properties.mailWindow());
    }

    /**
     * Call before checking a password. Counts one attempt from {@code clientIp}; when that is over the limit the
     * verdict is a rejection (answer 429). Otherwise, if {@code account} has failed several times lately, waits a
     * little (at most {@code max-delay}) before returning. {@code account} is the email or username as typed; it
     * may be null, empty or any garbage.
     */
    /**
     * For a credential endpoint that authenticates through Spring Security (the JSON API's login): checks the
     * attempt like {@link #checkAttempt} and, when allowed, marks the request so that its outcome is recorded
     * from the authentication events, as for the hosted login.
     */
    public Verdict beginSignIn(jakarta.servlet.http.HttpServletRequest request, String account) {
        String ip = addresses.clientIp(request);
        Verdict verdict = checkAttempt(ip, account);
        if (verdict.allowed()) {
            request.setAttribute(CredentialEndpointFilter.SIGN_IN_ATTEMPT, new CredentialEndpointFilter.SignInAttempt(ip, account));
        }
        return verdict;
    }

    public Verdict checkAttempt(String clientIp, String account) {
        if (!properties.enabled()) {
            return Verdict.ALLOWED;
        }
        if (!addresses.isExempt(clientIp)) {
            ConsumptionProbe probe = buckets.bucket(ipKey("si", clientIp), signInPerIp).tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                log.info("Sign-in attempts from {} are over the limit", clientIp);
                return Verdict.rejected(probe.getNanosToWaitForRefill());
            }
        }
        Duration delay = delayFor(account);
        if (!delay.isZero()) {
            // a slow-down needs no connection: the request's admission turn serves others meanwhile
            admission.outside(() -> pause(delay));
        }
        return Verdict.allowedAfter(delay);
    }

    /** The slow-down for the next attempt on this account: none until a few failures, then doubling up to the cap. */
    public Duration delayFor(String account) {
        String key = accountKey(account);
        if (!properties.enabled() || key == null) {
            return Duration.ZERO;
        }
        long failures = properties.accountFailures()
                - buckets.bucket(key, accountFailures).getAvailableTokens();
        long beyond = failures - properties.delayAfterFailures();
        if (beyond < 0) {
            return Duration.ZERO;
        }
        Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(beyond, 10));
        return delay.compareTo(properties.maxDelay()) > 0 ? properties.maxDelay() : delay;
    }

    /**
     * Call after a wrong password (never for other refusals). The failure counts against the account, from
     * whichever IP; at the limit the account is locked, its owner is mailed and the lock is audited.
     */
    public void recordFailure(String clientIp, String account) {
        String key = accountKey(account);
        if (!properties.enabled() || key == null) {
            return;
        }
        ConsumptionProbe probe = buckets.bucket(key, accountFailures).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed() || probe.getRemainingTokens() == 0) {
            buckets.remove(key);
            locks.lockAfterFailedSignIns(normalize(account), properties.lockDuration())
                    .ifPresent(until -> log.warn("Account locked until {} after {} failed sign-ins (last from {})",
                            until, properties.accountFailures(), clientIp));
        }
    }

    /** Call after a right password: the account's failures are forgotten. */
    public void recordSuccess(String clientIp, String account) {
        String key = accountKey(account);
        if (properties.enabled() && key != null) {
            buckets.remove(key);
        }
    }

    /**
     * Call before sending account mail (password reset, new verification link, registration): counts one request
     * from {@code clientIp} and one for {@code address} (none when it is null). A rejection means 429.
     */
    public Verdict checkMailRequest(String clientIp, String address) {
        if (!properties.enabled()) {
            return Verdict.ALLOWED;
        }
        if (!addresses.isExempt(clientIp)) {
            ConsumptionProbe probe = buckets.bucket(ipKey("mi", clientIp), mailPerIp).tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                log.info("Mail requests from {} are over the limit", clientIp);
                return Verdict.rejected(probe.getNanosToWaitForRefill());
            }
        }
        String key = hashedKey("ma", address);
        if (key != null) {
            ConsumptionProbe probe = buckets.bucket(key, mailPerAddress).tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                log.info("Mail requests for one address are over the limit");
                return Verdict.rejected(probe.getNanosToWaitForRefill());
            }
        }
        return Verdict.ALLOWED;
    }

    /** Deletes buckets that have refilled completely. */
    void purge() {
        buckets.purgeExpired();
    }

    private static BucketConfiguration limit(int capacity, Duration window) {
        return BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(capacity).refillGreedy(capacity, window))
                .build();
    }

    private static String ipKey(String kind, String clientIp) {
        String ip = clientIp == null || clientIp.isBlank() ? "unknown" : clientIp;
        return ip.length() <= 64 ? kind + ":" + ip : hashedKey(kind, ip);
    }

    private static String accountKey(String account) {
        return hashedKey("af", account);
    }

    /** Emails are never stored in the bucket table: the key holds a hash of the normalized address. */
    private static String hashedKey(String kind, String value) {
        if (value == null) {
            return null;
        }
        String normalized = normalize(value);
        if (normalized.isEmpty()) {
            return null;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
            return kind + ":" + HexFormat.of().formatHex(hash);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String normalize(String account) {
        String cut = account.length() > MAX_ACCOUNT_LENGTH ? account.substring(0, MAX_ACCOUNT_LENGTH) : account;
        return cut.trim().toLowerCase(Locale.ROOT);
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
