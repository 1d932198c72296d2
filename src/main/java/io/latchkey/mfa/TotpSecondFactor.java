package io.latchkey.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.account.AttemptOrigin;
import io.latchkey.account.CodeAttempts;
import io.latchkey.account.SecondFactor;
import io.latchkey.account.UserAccount;
import io.latchkey.account.UserDirectory;
import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.keys.MasterKey;
import io.latchkey.keys.TokenHasher;
import io.latchkey.mail.AccountMailMessage;
import io.latchkey.mail.AccountMailer;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.runtime.Issuer;

/**
 * The TOTP second factor: enrolment (a new secret, shown as a QR code and a manual key, confirmed with a code), the
 * check of a code at sign-in (a TOTP code once per time step, or a single-use recovery code), new recovery codes and
 * removal (each with a fresh code), and the roles that must enrol ({@link MfaProperties}).
 *
 * <p>Every code check, whatever it is for, goes through {@link CodeAttempts}: limited per client IP and account,
 * wrong codes count toward the account's lock, and a locked account's codes are refused unchecked.
 *
 * <p>Tests enrol a user with {@link #beginEnrolment} and {@link #confirmEnrolment}, computing codes from
 * {@link Enrolment#secret()} (see {@code io.latchkey.support.TestTotp}).
 */
@Service
public class TotpSecondFactor implements SecondFactor {

    static final String ISSUER_LABEL = "Latchkey";
    private static final Logger log = LoggerFactory.getLogger(TotpSecondFactor.class);

    private final TotpFactorRepository factors;
    private final CodeAttempts attempts;
    private final UserDirectory users;
    private final MasterKey masterKey;
    private final TokenHasher hasher;
    private final AuditLog audit;
    private final AccountMailer mailer;
    private final ExecutorService background;
    private final TransactionTemplate transactions;
    private final MfaProperties properties;
    private final Clock clock;
    private final String issuer;
    private final SecureRandom random = new SecureRandom();

    TotpSecondFactor(TotpFactorRepository factors, CodeAttempts attempts, UserDirectory users, MasterKey masterKey,
            TokenHasher hasher, AuditLog audit, AccountMailer mailer,
            @Qualifier("accountBackgroundWork") ExecutorService background, TransactionTemplate transactions,
            MfaProperties properties, Clock clock, Issuer issuer) {
        this.factors = factors;
        this.attempts = attempts;
        this.users = users;
        this.masterKey = masterKey;
        this.hasher = hasher;
        this.audit = audit;
        this.mailer = mailer;
        this.background = background;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
        this.issuer = issuer.url();
    }

    /**
     * A pending enrolment: the secret to put into an authenticator app, as the app takes it. {@code secret} is the
     * Base32 secret, {@code manualKey} the same in groups of four for typing, {@code uri} the {@code otpauth://} URI
     * and {@code qrCodeSvg} that URI as an inline SVG QR code.
     */
    public record Enrolment(String secret, String manualKey, String uri, String qrCodeSvg) {

        @Override
        public String toString() {
            return "Enrolment[pending]";
        }
    }

    /** The outcome of a confirmation, or of a request for new recovery codes: the codes to show once, if accepted. */
    public record NewRecoveryCodes(CodeCheck check, List<String> codes) {

        public boolean accepted() {
            return check.accepted();
        }

        @Override
        public String toString() {
            return "NewRecoveryCodes[" + check + "]";
        }
    }

    @Override
    public boolean isEnrolled(UUID userId) {
        return userId != null && factors.isConfirmed(userId);
    }

    @Override
    public boolean mustEnrol(UUID userId) {
        return requiredFor(userId) && !isEnrolled(userId);
    }

    /** Whether one of the user's roles requires a second factor ({@code latchkey.mfa.required-for-roles}). */
    public boolean requiredFor(UUID userId) {
        if (userId == null || properties.requiredForRoles().isEmpty()) {
            return false;
        }
        return users.findBySubject(userId.toString()).map(UserAccount::roles)
                .map(roles -> roles.stream().anyMatch(properties.requiredForRoles()::contains)).orElse(false);
    }

    /**
     * Starts (or restarts) the enrolment of a user who has no confirmed second factor: a new 160-bit secret, sealed
     * under the master key and pending until {@link #confirmEnrolment}. Empty when the user has one already.
     */
    public Optional<Enrolment> beginEnrolment(UUID userId) {
        UserAccount user = users.findBySubject(userId.toString())
                .orElseThrow(() -> new IllegalArgumentException("No such user"));
        byte[] secret = new byte[TotpAlgorithm.SECRET_BYTES];
        random.nextBytes(secret);
        String base32 = Base32.encode(secret);
        String sealed = masterKey.seal(base32, TotpSecretReseal.boundTo(userId));
        Boolean created = transactions.execute(status -> factors.replacePending(userId, sealed, clock.instant()));
        return Boolean.TRUE.equals(created) ? Optional.of(enrolment(base32, user.email())) : Optional.empty();
    }

    /** The user's pending enrolment, to show again (the same secret); empty when there is none. */
    public Optional<Enrolment> pendingEnrolment(UUID userId) {
        return factors.find(userId).filter(factor -> !factor.confirmed())
                .flatMap(factor -> users.findBySubject(userId.toString())
                        .map(user -> enrolment(open(factor), user.email())));
    }

    /**
     * Confirms the pending enrolment with a code from the app (counted like any code). When right, the user has a
     * second factor from now on, and gets ten new recovery codes: returned here once, stored only hashed.
     */
    public NewRecoveryCodes confirmEnrolment(UUID userId, String code, AttemptOrigin origin) {
        CodeAttempts.Attempt attempt = begin(userId, origin);
        if (attempt.locked()) {
            return refused(userId, attempt, "locked", false);
        }
        Optional<TotpFactorRepository.StoredFactor> pending = factors.find(userId).filter(factor -> !factor.confirmed());
        OptionalLong step = pending.map(factor -> TotpAlgorithm.matchingStep(Base32.decode(open(factor)),
                normalizeTotp(code), clock.instant())).orElse(OptionalLong.empty());
        if (step.isEmpty()) {
            return refused(userId, attempt, pending.isEmpty() ? "no_pending_enrolment" : "wrong_code", true);
        }
        List<String> codes = RecoveryCodes.generate();
        Instant now = clock.instant();
        Boolean confirmed = transactions.execute(status -> {
            if (!factors.confirm(userId, pending.get().secretSealed(), step.getAsLong(), now)) {
                return false;
            }
            factors.replaceRecoveryCodes(userId, hashes(codes), hasher.currentKeyId(), now);
            return true;
        });
        if (!Boolean.TRUE.equals(confirmed)) {
            return refused(userId, attempt, "enrolment_changed", true);
        }
        attempt.succeeded();
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.SECOND_FACTOR_ENROLLED).user(userId)
                .detail("method", "totp"));
        mail(userId, now, AccountMailMessage::secondFactorAdded);
        return new NewRecoveryCodes(CodeCheck.TOTP_ACCEPTED, codes);
    }

    /**
     * Checks a code at sign-in or step-up: a TOTP code for a step newer than the last one used (then used up), or an
     * unused recovery code (then spent). Throws {@link RateLimitExceededException} when over the attempt limits;
     * refuses every code while the account is locked for this client.
     */
    @Override
    public CodeCheck check(UUID userId, String code, AttemptOrigin origin) {
        CodeAttempts.Attempt attempt = begin(userId, origin);
        if (attempt.locked()) {
            return refused(userId, attempt, "locked", false).check();
        }
        CodeCheck check = checkEnrolled(userId, code);
        if (!check.accepted()) {
            return refused(userId, attempt, "wrong_code", true).check();
        }
        attempt.succeeded();
        if (check == CodeCheck.RECOVERY_CODE_ACCEPTED) {
            int left = factors.unusedRecoveryCodes(userId);
            audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.RECOVERY_CODE_USED).user(userId)
                    .detail("remaining", Integer.toString(left)));
        }
        return check;
    }

    /** Replaces the recovery codes after a fresh code (TOTP or recovery code); the new ones are returned once. */
    public NewRecoveryCodes regenerateRecoveryCodes(UUID userId, String code, AttemptOrigin origin) {
        CodeCheck check = check(userId, code, origin);
        if (!check.accepted()) {
            return new NewRecoveryCodes(check, List.of());
        }
        List<String> codes = RecoveryCodes.generate();
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> factors.replaceRecoveryCodes(userId, hashes(codes),
                hasher.currentKeyId(), now));
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.RECOVERY_CODES_REGENERATED).user(userId));
        mail(userId, now, AccountMailMessage::recoveryCodesRegenerated);
        return new NewRecoveryCodes(check, codes);
    }

    /** Removes the second factor and its recovery codes after a fresh code; the refusal or acceptance of it. */
    public CodeCheck disable(UUID userId, String code, AttemptOrigin origin) {
        CodeCheck check = check(userId, code, origin);
        if (!check.accepted()) {
            return check;
        }
        Instant now = clock.instant();
        Boolean removed = transactions.execute(status -> factors.remove(userId));
        if (Boolean.TRUE.equals(removed)) {
            audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.SECOND_FACTOR_DISABLED).user(userId)
                    .detail("method", "totp"));
            mail(userId, now, AccountMailMessage::secondFactorRemoved);
        }
        return check;
    }

    /** No code asked: the administrator's own sign-in and permission stand in for it; the caller records the event. */
    @Override
    public boolean removeForAdministrator(UUID userId) {
        Instant now = clock.instant();
        Boolean removed = transactions.execute(status -> factors.remove(userId));
        if (!Boolean.TRUE.equals(removed)) {
            return false;
        }
        mail(userId, now, AccountMailMessage::secondFactorRemoved);
        return true;
    }

    /** How many unused recovery codes the user has left. */
    public int recoveryCodesLeft(UUID userId) {
        return factors.unusedRecoveryCodes(userId);
    }

    private CodeCheck checkEnrolled(UUID userId, String code) {
        Optional<TotpFactorRepository.StoredFactor> factor = factors.find(userId)
                .filter(TotpFactorRepository.StoredFactor::confirmed);
        if (factor.isEmpty() || code == null || code.length() > 64) {
            return CodeCheck.REFUSED;
        }
        String totp = normalizeTotp(code);
        if (TotpAlgorithm.looksLikeCode(totp)) {
            OptionalLong step = TotpAlgorithm.matchingStep(Base32.decode(open(factor.get())), totp, clock.instant());
            // the replay guard: only a step newer than the last accepted one, set atomically
            return step.isPresent() && factors.useStep(userId, step.getAsLong()) ? CodeCheck.TOTP_ACCEPTED
                    : CodeCheck.REFUSED;
        }
        return RecoveryCodes.normalize(code)
                .filter(recovery -> factors.spendRecoveryCode(userId, hasher.candidateHashes(recovery),
                        clock.instant()))
                .map(spent -> CodeCheck.RECOVERY_CODE_ACCEPTED).orElse(CodeCheck.REFUSED);
    }

    private CodeAttempts.Attempt begin(UUID userId, AttemptOrigin origin) {
        try {
            return attempts.begin(userId, origin);
        }
        catch (RateLimitExceededException throttled) {
            audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.SECOND_FACTOR_THROTTLED).user(userId));
            throw throttled;
        }
    }

    private NewRecoveryCodes refused(UUID userId, CodeAttempts.Attempt attempt, String reason, boolean counted) {
        if (counted) {
            attempt.failed();
        }
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.SECOND_FACTOR_CODE_REFUSED).user(userId)
                .detail("reason", reason));
        return new NewRecoveryCodes(CodeCheck.REFUSED, List.of());
    }

    private static String normalizeTotp(String code) {
        return code == null || code.length() > 64 ? null : code.replace(" ", "");
    }

    private String open(TotpFactorRepository.StoredFactor factor) {
        return masterKey.open(factor.secretSealed(), TotpSecretReseal.boundTo(factor.userId()));
    }

    private List<String> hashes(List<String> codes) {
        return codes.stream().map(code -> hasher.hash(RecoveryCodes.normalize(code).orElseThrow())).toList();
    }

    private Enrolment enrolment(String base32, String email) {
        String label = encode(ISSUER_LABEL) + ":" + encode(email);
        String uri = "otpauth://totp/" + label + "?secret=" + base32 + "&issuer=" + encode(ISSUER_LABEL)
                + "&algorithm=SHA1&digits=" + TotpAlgorithm.DIGITS + "&period=" + TotpAlgorithm.STEP.getSeconds();
        return new Enrolment(base32, String.join(" ", base32.split("(?<=\\G.{4})")), uri, EnrolmentQrCode.svg(uri));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Mails the user about a change to their second factor, in the language of the request that made it. */
    private void mail(UUID userId, Instant when, MailFactory factory) {
        Optional<UserAccount> user = users.findBySubject(userId.toString());
        if (user.isEmpty()) {
            return;
        }
        AccountMailMessage message = factory.create(user.get().email(), LocaleContextHolder.getLocale(), when,
                issuer + "/forgot-password");
        background.execute(() -> {
            try {
                mailer.send(message);
            }
            catch (RuntimeException ex) {
                log.error("Could not send the {} mail: {}", message.template(), ex.getMessage());
            }
        });
    }

    @FunctionalInterface
    private interface MailFactory {
        AccountMailMessage create(String to, java.util.Locale locale, Instant when, String link);
    }
}
