package io.latchkey.production;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Production's session cookie is a Secure {@code __Host-} cookie on path {@code /} without a Domain
 * ({@link ProductionDefaults} makes it one). A browser silently drops a {@code __Host-} cookie with a Domain, so
 * every sign-in would fail: this rule refuses a configured {@code server.servlet.session.cookie.domain}, and the
 * settings that production would otherwise have to overrule behind the operator's back ({@code secure=false}, a
 * path other than {@code /}).
 */
final class HostOnlySessionCookieRule implements ProductionRule {

    static final String PREFIX = "server.servlet.session.cookie.";

    @Override
    public List<String> problems(Environment environment) {
        List<String> problems = new ArrayList<>();
        if (StringUtils.hasText(environment.getProperty(PREFIX + "domain"))) {
            problems.add(PREFIX + "domain (SERVER_SERVLET_SESSION_COOKIE_DOMAIN) must not be set in production: "
                    + "the session cookie is a host-only __Host- cookie");
        }
        if ("false".equalsIgnoreCase(environment.getProperty(PREFIX + "secure", "").trim())) {
            problems.add(PREFIX + "secure (SERVER_SERVLET_SESSION_COOKIE_SECURE) must not be false in production "
                    + "(leave it unset)");
        }
        String path = environment.getProperty(PREFIX + "path");
        if (StringUtils.hasText(path) && !"/".equals(path.trim())) {
            problems.add(PREFIX + "path (SERVER_SERVLET_SESSION_COOKIE_PATH) must be / in production (leave it unset)");
        }
        return problems;
    }
}
