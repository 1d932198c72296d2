package io.latchkey.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.latchkey.account.Passkeys;
import io.latchkey.account.Permissions;
import io.latchkey.account.SecondFactor;
import io.latchkey.account.SignInFactors;
import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/**
 * Who may use which console page, checked on the controller method itself
 * ({@code @PreAuthorize("@adminConsole.allows(authentication, 'clients:read')")}) so that no spelling of a URL
 * gets around it:
 * <ul>
 * <li>the signed-in user must hold the permission through one of their roles, read from the database on every
 * request (a role taken away applies at once); a refusal is a 403 page and an {@code ACCESS_DENIED} event, as on
 * the API;</li>
 * <li>an admin who has a second factor or a passkey must have proved one in this session: a stolen password alone
 * administers nothing (the same rule as the admin API's, {@code io.latchkey.api.AdminSignInStrength});</li>
 * <li>a change ({@link #allowsChange}) also needs a fresh sign-in ({@code latchkey.admin.fresh-sign-in}).</li>
 * </ul>
 */
@Component(AdminConsoleAccess.BEAN)
@EnableConfigurationProperties(AdminProperties.class)
public class AdminConsoleAccess {

    public static final String BEAN = "adminConsole";

    private final Permissions permissions;
    private final SecondFactor secondFactor;
    private final Passkeys passkeys;
    private final AuditLog audit;
    private final AdminProperties properties;
    private final Clock clock;

    AdminConsoleAccess(Permissions permissions, SecondFactor secondFactor, Passkeys passkeys, AuditLog audit,
            AdminProperties properties, Clock clock) {
        this.permissions = permissions;
        this.secondFactor = secondFactor;
        this.passkeys = passkeys;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** Whether the signed-in user may see a page that needs {@code permission}. */
    public boolean allows(Authentication authentication, String permission) {
        Optional<UUID> user = userOf(authentication);
        if (user.isEmpty() || !permissions.of(user.get()).contains(permission)) {
            audit.recordBestEffort(() -> {
                AuditEvent event = AuditEvent.of(AuditEventType.ACCESS_DENIED).subject(currentPath())
                        .detail("permission", permission).outcome(AuditEvent.REFUSED);
                return user.map(event::user).orElse(event);
            });
            return false;
        }
        if (!SignInFactors.beyondPassword(authentication)
                && (secondFactor.isEnrolled(user.get()) || passkeys.hasPasskey(user.get()))) {
            throw new StrongerSignInNeeded(StrongerSignInNeeded.Step.SECOND_FACTOR);
        }
        return true;
    }

    /** Whether the signed-in user may make a change that needs {@code permission}: as {@link #allows}, signed in recently. */
    public boolean allowsChange(Authentication authentication, String permission) {
        if (!allows(authentication, permission)) {
            return false;
        }
        Instant newest = SignInFactors.newestAt(authentication).orElse(Instant.EPOCH);
        if (newest.plus(properties.freshSignIn()).isBefore(clock.instant())) {
            throw new StrongerSignInNeeded(StrongerSignInNeeded.Step.FRESH_SIGN_IN);
        }
        return true;
    }

    /** The signed-in admin's user id; for a console controller whose method {@link #allows} already checked. */
    public static UUID actor(Authentication authentication) {
        return userOf(authentication).orElseThrow(() -> new IllegalStateException("The console needs a signed-in user"));
    }

    private static Optional<UUID> userOf(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(authentication.getName()));
        }
        catch (IllegalArgumentException notAUser) {
            return Optional.empty();
        }
    }

    private static String currentPath() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? pathOf(attributes.getRequest()) : null;
    }

    private static String pathOf(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI();
    }
}
