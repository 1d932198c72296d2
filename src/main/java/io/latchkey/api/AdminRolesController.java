package io.latchkey.api;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

import io.latchkey.account.RoleAdministration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Roles and their permissions under {@code /api/v1/admin/}: reading needs {@code roles:read}, changing
 * {@code roles:write} (and the scope {@code latchkey.admin}). The rules are {@link RoleAdministration}'s.
 */
@RestController
@RequestMapping("/api/v1/admin")
@Tag(name = "admin: roles", description = "Roles and permissions (scope latchkey.admin, and the permissions "
        + "roles:read, roles:write)")
class AdminRolesController {

    private final RoleAdministration roles;

    AdminRolesController(RoleAdministration roles) {
        this.roles = roles;
    }

    @GetMapping("/roles")
    @PreAuthorize(ApiAccessRules.ROLES_READ)
    @Operation(summary = "Every role with its permissions and how many users hold it")
    List<AdminUserBodies.Role> list() {
        return roles.roles().stream().map(AdminUserBodies.Role::of).toList();
    }

    @GetMapping("/roles/{name}")
    @PreAuthorize(ApiAccessRules.ROLES_READ)
    @Operation(summary = "One role")
    AdminUserBodies.Role get(@PathVariable("name") String name) {
        return roles.find(name).map(AdminUserBodies.Role::of).orElseThrow(AdminRolesController::notFound);
    }

    @PostMapping("/roles")
    @PreAuthorize(ApiAccessRules.ROLES_WRITE)
    @Operation(summary = "Create a role", description = "name: a lowercase letter, then up to 63 of a-z, 0-9, _ and -; "
            + "unique. permissions: names from GET /api/v1/admin/permissions (none when left out).")
    ResponseEntity<AdminUserBodies.Role> create(Authentication authentication,
            @Valid @RequestBody AdminUserBodies.NewRole body) {
        RoleAdministration.Role created = roles.create(actor(authentication), body.name(), body.description(),
                body.permissions());
        return ResponseEntity.created(UriComponentsBuilder.fromPath("/api/v1/admin/roles/{name}")
                .buildAndExpand(created.name()).toUri()).body(AdminUserBodies.Role.of(created));
    }

    @PutMapping("/roles/{name}/permissions")
    @PreAuthorize(ApiAccessRules.ROLES_WRITE)
    @Operation(summary = "Replace a role's permissions", description = "The role admin keeps every permission: "
            + "a list without one of them is refused.")
    AdminUserBodies.Role setPermissions(Authentication authentication, @PathVariable("name") String name,
            @Valid @RequestBody AdminUserBodies.RolePermissions body) {
        return roles.setPermissions(actor(authentication), name, body.list()).map(AdminUserBodies.Role::of)
                .orElseThrow(AdminRolesController::notFound);
    }

    @DeleteMapping("/roles/{name}")
    @PreAuthorize(ApiAccessRules.ROLES_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a role, which its members lose", description = "The roles admin and user stay.")
    void delete(Authentication authentication, @PathVariable("name") String name) {
        if (!roles.delete(actor(authentication), name)) {
            throw notFound();
        }
    }

    @GetMapping("/permissions")
    @PreAuthorize(ApiAccessRules.ROLES_READ)
    @Operation(summary = "Every permission a role can hold")
    AdminUserBodies.Permissions permissions() {
        return new AdminUserBodies.Permissions(roles.permissions());
    }

    private static UUID actor(Authentication authentication) {
        return UUID.fromString(authentication.getName());
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no such role");
    }
}
