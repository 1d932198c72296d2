package io.latchkey.production;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Production's session cookie is a Secure {@code __Host-} cookie ({@link ProductionDefaults} makes it one). An
 * operator's own {@code server.servlet.session.cookie.*} settings win over those defaults; this rule refuses those
 * that would undo them, since a browser silently drops a {@code __Host-} cookie that is not Secure, has a Domain or
 * another path, and every sign-in would fail.
 */
final class HostOnlySessionCookieRule implements ProductionRule {

    static final String PREFIX = "server.servlet.session.cookie.";

    @Override
    public List<String> problems(Environment environment) {
        List<String> problems = new ArrayList<>();
        String name = environment.getProperty(PREFIX + "name", "");
        if (!name.startsWith("__Host-")) {
            problems.add(PREFIX + "name (SERVER_SERVLET_SESSION_COOKIE_NAME) must start with __Host- in production "
                    + "(leave it unset for " + ProductionDefaults.SESSION_COOKIE + ")");
        }
        if (!environment.getProperty(PREFIX + "secure", Boolean.class, false)) {
            problems.add(PREFIX + "secure (SERVER_SERVLET_SESSION_COOKIE_SECURE) must be true in production "
                    + "(leave it unset)");
        }
        if (StringUtils.hasText(environment.getProperty(PREFIX + "domain"))) {
            problems.add(PREFIX + "domain (SERVER_SERVLET_SESSION_COOKIE_DOMAIN) must not be set in production: "
                    + "the session cookie is a host-only __Host- cookie");
        }
        if (!"/".equals(environment.getProperty(PREFIX + "path", "/"))) {
            problems.add(PREFIX + "path (SERVER_SERVLET_SESSION_COOKIE_PATH) must be / in production (leave it unset)");
        }
        return problems;
    }
}
