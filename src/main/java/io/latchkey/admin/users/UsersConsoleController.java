package io.latchkey.admin.users;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.latchkey.account.AccountRuleViolation;
import io.latchkey.account.Permissions;
import io.latchkey.account.UserAccount;
import io.latchkey.account.UserAdministration;
import io.latchkey.account.UserPage;
import io.latchkey.admin.AdminConsoleAccess;
import io.latchkey.session.ReadableAddress;

/**
 * The console's users: {@code /admin/users} (search and pages) and {@code /admin/users/{id}} (one user, with a form
 * for each change). Pages need {@code users:read}; each change needs {@code users:write} (roles: {@code roles:write})
 * and a fresh sign-in. The rules (nobody disables, deletes or takes admin from themselves) are
 * {@link UserAdministration}'s; a refusal is shown on the user's page. An unknown or malformed id is a 404 page.
 */
@Controller
class UsersConsoleController {

    static final String PATH = "/admin/users";
    static final int PAGE_SIZE = 25;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final UserAdministration users;
    private final Permissions permissions;

    UsersConsoleController(UserAdministration users, Permissions permissions) {
        this.users = users;
        this.permissions = permissions;
    }

    @GetMapping(PATH)
    @PreAuthorize("@adminConsole.allows(authentication, 'users:read')")
    String list(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "page", required = false) String page, Model model, HttpServletResponse response) {
        int number = pageNumber(page);
        UserPage found;
        try {
            found = users.search(q, number, PAGE_SIZE);
        }
        catch (AccountRuleViolation invalid) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("queryError", "admin.users.search.invalid");
            found = new UserPage(List.of(), 0, PAGE_SIZE, 0);
        }
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("users", found.users().stream().map(user -> new UserRow(user.id(), user.email(), user.name(),
                String.join(", ", new TreeSet<>(user.roles())), user.enabled())).toList());
        model.addAttribute("page", found.page());
        model.addAttribute("total", found.total());
        model.addAttribute("hasPrevious", found.page() > 0);
        model.addAttribute("hasNext", (long) (found.page() + 1) * found.size() < found.total());
        return "admin/users/list";
    }

    @GetMapping(PATH + "/{id}")
    @PreAuthorize("@adminConsole.allows(authentication, 'users:read')")
    String show(@PathVariable("id") String id, Authentication authentication, Model model,
            HttpServletResponse response) {
        Optional<UserAccount> user = user(id);
        if (user.isEmpty()) {
            return notFound(response, model);
        }
        return page(user.get(), authentication, model);
    }

    @PostMapping(PATH + "/{id}/disable")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String disable(@PathVariable("id") String id, Authentication authentication, Model model,
            HttpServletResponse response) {
        return change(id, authentication, model, response, "userDisabled",
                (actor, user) -> users.setEnabled(actor, user, false));
    }

    @PostMapping(PATH + "/{id}/enable")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String enable(@PathVariable("id") String id, Authentication authentication, Model model,
            HttpServletResponse response) {
        return change(id, authentication, model, response, "userEnabled",
                (actor, user) -> users.setEnabled(actor, user, true));
    }

    @PostMapping(PATH + "/{id}/unlock")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String unlock(@PathVariable("id") String id, Authentication authentication, Model model,
            HttpServletResponse response) {
        return change(id, authentication, model, response, "userUnlocked", users::unlock);
    }

    @PostMapping(PATH + "/{id}/delete")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String delete(@PathVariable("id") String id, Authentication authentication, Model model,
            HttpServletResponse response) {
        String next = change(id, authentication, model, response, "userDeleted", users::delete);
        return next.startsWith("redirect:") ? "redirect:" + PATH + "?done=userDeleted" : next;
    }

    @PostMapping(PATH + "/{id}/reset-mail")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String sendResetMail(@PathVariable("id") String id, Authentication authentication, Model model,
            HttpServletResponse response, Locale locale) {
        return change(id, authentication, model, response, "userResetMailSent",
                (actor, user) -> users.sendResetMail(actor, user, locale));
    }

    @PostMapping(PATH + "/{id}/roles")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'roles:write')")
    String setRoles(@PathVariable("id") String id, @RequestParam(name = "roles", required = false) List<String> roles,
            Authentication authentication, Model model, HttpServletResponse response) {
        return change(id, authentication, model, response, "userRolesSaved",
                (actor, user) -> users.setRoles(actor, user, roles == null ? List.of() : roles).isPresent());
    }

    @PostMapping(PATH + "/{id}/sessions/end")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String endSession(@PathVariable("id") String id, @RequestParam(name = "session", required = false) String session,
            Authentication authentication, Model model, HttpServletResponse response) {
        return change(id, authentication, model, response, "userSessionEnded",
                (actor, user) -> users.endSession(actor, user, session) || gone("session"));
    }

    @PostMapping(PATH + "/{id}/sessions/end-all")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String endAllSessions(@PathVariable("id") String id, Authentication authentication, Model model,
            HttpServletResponse response) {
        return change(id, authentication, model, response, "userSessionsEnded", users::endAllSessions);
    }

    @PostMapping(PATH + "/{id}/consents/revoke")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String revokeConsent(@PathVariable("id") String id, @RequestParam(name = "client", required = false) String client,
            Authentication authentication, Model model, HttpServletResponse response) {
        return change(id, authentication, model, response, "userConsentRevoked",
                (actor, user) -> users.revokeConsent(actor, user, client) || gone("consent"));
    }

    @PostMapping(PATH + "/{id}/passkeys/delete")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String deletePasskey(@PathVariable("id") String id, @RequestParam(name = "passkey", required = false) String passkey,
            Authentication authentication, Model model, HttpServletResponse response) {
        return change(id, authentication, model, response, "userPasskeyDeleted",
                (actor, user) -> users.deletePasskey(actor, user, passkey) || gone("passkey"));
    }

    @PostMapping(PATH + "/{id}/second-factor/remove")
    @PreAuthorize("@adminConsole.allowsChange(authentication, 'users:write')")
    String removeSecondFactor(@PathVariable("id") String id, Authentication authentication, Model model,
            HttpServletResponse response) {
        return change(id, authentication, model, response, "userSecondFactorRemoved",
                (actor, user) -> users.removeSecondFactor(actor, user) || gone("secondFactor"));
    }

    /** A change to an existing user: done (back to their page), refused (their page with the reason) or no such user. */
    private String change(String id, Authentication authentication, Model model, HttpServletResponse response,
            String done, Change change) {
        Optional<UserAccount> user = user(id);
        if (user.isEmpty()) {
            return notFound(response, model);
        }
        UUID userId = user.get().id();
        try {
            if (!change.apply(AdminConsoleAccess.actor(authentication), userId)) {
                return notFound(response, model);
            }
        }
        catch (AccountRuleViolation refused) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("errorKey", refused.messageKey());
            Optional<UserAccount> current = users.find(userId);
            return current.isEmpty() ? notFound(response, model) : page(current.get(), authentication, model);
        }
        return "redirect:" + PATH + "/" + userId + "?done=" + done;
    }

    /** Something of the user's that is not there (any more): shown on their page, like a refusal. */
    private static boolean gone(String what) {
        throw new AccountRuleViolation(what, "admin.users.gone." + what);
    }

    private String page(UserAccount user, Authentication authentication, Model model) {
        UUID id = user.id();
        Set<String> own = permissions.of(AdminConsoleAccess.actor(authentication));
        model.addAttribute("user", user);
        model.addAttribute("self", id.equals(AdminConsoleAccess.actor(authentication)));
        model.addAttribute("locked", users.isLocked(id));
        model.addAttribute("allRoles", users.roles());
        model.addAttribute("sessions", users.sessions(id).stream().map(session -> new SessionRow(session.handle(),
                device(session.browser(), session.system()), session.ip() == null ? "" : ReadableAddress.of(session.ip()),
                when(session.signedInAt()), when(session.lastSeenAt()))).toList());
        model.addAttribute("consents", users.consents(id));
        model.addAttribute("passkeys", users.passkeys(id).stream().map(passkey -> new PasskeyRow(passkey.id(),
                passkey.name(), passkey.synced(), when(passkey.createdAt()), when(passkey.lastUsedAt()))).toList());
        model.addAttribute("secondFactor", users.hasSecondFactor(id));
        model.addAttribute("canWriteUsers", own.contains(Permissions.USERS_WRITE));
        model.addAttribute("canWriteRoles", own.contains(Permissions.ROLES_WRITE));
        return "admin/users/user";
    }

    private Optional<UserAccount> user(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        try {
            return users.find(UUID.fromString(id));
        }
        catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    static String notFound(HttpServletResponse response, Model model) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        model.addAttribute("notFoundKey", "admin.users.notFound");
        model.addAttribute("backPath", PATH);
        model.addAttribute("section", "users");
        return "admin/users/not-found";
    }

    private static int pageNumber(String page) {
        if (page == null || !page.matches("[0-9]{1,6}")) {
            return 0;
        }
        return Integer.parseInt(page);
    }

    private static String device(String browser, String system) {
        if (browser == null && system == null) {
            return "";
        }
        return (browser == null ? "?" : browser) + " / " + (system == null ? "?" : system);
    }

    private static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }

    @FunctionalInterface
    private interface Change {
        boolean apply(UUID actor, UUID user);
    }

    record UserRow(UUID id, String email, String name, String roles, boolean enabled) {
    }

    record SessionRow(String handle, String device, String address, String signedInAt, String lastSeenAt) {
    }

    record PasskeyRow(String id, String name, boolean synced, String createdAt, String lastUsedAt) {
    }
}
