package io.latchkey.passkey;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.latchkey.account.AccountService;
import io.latchkey.account.Passkeys;
import io.latchkey.account.Passwordless;
import io.latchkey.account.UserAccount;
import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;
import io.latchkey.mail.AccountMailMessage;
import io.latchkey.mail.AccountMailer;
import io.latchkey.runtime.Issuer;

/**
 * The rules of a user's passkeys: names, renaming and deleting within one's own account, never deleting the last
 * passkey of a passwordless account, going passwordless only with a passkey and a recent sign-in (or the password),
 * and the audit record and mail of each change.
 */
@Service
class PasskeyService implements Passkeys {

    static final int MAX_NAME_LENGTH = 64;
    /** Printable text only: no control characters, and no markup, which a name never needs. */
    private static final Pattern ACCEPTABLE_NAME = Pattern.compile("[^\\p{Cntrl}\\p{Zl}\\p{Zp}<>]+");

    private static final Logger log = LoggerFactory.getLogger(PasskeyService.class);

    private final PasskeyCredentials credentials;
    private final Passwordless passwordless;
    private final AccountService accounts;
    private final AuditLog audit;
    private final AccountMailer mailer;
    private final ExecutorService background;
    private final PasskeyProperties properties;
    private final Clock clock;
    private final String issuer;
    private final RelyingParty relyingParty;

    PasskeyService(PasskeyCredentials credentials, Passwordless passwordless, AccountService accounts, AuditLog audit,
            AccountMailer mailer, @Qualifier("accountBackgroundWork") ExecutorService background,
            PasskeyProperties properties, Clock clock, Issuer issuer, RelyingParty relyingParty) {
        this.relyingParty = relyingParty;
        this.credentials = credentials;
        this.passwordless = passwordless;
        this.accounts = accounts;
        this.audit = audit;
        this.mailer = mailer;
        this.background = background;
        this.properties = properties;
        this.clock = clock;
        this.issuer = issuer.url();
    }

    @Override
    public boolean hasPasskey(UUID userId) {
        return credentials.count(userId) > 0;
    }

    @Override
    public boolean canSignInWithPasskey(UUID userId) {
        return relyingParty.enabled() && hasPasskey(userId);
    }

    @Override
    public List<PasskeySummary> passkeysOf(UUID userId) {
        return credentials.of(userId).stream().map(passkey -> new PasskeySummary(passkey.id(), passkey.name(),
                passkey.synced(), passkey.createdAt(), passkey.lastUsedAt())).toList();
    }

    /** The same rules as the owner's deletion ({@link #delete}), which records it in the owner's history and mails them. */
    @Override
    @Transactional
    public Deletion deleteForAdministrator(UUID userId, String credentialId) {
        return switch (delete(userId, credentialId)) {
            case DELETED -> Deletion.DELETED;
            case NOT_FOUND -> Deletion.NOT_FOUND;
            case LAST_PASSKEY_OF_PASSWORDLESS_ACCOUNT -> Deletion.LAST_PASSKEY_OF_PASSWORDLESS_ACCOUNT;
        };
    }

    boolean hasPassword(UUID userId) {
        return passwordless.hasPassword(userId);
    }

    /** Whether the sign-in behind {@code authentication} proved a factor recently enough for sensitive changes. */
    boolean recentlySignedIn(Authentication authentication) {
        Instant newest = authentication == null ? null : authentication.getAuthorities().stream()
                .filter(FactorGrantedAuthority.class::isInstance)
                .map(authority -> ((FactorGrantedAuthority) authority).getIssuedAt())
                .max(Instant::compareTo).orElse(null);
        return newest != null && !newest.plus(properties.recentSignIn()).isBefore(clock.instant());
    }

    /** The name, trimmed, when it is an acceptable passkey name. */
    static Optional<String> acceptableName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String trimmed = name.strip();
        return trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH || !ACCEPTABLE_NAME.matcher(trimmed).matches()
                ? Optional.empty() : Optional.of(trimmed);
    }

    /** After Spring Security stored a new passkey: recorded, and the owner told. */
    void registered(UUID userId, String name) {
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.PASSKEY_REGISTERED).user(userId).subject(name));
        mailTo(userId, account -> AccountMailMessage.passkeyAdded(account.email(), LocaleContextHolder.getLocale(),
                name, clock.instant(), issuer + "/account/passkeys"));
    }

    boolean rename(UUID userId, String credentialId, String name) {
        Optional<Bytes> id = credentialId(credentialId);
        if (id.isEmpty() || !credentials.rename(userId, id.get(), name)) {
            return false;
        }
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.PASSKEY_RENAMED).user(userId).subject(name));
        return true;
    }

    /**
     * Deletes one of the user's passkeys. The last passkey of an account without a password stays: without it nobody
     * could sign in.
     */
    @Transactional
    DeleteOutcome delete(UUID userId, String credentialId) {
        Optional<Bytes> id = credentialId(credentialId);
        credentials.lockAccount(userId);
        Optional<PasskeyCredentials.Passkey> passkey = id.flatMap(bytes -> credentials.of(userId).stream()
                .filter(candidate -> candidate.id().equals(bytes.toBase64UrlString())).findFirst());
        if (passkey.isEmpty()) {
            return DeleteOutcome.NOT_FOUND;
        }
        if (!credentials.delete(userId, id.get(), !passwordless.hasPassword(userId))) {
            return DeleteOutcome.LAST_PASSKEY_OF_PASSWORDLESS_ACCOUNT;
        }
        String name = passkey.get().name();
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.PASSKEY_DELETED).user(userId).subject(name));
        mailTo(userId, account -> AccountMailMessage.passkeyRemoved(account.email(), LocaleContextHolder.getLocale(),
                name, clock.instant(), issuer + "/account/passkeys"));
        return DeleteOutcome.DELETED;
    }

    enum DeleteOutcome {
        DELETED, NOT_FOUND, LAST_PASSKEY_OF_PASSWORDLESS_ACCOUNT
    }

    /** Removes the password of an account that has a passkey; false when it has none (nothing changes). */
    @Transactional
    boolean removePassword(UUID userId) {
        credentials.lockAccount(userId);
        if (!hasPasskey(userId) || !passwordless.hasPassword(userId)) {
            return false;
        }
        passwordless.removePassword(userId);
        audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.PASSWORD_REMOVED).user(userId));
        mailTo(userId, account -> AccountMailMessage.passwordRemoved(account.email(), LocaleContextHolder.getLocale(),
                clock.instant(), issuer + "/forgot-password"));
        return true;
    }

    static Optional<UUID> userId(String name) {
        try {
            return name == null ? Optional.empty() : Optional.of(UUID.fromString(name));
        }
        catch (IllegalArgumentException notAUserId) {
            return Optional.empty();
        }
    }

    static Optional<Bytes> credentialId(String base64url) {
        if (base64url == null || base64url.isEmpty() || base64url.length() > 1400
                || !base64url.matches("[A-Za-z0-9_-]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Bytes.fromBase64(base64url));
        }
        catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** Mail goes out after the answer; one that cannot be sent is logged, and nothing done is undone. */
    private void mailTo(UUID userId, java.util.function.Function<UserAccount, AccountMailMessage> message) {
        Optional<UserAccount> account = accounts.find(userId);
        if (account.isEmpty()) {
            return;
        }
        AccountMailMessage mail = message.apply(account.get());
        background.execute(() -> {
            try {
                mailer.send(mail);
            }
            catch (RuntimeException ex) {
                log.error("Could not send the {} mail: {}", mail.template(), ex.getMessage());
            }
        });
    }
}
