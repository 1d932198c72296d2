package io.latchkey.api;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import io.latchkey.audit.AuditEvent;
import io.latchkey.audit.AuditEventType;
import io.latchkey.audit.AuditLog;

/**
 * Whether the caller's user holds a permission ({@code PERM_<permission>}, granted by
 * {@link ApiTokenAuthentication} from the user's roles on every request). A caller without it is refused by the
 * rule, and the refusal is recorded: a token probing admin operations is worth seeing in the audit trail.
 */
@Component(ApiPermissionCheck.BEAN)
class ApiPermissionCheck {

    static final String BEAN = "apiPermissions";

    private final AuditLog audit;

    ApiPermissionCheck(AuditLog audit) {
        this.audit = audit;
    }

    public boolean holds(Authentication authentication, String permission) {
        String authority = ApiTokenAuthentication.PERMISSION_PREFIX + permission;
        boolean held = authentication != null
                && authentication.getAuthorities().stream().anyMatch(granted -> authority.equals(granted.getAuthority()));
        if (!held) {
            audit.recordBestEffort(() -> AuditEvent.of(AuditEventType.ADMIN_ACCESS_DENIED)
                    .subject(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                            ? request.getRequest().getMethod() + " " + request.getRequest().getRequestURI() : null)
                    .actor(authentication == null ? "anonymous" : authentication.getName())
                    .detail("permission", permission)
                    .outcome(AuditEvent.REFUSED));
        }
        return held;
    }
}
