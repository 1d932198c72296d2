package io.latchkey.api;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Marks every answer under the old admin paths {@code /api/v1/users[/...]} (not {@code /api/v1/users/me}, which is
 * the caller's own account and stays) as deprecated, refusals included: {@code Deprecation: true} (RFC 9745) and a
 * {@code Link} to the same operation under {@value AdminUsersController#PATH} ({@code rel="successor-version"}).
 * They are served by the same handlers ({@link DeprecatedUsersController}) for one release.
 */
final class DeprecatedUserPaths extends OncePerRequestFilter {

    static final String OLD = "/api/v1/users";
    /** Only a plain rest of the path is repeated in the Link header; anything else links to the collection. */
    private static final Pattern PLAIN_REST = Pattern.compile("(/[A-Za-z0-9._~-]{1,200}){0,4}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (deprecated(path)) {
            String rest = path.substring(OLD.length());
            String successor = AdminUsersController.PATH + (PLAIN_REST.matcher(rest).matches() ? rest : "");
            response.setHeader("Deprecation", "true");
            response.setHeader("Link", "<" + successor + ">; rel=\"successor-version\"");
        }
        chain.doFilter(request, response);
    }

    static boolean deprecated(String path) {
        if (!path.equals(OLD) && !path.startsWith(OLD + "/")) {
            return false;
        }
        return !path.equals(OLD + "/me") && !path.startsWith(OLD + "/me/");
    }
}
