package io.latchkey.mail;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One mail to one account holder: the recipient, the message key of the subject, the template (a name
 * such as {@code mail/verify-email}, rendered from both {@code <name>.html} and {@code <name>.txt} of the
 * theme), the template's model and the language to write it in.
 *
 * <p>Use the factory methods for the mails Latchkey knows; they fill the model each template expects.
 */
public record AccountMailMessage(String to, String subjectKey, String template, Map<String, Object> model,
        Locale locale) {

    static final int MAX_ADDRESS_LENGTH = 320;
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

    public AccountMailMessage {
        if (to == null || to.isBlank() || to.length() > MAX_ADDRESS_LENGTH || CONTROL.matcher(to).find()
                || to.indexOf('@') < 1) {
            throw new IllegalArgumentException("The recipient must be one email address");
        }
        if (subjectKey == null || subjectKey.isBlank()) {
            throw new IllegalArgumentException("The subject message key is missing");
        }
        if (template == null || !TEMPLATE_NAME.matcher(template).matches()) {
            throw new IllegalArgumentException("Template names are lower-case words, digits, - and /: " + template);
        }
        Objects.requireNonNull(locale, "locale");
        to = to.trim();
        model = model == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(model));
    }

    /** Asks a new user to confirm their address. {@code name} may be null. */
    public static AccountMailMessage verifyEmail(String to, Locale locale, String name, String link,
            long expiresInMinutes) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", name == null || name.isBlank() ? null : CONTROL.matcher(name).replaceAll(" ").strip());
        model.put("link", requireLink(link));
        model.put("expiresIn", new DurationInWords(Duration.ofMinutes(expiresInMinutes), DurationInWords.Case.AFTER_IN));
        return new AccountMailMessage(to, "mail.verifyEmail.subject", "mail/verify-email", model, locale);
    }

    /** Sends a link that lets the user choose a new password. */
    public static AccountMailMessage resetPassword(String to, Locale locale, String link, long expiresInMinutes) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("link", requireLink(link));
        model.put("expiresIn", new DurationInWords(Duration.ofMinutes(expiresInMinutes), DurationInWords.Case.AFTER_IN));
        return new AccountMailMessage(to, "mail.resetPassword.subject", "mail/reset-password", model, locale);
    }

    /**
     * Tells the <em>old</em> address that the account's email was changed, with the link that undoes the
     * change (valid for {@code undoLinkTtl}). The new address is shown masked ({@code a***@example.com}).
     */
    public static AccountMailMessage emailChangedNotice(String oldEmail, Locale locale, String newEmail,
            String undoLink, Duration undoLinkTtl) {
        if (undoLinkTtl == null || undoLinkTtl.toHours() < 1) {
            throw new IllegalArgumentException("An undo link lasts at least one hour");
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("newEmail", maskEmail(newEmail));
        model.put("link", requireLink(undoLink));
        model.put("expiresIn", new DurationInWords(undoLinkTtl, DurationInWords.Case.HOW_LONG));
        return new AccountMailMessage(oldEmail, "mail.emailChanged.subject", "mail/email-changed-notice", model,
                locale);
    }

    /**
     * Tells the account's address that its password was changed, {@code when} (shown in UTC in the user's
     * language), so that someone who did not change it knows at once; {@code resetPasswordLink} lets them take the
     * account back.
     */
    public static AccountMailMessage passwordChanged(String to, Locale locale, Instant when, String resetPasswordLink) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("when", inUtc(when, locale));
        model.put("link", requireLink(resetPasswordLink));
        return new AccountMailMessage(to, "mail.passwordChanged.subject", "mail/password-changed", model, locale);
    }

    /**
     * Tells the user that the account is locked until {@code until}, shown in UTC in the user's language.
     * {@code resetPasswordLink} may be null.
     */
    public static AccountMailMessage accountLocked(String to, Locale locale, Instant until, String resetPasswordLink) {
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(locale, "locale");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("until", inUtc(until, locale));
        model.put("link", resetPasswordLink == null ? null : requireLink(resetPasswordLink));
        return new AccountMailMessage(to, "mail.accountLocked.subject", "mail/account-locked", model, locale);
    }

    /**
     * An address with all of its local part but the first character hidden: {@code alice@example.com}
     * becomes {@code a***@example.com}. The domain stays readable so that the user recognises it.
     */
    public static String maskEmail(String email) {
        if (email == null) {
            throw new IllegalArgumentException("No address to mask");
        }
        String address = email.strip();
        int at = address.lastIndexOf('@');
        if (at < 1 || at == address.length() - 1) {
            throw new IllegalArgumentException("Not an email address");
        }
        return address.substring(0, address.offsetByCodePoints(0, 1)) + "***"
                + CONTROL.matcher(address.substring(at)).replaceAll("");
    }

    private static String inUtc(Instant instant, Locale locale) {
        Objects.requireNonNull(instant, "instant");
        Objects.requireNonNull(locale, "locale");
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(locale).withZone(ZoneOffset.UTC).format(instant) + " UTC";
    }

    private static String requireLink(String link) {
        if (link == null || !(link.startsWith("https://") || link.startsWith("http://")) || CONTROL.matcher(link).find()) {
            throw new IllegalArgumentException("Links in mail must be absolute http(s) URLs");
        }
        return link;
    }

    // issue 14, the TOTP second factor (io.latchkey.mfa)

    /**
     * Tells the user that an authenticator app was added to their account as a second factor, {@code when};
     * {@code link} leads to where it can be managed, and to a password reset if it was not them.
     */
    public static AccountMailMessage secondFactorAdded(String to, Locale locale, Instant when, String link) {
        return secondFactorNotice(to, locale, when, link, "secondFactorAdded", "mail/second-factor-added");
    }

    /** Tells the user that the second factor was removed from their account, {@code when}. */
    public static AccountMailMessage secondFactorRemoved(String to, Locale locale, Instant when, String link) {
        return secondFactorNotice(to, locale, when, link, "secondFactorRemoved", "mail/second-factor-removed");
    }

    /** Tells the user that their recovery codes were replaced (the old ones no longer work), {@code when}. */
    public static AccountMailMessage recoveryCodesRegenerated(String to, Locale locale, Instant when, String link) {
        return secondFactorNotice(to, locale, when, link, "recoveryCodesRegenerated",
                "mail/recovery-codes-regenerated");
    }

    private static AccountMailMessage secondFactorNotice(String to, Locale locale, Instant when, String link,
            String key, String template) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("when", inUtc(when, locale));
        model.put("link", requireLink(link));
        return new AccountMailMessage(to, "mail." + key + ".subject", template, model, locale);
    }

    // passkeys (issue 14)

    /** Tells the user that a passkey named {@code passkeyName} was added to the account {@code when}. */
    public static AccountMailMessage passkeyAdded(String to, Locale locale, String passkeyName, Instant when,
            String accountLink) {
        return passkeyMail(to, locale, passkeyName, when, accountLink, "mail.passkeyAdded.subject", "mail/passkey-added");
    }

    /** Tells the user that the passkey named {@code passkeyName} was removed from the account {@code when}. */
    public static AccountMailMessage passkeyRemoved(String to, Locale locale, String passkeyName, Instant when,
            String accountLink) {
        return passkeyMail(to, locale, passkeyName, when, accountLink, "mail.passkeyRemoved.subject",
                "mail/passkey-removed");
    }

    /** Tells the user that the account's password was removed {@code when}: it signs in with passkeys only. */
    public static AccountMailMessage passwordRemoved(String to, Locale locale, Instant when, String resetPasswordLink) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("when", inUtc(when, locale));
        model.put("link", requireLink(resetPasswordLink));
        return new AccountMailMessage(to, "mail.passwordRemoved.subject", "mail/password-removed", model, locale);
    }

    private static AccountMailMessage passkeyMail(String to, Locale locale, String passkeyName, Instant when,
            String accountLink, String subjectKey, String template) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("passkey", passkeyName == null ? "" : CONTROL.matcher(passkeyName).replaceAll(" ").strip());
        model.put("when", inUtc(when, locale));
        model.put("link", requireLink(accountLink));
        return new AccountMailMessage(to, subjectKey, template, model, locale);
    }
}
