package io.latchkey.api;

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
 * User administration. Every operation needs the scope {@code latchkey.admin} and a permission of the user,
 * checked before it runs ({@link ApiAccessRules}).
 */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "users", description = "User administration (scope latchkey.admin, and the permissions users:read, "
        + "users:write, roles:write)")
class UsersController {

    private final UserAdministration administration;

    UsersController(UserAdministration administration) {
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
    @Operation(summary = "Delete a user, with their sessions, tokens and consents")
    void delete(Authentication authentication, @PathVariable("id") UUID id) {
        exists(administration.delete(actor(authentication), id));
    }

    @PutMapping("/{id}/roles")
    @PreAuthorize(ApiAccessRules.ROLES_WRITE)
    @Operation(summary = "Replace a user's roles")
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

    @PostMapping("/{id}/force-password-reset")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Mail the user a password reset link and revoke their tokens and sessions")
    void forcePasswordReset(@PathVariable("id") UUID id) {
        exists(administration.forcePasswordReset(id, LocaleContextHolder.getLocale()));
    }

    private static UUID actor(Authentication authentication) {
        return UUID.fromString(authentication.getName());
    }

    private static ApiResponses.User found(Optional<UserAccount> user) {
        return user.map(ApiResponses.User::of).orElseThrow(UsersController::notFound);
    }

    private static void exists(boolean found) {
        if (!found) {
            throw notFound();
        }
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no such user");
    }
}
