package io.latchkey.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.validation.Valid;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.latchkey.account.UserAccount;
import io.latchkey.account.UserAdministration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * User administration under {@value #PATH}. Every operation needs the scope {@code latchkey.admin} and a
 * permission of the user, checked before it runs ({@link ApiAccessRules}); the rules about the accounts themselves
 * are {@link UserAdministration}'s. The operations that were under {@code /api/v1/users} answer there too, for one
 * release ({@link DeprecatedUsersController}).
 */
@RestController
@RequestMapping(AdminUsersController.PATH)
@Tag(name = "admin: users", description = "User administration (scope latchkey.admin, and the permissions users:read, "
        + "users:write, roles:write)")
class AdminUsersController {

    static final String PATH = "/api/v1/admin/users";

    private final UserAdministration administration;

    AdminUsersController(UserAdministration administration) {
        this.administration = administration;
    }

    @GetMapping
    @PreAuthorize(ApiAccessRules.USERS_READ)
    @Operation(summary = "Search users by email or name", description = "size is capped at 100; q matches anywhere, any case")
    ApiResponses.Users search(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "page", defaultValue = "0") int page,
            @RequestParam(name = "size", defaultValue = "20") int size) {
        return ApiResponses.Users.of(administration.search(q, page, size));
    }

    @GetMapping("/{id}")
    @PreAuthorize(ApiAccessRules.USERS_READ)
    @Operation(summary = "One user")
    ApiResponses.User get(@PathVariable("id") UUID id) {
        return found(administration.find(id));
    }

    @PatchMapping("/{id}")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @Operation(summary = "Change a user's name or whether they are enabled")
    ApiResponses.User update(Authentication authentication, @PathVariable("id") UUID id,
            @Valid @RequestBody ApiRequests.UserChange body) {
        return found(administration.update(actor(authentication), id, Optional.ofNullable(body.name()),
                Optional.ofNullable(body.enabled())));
    }

    @DeleteMapping("/{id}")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a user, with their sessions, tokens and consents", description = "Nobody deletes "
            + "their own account this way.")
    void delete(Authentication authentication, @PathVariable("id") UUID id) {
        exists(administration.delete(actor(authentication), id));
    }

    @PutMapping("/{id}/roles")
    @PreAuthorize(ApiAccessRules.ROLES_WRITE)
    @Operation(summary = "Replace a user's roles", description = "Only existing roles; nobody takes the role admin "
            + "from themselves.")
    ApiResponses.User setRoles(Authentication authentication, @PathVariable("id") UUID id,
            @Valid @RequestBody ApiRequests.Roles body) {
        return found(administration.setRoles(actor(authentication), id, body.roles()));
    }

    @PostMapping("/{id}/disable")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Disable a user: they cannot sign in, and their sessions and tokens end")
    void disable(Authentication authentication, @PathVariable("id") UUID id) {
        exists(administration.setEnabled(actor(authentication), id, false));
    }

    @PostMapping("/{id}/enable")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Enable a user again")
    void enable(Authentication authentication, @PathVariable("id") UUID id) {
        exists(administration.setEnabled(actor(authentication), id, true));
    }

    @PostMapping("/{id}/unlock")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End the account's lock (permanent, or after failed sign-ins)")
    void unlock(Authentication authentication, @PathVariable("id") UUID id) {
        exists(administration.unlock(actor(authentication), id));
    }

    @PostMapping("/{id}/force-password-reset")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Clear the user's password, end their sessions and tokens, and mail them a reset link")
    void forcePasswordReset(Authentication authentication, @PathVariable("id") UUID id) {
        exists(administration.forcePasswordReset(actor(authentication), id, LocaleContextHolder.getLocale()));
    }

    @PostMapping("/{id}/reset-mail")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Mail the user a password reset link", description = "The password, sessions and tokens "
            + "stay as they are; the link lets the user choose a new password.")
    void sendResetMail(Authentication authentication, @PathVariable("id") UUID id) {
        exists(administration.sendResetMail(actor(authentication), id, LocaleContextHolder.getLocale()));
    }

    @GetMapping("/{id}/sessions")
    @PreAuthorize(ApiAccessRules.USERS_READ)
    @Operation(summary = "The user's browser sessions", description = "Each is named by a handle, never its id.")
    List<AdminUserBodies.Session> sessions(@PathVariable("id") UUID id) {
        known(id);
        return administration.sessions(id).stream().map(AdminUserBodies.Session::of).toList();
    }

    @DeleteMapping("/{id}/sessions")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Sign the user out everywhere: every session ends and every token is revoked")
    void endAllSessions(Authentication authentication, @PathVariable("id") UUID id) {
        exists(administration.endAllSessions(actor(authentication), id));
    }

    @DeleteMapping("/{id}/sessions/{handle}")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End one of the user's sessions")
    void endSession(Authentication authentication, @PathVariable("id") UUID id, @PathVariable("handle") String handle) {
        known(id);
        exists(administration.endSession(actor(authentication), id, handle), "There is no such session");
    }

    @GetMapping("/{id}/consents")
    @PreAuthorize(ApiAccessRules.USERS_READ)
    @Operation(summary = "The applications the user consented to, with the scopes granted")
    List<AdminUserBodies.Consent> consents(@PathVariable("id") UUID id) {
        known(id);
        return administration.consents(id).stream().map(AdminUserBodies.Consent::of).toList();
    }

    @DeleteMapping("/{id}/consents/{clientId}")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Withdraw the user's consent to a client and revoke the client's tokens for them")
    void revokeConsent(Authentication authentication, @PathVariable("id") UUID id,
            @PathVariable("clientId") String clientId) {
        known(id);
        exists(administration.revokeConsent(actor(authentication), id, clientId), "There is no such consent");
    }

    @GetMapping("/{id}/passkeys")
    @PreAuthorize(ApiAccessRules.USERS_READ)
    @Operation(summary = "The user's passkeys", description = "id is the credential id (base64url), never a key.")
    List<AdminUserBodies.Passkey> passkeys(@PathVariable("id") UUID id) {
        known(id);
        return administration.passkeys(id).stream().map(AdminUserBodies.Passkey::of).toList();
    }

    @DeleteMapping("/{id}/passkeys/{passkeyId}")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete one of the user's passkeys", description = "The last passkey of an account without "
            + "a password is refused (400): mail the user a reset link first.")
    void deletePasskey(Authentication authentication, @PathVariable("id") UUID id,
            @PathVariable("passkeyId") String passkeyId) {
        known(id);
        exists(administration.deletePasskey(actor(authentication), id, passkeyId), "There is no such passkey");
    }

    @GetMapping("/{id}/second-factor")
    @PreAuthorize(ApiAccessRules.USERS_READ)
    @Operation(summary = "Whether the user has a second factor (a TOTP authenticator)")
    AdminUserBodies.SecondFactorStatus secondFactor(@PathVariable("id") UUID id) {
        known(id);
        return new AdminUserBodies.SecondFactorStatus(administration.hasSecondFactor(id));
    }

    @DeleteMapping("/{id}/second-factor")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove the user's second factor and recovery codes", description = "404 when they have none.")
    void removeSecondFactor(Authentication authentication, @PathVariable("id") UUID id) {
        known(id);
        exists(administration.removeSecondFactor(actor(authentication), id), "The user has no second factor");
    }

    private static UUID actor(Authentication authentication) {
        return UUID.fromString(authentication.getName());
    }

    private void known(UUID id) {
        exists(administration.find(id).isPresent());
    }

    private static ApiResponses.User found(Optional<UserAccount> user) {
        return user.map(ApiResponses.User::of).orElseThrow(() -> notFound("There is no such user"));
    }

    private static void exists(boolean found) {
        exists(found, "There is no such user");
    }

    private static void exists(boolean found, String detail) {
        if (!found) {
            throw notFound(detail);
        }
    }

    private static ResponseStatusException notFound(String detail) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, detail);
    }
}
