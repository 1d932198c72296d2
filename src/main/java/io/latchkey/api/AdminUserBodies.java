package io.latchkey.api;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.latchkey.account.ConnectedApplications;
import io.latchkey.account.Passkeys;
import io.latchkey.account.RoleAdministration;
import io.latchkey.account.UserAdministration;

/** The JSON bodies of the user and role administration under {@code /api/v1/admin/}. */
final class AdminUserBodies {

    private AdminUserBodies() {
    }

    /** One of a user's sessions: a handle (never the session id), the device, and when. */
    record Session(String handle, String browser, String system, String ip, Instant signedInAt, Instant lastSeenAt) {

        static Session of(UserAdministration.Session session) {
            return new Session(session.handle(), session.browser(), session.system(), session.ip(),
                    session.signedInAt(), session.lastSeenAt());
        }
    }

    record Consent(String clientId, String clientName, List<String> scopes) {

        static Consent of(ConnectedApplications.ConnectedApplication application) {
            return new Consent(application.clientId(), application.clientName(), application.scopes());
        }
    }

    record Passkey(String id, String name, boolean synced, Instant createdAt, Instant lastUsedAt) {

        static Passkey of(Passkeys.PasskeySummary passkey) {
            return new Passkey(passkey.id(), passkey.name(), passkey.synced(), passkey.createdAt(), passkey.lastUsedAt());
        }
    }

    record SecondFactorStatus(boolean enrolled) {
    }

    /** A role with its permissions (in the order of GET /api/v1/admin/permissions) and how many users hold it. */
    record Role(String name, String description, List<String> permissions, long members) {

        static Role of(RoleAdministration.Role role) {
            return new Role(role.name(), role.description(), role.permissionsInOrder(), role.members());
        }
    }

    record Permissions(List<String> items) {
    }

    record NewRole(
            @NotNull(message = "{field.required}")
            @Pattern(regexp = RoleAdministration.NAME_RULE, message = "{role.name.invalid}") String name,
            @Size(max = RoleAdministration.MAX_DESCRIPTION_LENGTH, message = "{role.description.invalid}") String description,
            @Size(max = RoleAdministration.MAX_PERMISSIONS_IN_REQUEST, message = "{role.permission.unknown}")
            List<String> permissions) {
    }

    record RolePermissions(
            @NotNull(message = "{field.required}")
            @Size(max = RoleAdministration.MAX_PERMISSIONS_IN_REQUEST, message = "{role.permission.unknown}")
            List<String> permissions) {

        Collection<String> list() {
            return permissions;
        }
    }
}
