package io.latchkey.api;

import java.util.UUID;

import jakarta.validation.Valid;

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

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The admin operations' old paths under {@code /api/v1/users}, kept for one release: each is the handler of
 * {@link AdminUsersController} under the same rule, and every answer carries {@code Deprecation} and a {@code Link}
 * to its successor ({@link DeprecatedUserPaths}). {@code /api/v1/users/me} is not one of them ({@link MeController}).
 */
@RestController
@RequestMapping(DeprecatedUserPaths.OLD)
@Tag(name = "users (deprecated)", description = "The admin operations' old paths: use /api/v1/admin/users. Removed "
        + "in the next release.")
class DeprecatedUsersController {

    private static final String USE = "Deprecated: use the same operation under /api/v1/admin/users.";

    private final AdminUsersController users;

    DeprecatedUsersController(AdminUsersController users) {
        this.users = users;
    }

    @GetMapping
    @PreAuthorize(ApiAccessRules.USERS_READ)
    @Operation(summary = "Search users by email or name", description = USE, deprecated = true)
    ApiResponses.Users search(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "page", defaultValue = "0") int page,
            @RequestParam(name = "size", defaultValue = "20") int size) {
        return users.search(q, page, size);
    }

    @GetMapping("/{id}")
    @PreAuthorize(ApiAccessRules.USERS_READ)
    @Operation(summary = "One user", description = USE, deprecated = true)
    ApiResponses.User get(@PathVariable("id") UUID id) {
        return users.get(id);
    }

    @PatchMapping("/{id}")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @Operation(summary = "Change a user's name or whether they are enabled", description = USE, deprecated = true)
    ApiResponses.User update(Authentication authentication, @PathVariable("id") UUID id,
            @Valid @RequestBody ApiRequests.UserChange body) {
        return users.update(authentication, id, body);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a user", description = USE, deprecated = true)
    void delete(Authentication authentication, @PathVariable("id") UUID id) {
        users.delete(authentication, id);
    }

    @PutMapping("/{id}/roles")
    @PreAuthorize(ApiAccessRules.ROLES_WRITE)
    @Operation(summary = "Replace a user's roles", description = USE, deprecated = true)
    ApiResponses.User setRoles(Authentication authentication, @PathVariable("id") UUID id,
            @Valid @RequestBody ApiRequests.Roles body) {
        return users.setRoles(authentication, id, body);
    }

    @PostMapping("/{id}/disable")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Disable a user", description = USE, deprecated = true)
    void disable(Authentication authentication, @PathVariable("id") UUID id) {
        users.disable(authentication, id);
    }

    @PostMapping("/{id}/enable")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Enable a user again", description = USE, deprecated = true)
    void enable(Authentication authentication, @PathVariable("id") UUID id) {
        users.enable(authentication, id);
    }

    @PostMapping("/{id}/force-password-reset")
    @PreAuthorize(ApiAccessRules.USERS_WRITE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Clear the user's password and mail them a reset link", description = USE, deprecated = true)
    void forcePasswordReset(Authentication authentication, @PathVariable("id") UUID id) {
        users.forcePasswordReset(authentication, id);
    }
}
