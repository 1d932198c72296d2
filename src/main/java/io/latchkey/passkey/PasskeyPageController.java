package io.latchkey.passkey;

import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import io.latchkey.account.AccountRuleViolation;
import io.latchkey.account.AccountService;
import io.latchkey.account.TrustedDevices;

/**
 * {@code /account/passkeys}: the signed-in user's passkeys (add, rename, delete) and going passwordless. Adding is
 * done by the page script against the JSON endpoints ({@link PasskeyEndpoints}); everything else is a plain form.
 */
@Controller
class PasskeyPageController {

    static final String PAGE = "/account/passkeys";
    private static final Set<String> SAVED = Set.of("added", "renamed", "deleted", "passwordRemoved");
    private static final Set<String> ERRORS = Set.of("name", "notFound", "lastPasskey", "passwordRequired",
            "passwordWrong", "noPasskey", "script");

    private final PasskeyService passkeys;
    private final PasskeyEntrance entrance;
    private final AccountService accounts;
    private final TrustedDevices devices;

    PasskeyPageController(PasskeyService passkeys, PasskeyEntrance entrance, AccountService accounts,
            TrustedDevices devices) {
        this.passkeys = passkeys;
        this.entrance = entrance;
        this.accounts = accounts;
        this.devices = devices;
    }

    @GetMapping(PAGE)
    String page(Authentication authentication, Model model, Locale locale,
            @RequestParam(name = "saved", required = false) String saved,
            @RequestParam(name = "error", required = false) String error) {
        UUID userId = userId(authentication);
        // only known outcomes get words: anything else in the URL is ignored
        model.addAttribute("savedKey", saved != null && SAVED.contains(saved) ? "passkeys.saved." + saved : null);
        model.addAttribute("errorKey", error != null && ERRORS.contains(error) ? "passkeys.error." + error : null);
        model.addAttribute("passkeys", passkeys.passkeysOf(userId).stream().map(passkey -> new Row(passkey.id(),
                passkey.name(), passkey.synced(), inUtc(passkey.createdAt(), locale),
                passkey.lastUsedAt() == null ? null : inUtc(passkey.lastUsedAt(), locale))).toList());
        model.addAttribute("hasPassword", passkeys.hasPassword(userId));
        model.addAttribute("recentSignIn", passkeys.recentlySignedIn(authentication));
        model.addAttribute("maxNameLength", PasskeyService.MAX_NAME_LENGTH);
        return "passkeys";
    }

    /** The add form without its script (which makes the passkey in the browser): nothing can be added that way. */
    @PostMapping(PAGE)
    String addWithoutScript() {
        return "redirect:" + PAGE + "?error=script";
    }

    @PostMapping(PAGE + "/rename")
    String rename(Principal principal, @RequestParam(name = "id", required = false) String id,
            @RequestParam(name = "name", required = false) String name) {
        UUID userId = userId(principal);
        Optional<String> acceptable = PasskeyService.acceptableName(name);
        if (acceptable.isEmpty()) {
            return "redirect:" + PAGE + "?error=name";
        }
        return passkeys.rename(userId, id, acceptable.get()) ? "redirect:" + PAGE + "?saved=renamed"
                : "redirect:" + PAGE + "?error=notFound";
    }

    @PostMapping(PAGE + "/delete")
    String delete(Principal principal, @RequestParam(name = "id", required = false) String id) {
        return switch (passkeys.delete(userId(principal), id)) {
            case DELETED -> "redirect:" + PAGE + "?saved=deleted";
            case NOT_FOUND -> "redirect:" + PAGE + "?error=notFound";
            case LAST_PASSKEY_OF_PASSWORDLESS_ACCOUNT -> "redirect:" + PAGE + "?error=lastPasskey";
        };
    }

    /** Going passwordless: a recent sign-in, or else the current password, proves it is the owner asking. */
    @PostMapping(PAGE + "/remove-password")
    String removePassword(Authentication authentication,
            @RequestParam(name = "currentPassword", required = false) String currentPassword,
            HttpServletRequest request) {
        UUID userId = userId(authentication);
        if (!passkeys.hasPasskey(userId)) {
            return "redirect:" + PAGE + "?error=noPasskey";
        }
        if (!passkeys.recentlySignedIn(authentication)) {
            if (currentPassword == null || currentPassword.isEmpty() || currentPassword.length() > 1024) {
                return "redirect:" + PAGE + "?error=passwordRequired";
            }
            try {
                accounts.checkCurrentPassword(userId, currentPassword, devices.originOf(request));
            }
            catch (AccountRuleViolation wrong) {
                return "redirect:" + PAGE + "?error=passwordWrong";
            }
        }
        return passkeys.removePassword(userId) ? "redirect:" + PAGE + "?saved=passwordRemoved"
                : "redirect:" + PAGE;
    }

    /** A passkey as the page lists it; times in UTC, in the page's language. */
    record Row(String id, String name, boolean synced, String created, String lastUsed) {
    }

    private static String inUtc(Instant instant, Locale locale) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)
                .withZone(ZoneOffset.UTC).format(instant) + " UTC";
    }

    private UUID userId(Principal principal) {
        if (!entrance.enabled()) {
            // no passkeys on this server: the page is not there
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return UUID.fromString(principal.getName());
    }
}
