package io.latchkey.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;

import io.latchkey.admission.Admission;
import io.latchkey.http.IpRanges;

/**
 * Brute-force protection: the counts behind every check of a password, a client secret or a request for account
 * mail. It is called where the credential is checked (the sign-in provider, the current-password check, client
 * authentication, the account service that sends mail), never by matching URLs, so that every way of reaching a
 * check is counted alike. The lock itself belongs to the account; this class only says when it is due.
 *
 * <pre>{@code
 * Verdict verdict = guard.checkAttempt(clientIp, email);   // counts the attempt, may wait up to max-delay
 * if (!verdict.allowed()) {
 *     throw new RateLimitExceededException(verdict);        // 429 with Retry-After, in the entrance's format
 * }
 * if (passwordIsRight) {
 *     guard.recordSuccess(clientIp, email);
 * }
 * else if (guard.recordFailure(clientIp, email)) {
 *     // the account's failure limit is reached: lock it
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>Per client IP</b> (an IPv6 client by its /64 network, see {@link IpRanges#bucketKey}; none for
 * {@link ExemptAddresses}): at most {@code sign-in-attempts-per-ip} password attempts per {@code sign-in-window};
 * {@code mail-requests-per-ip} requests per {@code mail-window} for each kind of account mail ({@link MailKind}); and
 * {@code client-secret-failures-per-ip} wrong client secrets per {@code client-secret-window}.</li>
 * <li><b>Per account</b> (the normalized email, whether or not it has an account, so that answers reveal nothing):
 * after {@code delay-after-failures} failed sign-ins each attempt is slowed down (250 ms, doubling, at most
 * {@code max-delay}); after {@code account-failures} failures within {@code account-failure-window} the account is
 * due to be locked. Failures from many IPs count together.</li>
 * <li><b>Per trusted device</b>: a browser's device cookie allows {@code trusted-device-failures} wrong passwords
 * per {@code account-failure-window}; after that it is trusted no more.</li>
 * <li><b>Per address and kind of mail</b>: {@code mail-requests-per-address} per {@code mail-window}.</li>
 * <li><b>Per client</b>: {@code client-secret-failures-per-client} wrong secrets per {@code client-secret-window}.</li>
 * </ul>
 *
 * Only a wrong password is a failure: an unverified address or a busy password hasher is not.
 */
public class CredentialGuard {

    private static final Logger log = LoggerFactory.getLogger(CredentialGuard.class);
    private static final Duration FIRST_DELAY = Duration.ofMillis(250);
    private static final int MAX_ACCOUNT_LENGTH = 1000;

    /** The kinds of account mail, each with buckets of its own: asking for one never uses up another. */
    public enum MailKind {
        PASSWORD_RESET("pr"), VERIFICATION("vr"), REGISTRATION("rg");

        private final String prefix;

        MailKind(String prefix) {
            this.prefix = prefix;
        }
    }

    private final BucketStore buckets;
    private final RateLimitRejections rejections;
    private final RateLimitProperties properties;
    private final ExemptAddresses exempt;
    private final Admission admission;
    private final BucketConfiguration signInPerIp;
    private final BucketConfiguration accountFailures;
    private final BucketConfiguration deviceFailures;
    private final BucketConfiguration mailPerIp;
    private final BucketConfiguration mailPerAddress;
    private final BucketConfiguration secretFailuresPerIp;
    private final BucketConfiguration secretFailuresPerClient;

    CredentialGuard(BucketStore buckets, RateLimitProperties properties, Admission admission) {
        this(buckets, properties, admission, RateLimitRejections.NONE);
    }

    CredentialGuard(BucketStore buckets, RateLimitProperties properties, Admission admission,
            RateLimitRejections rejections) {
        this.rejections = rejections;
        this.buckets = buckets;
        this.properties = properties;
        this.exempt = new ExemptAddresses(properties.exemptAddresses());
        this.admission = admission;
        this.signInPerIp = limit(properties.signInAttemptsPerIp(), properties.signInWindow());
        this.accountFailures = limit(properties.accountFailures(), properties.accountFailureWindow());
        this.deviceFailures = limit(properties.trustedDeviceFailures(), properties.accountFailureWindow());
        this.mailPerIp = limit(properties.mailRequestsPerIp(), properties.mailWindow());
        this.mailPerAddress = limit(properties.mailRequestsPerAddress(), properties.mailWindow());
        this.secretFailuresPerIp = limit(properties.clientSecretFailuresPerIp(), properties.clientSecretWindow());
        this.secretFailuresPerClient = limit(properties.clientSecretFailuresPerClient(),
                properties.clientSecretWindow());
    }

    /**
     * Call before checking a password. Counts one attempt from {@code clientIp}; when that is over the limit the
     * verdict is a rejection (answer 429). Otherwise, if {@code account} has failed several times lately, waits a
     * little (at most {@code max-delay}) before returning. {@code account} is the email as typed; it may be null,
     * empty or any garbage. A trusted device passes null: failures from elsewhere do not slow it down.
     */
    public Verdict checkAttempt(String clientIp, String account) {
        if (!properties.enabled()) {
            return Verdict.ALLOWED;
        }
        Verdict fromIp = consumePerIp("si", clientIp, signInPerIp);
        if (!fromIp.allowed()) {
            rejections.rejected("sign_in_per_ip");
            log.info("Sign-in attempts from {} are over the limit", clientIp);
            return fromIp;
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
     * Call after a wrong password from a client that is not a trusted device (never for other refusals). The
     * failure counts against the account, from whichever IP. Answers true when this failure reaches the account's
     * limit: the caller locks the account; the count starts afresh.
     */
    public boolean recordFailure(String clientIp, String account) {
        String key = accountKey(account);
        if (!properties.enabled() || key == null) {
            return false;
        }
        ConsumptionProbe probe = buckets.bucket(key, accountFailures).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed() && probe.getRemainingTokens() > 0) {
            return false;
        }
        buckets.remove(key);
        log.warn("{} failed sign-ins of one account, the last from {}: it is due to be locked",
                properties.accountFailures(), clientIp);
        return true;
    }

    /** Call after a right password from a client that is not a trusted device: the account's failures are forgotten. */
    public void recordSuccess(String clientIp, String account) {
        String key = accountKey(account);
        if (properties.enabled() && key != null) {
            buckets.remove(key);
        }
    }

    /** Whether the device with this id (from a valid device cookie) has wrong passwords left to try. */
    public boolean isDeviceTrusted(String deviceId) {
        String key = hashedKey("dv", deviceId);
        return !properties.enabled() || key != null && buckets.bucket(key, deviceFailures).getAvailableTokens() > 0;
    }

    /** Call after a wrong password from a trusted device: it counts against that device only. */
    public void recordDeviceFailure(String deviceId) {
        String key = hashedKey("dv", deviceId);
        if (!properties.enabled() || key == null) {
            return;
        }
        ConsumptionProbe probe = buckets.bucket(key, deviceFailures).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed() && probe.getRemainingTokens() == 0) {
            log.warn("A trusted device used up its failed sign-ins; it is no longer trusted");
        }
    }

    /** Call after a right password from a trusted device: its failures are forgotten. */
    public void recordDeviceSuccess(String deviceId) {
        String key = hashedKey("dv", deviceId);
        if (properties.enabled() && key != null) {
            buckets.remove(key);
        }
    }

    /** Call before sending account mail of this kind: counts one request from {@code clientIp}; a rejection is 429. */
    public Verdict checkMailFromIp(MailKind kind, String clientIp) {
        if (!properties.enabled()) {
            return Verdict.ALLOWED;
        }
        Verdict verdict = consumePerIp("m" + kind.prefix, clientIp, mailPerIp);
        if (!verdict.allowed()) {
            rejections.rejected("mail_per_ip");
            log.info("Requests for {} mail from {} are over the limit", kind, clientIp);
        }
        return verdict;
    }

    /** Call before sending account mail of this kind to {@code address}: counts one request for the address. */
    public Verdict checkMailForAddress(MailKind kind, String address) {
        String key = hashedKey("a" + kind.prefix, address);
        if (!properties.enabled() || key == null) {
            return Verdict.ALLOWED;
        }
        ConsumptionProbe probe = buckets.bucket(key, mailPerAddress).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            rejections.rejected("mail_per_address");
            log.info("Requests for {} mail to one address are over the limit", kind);
            return Verdict.rejected(probe.getNanosToWaitForRefill());
        }
        return Verdict.ALLOWED;
    }

    /**
     * Call before checking a client secret that costs a password hash (one not seen right before). A rejection
     * (429) means that the client IP or the client id has had too many wrong secrets lately; the secret must then
     * not be checked. Counts nothing itself: a client's burst of right secrets is never held up.
     */
    public Verdict checkClientSecret(String clientIp, String clientId) {
        if (!properties.enabled()) {
            return Verdict.ALLOWED;
        }
        if (!exempt.contains(clientIp)) {
            EstimationProbe fromIp = buckets.bucket(ipKey("cs", clientIp), secretFailuresPerIp)
                    .estimateAbilityToConsume(1);
            if (!fromIp.canBeConsumed()) {
                rejections.rejected("client_secret_per_ip");
                log.info("Wrong client secrets from {} are over the limit", clientIp);
                return Verdict.rejected(fromIp.getNanosToWaitForRefill());
            }
        }
        String key = hashedKey("cc", clientId);
        if (key != null) {
            EstimationProbe forClient = buckets.bucket(key, secretFailuresPerClient).estimateAbilityToConsume(1);
            if (!forClient.canBeConsumed()) {
                rejections.rejected("client_secret_per_client");
                log.info("Wrong secrets for one client are over the limit");
                return Verdict.rejected(forClient.getNanosToWaitForRefill());
            }
        }
        return Verdict.ALLOWED;
    }

    /** Call after a wrong client secret (or an unknown client id): it counts against the client IP and the client id. */
    public void recordClientSecretFailure(String clientIp, String clientId) {
        if (!properties.enabled()) {
            return;
        }
        if (!exempt.contains(clientIp)) {
            buckets.bucket(ipKey("cs", clientIp), secretFailuresPerIp).tryConsume(1);
        }
        String key = hashedKey("cc", clientId);
        if (key != null) {
            buckets.bucket(key, secretFailuresPerClient).tryConsume(1);
        }
    }

    /** Deletes buckets that have refilled completely. */
    void purge() {
        buckets.purgeExpired();
    }

    private Verdict consumePerIp(String kind, String clientIp, BucketConfiguration limit) {
        if (exempt.contains(clientIp)) {
            return Verdict.ALLOWED;
        }
        ConsumptionProbe probe = buckets.bucket(ipKey(kind, clientIp), limit).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Verdict.ALLOWED : Verdict.rejected(probe.getNanosToWaitForRefill());
    }

    private static BucketConfiguration limit(int capacity, Duration window) {
        return BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(capacity).refillGreedy(capacity, window))
                .build();
    }

    private static String ipKey(String kind, String clientIp) {
        String ip = IpRanges.bucketKey(clientIp);
        return ip.length() <= 64 ? kind + ":" + ip : hashedKey(kind, ip);
    }

    private static String accountKey(String account) {
        return hashedKey("af", account);
    }

    /** Emails are never stored in the bucket table: the key holds a hash of the normalized value. */
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

    private static String normalize(String value) {
        String cut = value.length() > MAX_ACCOUNT_LENGTH ? value.substring(0, MAX_ACCOUNT_LENGTH) : value;
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

    /**
     * Call before an unauthenticated request that makes something lasting, such as an open dynamic client
     * registration: counts one request of this {@code kind} (a short name of the purpose, its buckets apart from all
     * others) from {@code clientIp}, at most {@code perWindow} per {@code window}. A rejection is 429. Exempt addresses
     * are not counted.
     */
    public Verdict checkRequestFromIp(String kind, String clientIp, int perWindow, Duration window) {
        if (!properties.enabled()) {
            return Verdict.ALLOWED;
        }
        Verdict verdict = consumePerIp("rq" + kind, clientIp, limit(perWindow, window));
        if (!verdict.allowed()) {
            rejections.rejected(kind + "_per_ip");
            log.info("Requests of kind {} from {} are over the limit", kind, clientIp);
        }
        return verdict;
    }

    /**
     * Call before looking up a short code that a person types (the user code of the device flow): a rejection (429)
     * means that {@code clientIp} typed too many wrong codes of this {@code kind} lately, at most
     * {@code failuresPerWindow} per {@code window}; the code must then not be looked up. Counts nothing itself: only
     * wrong codes count ({@link #recordWrongCode}). Exempt addresses are not limited.
     */
    public Verdict checkCodeEntry(String kind, String clientIp, int failuresPerWindow, Duration window) {
        if (!properties.enabled() || exempt.contains(clientIp)) {
            return Verdict.ALLOWED;
        }
        EstimationProbe probe = buckets.bucket(ipKey("wc" + kind, clientIp), limit(failuresPerWindow, window))
                .estimateAbilityToConsume(1);
        if (!probe.canBeConsumed()) {
            rejections.rejected(kind + "_wrong_codes_per_ip");
            log.info("Wrong codes of kind {} from {} are over the limit", kind, clientIp);
            return Verdict.rejected(probe.getNanosToWaitForRefill());
        }
        return Verdict.ALLOWED;
    }

    /** Call after a wrong code of this {@code kind} (unknown, expired, used, malformed): it counts against the IP. */
    public void recordWrongCode(String kind, String clientIp, int failuresPerWindow, Duration window) {
        if (properties.enabled() && !exempt.contains(clientIp)) {
            buckets.bucket(ipKey("wc" + kind, clientIp), limit(failuresPerWindow, window)).tryConsume(1);
        }
    }
}
