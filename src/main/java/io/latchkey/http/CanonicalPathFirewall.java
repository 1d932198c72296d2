package io.latchkey.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.stereotype.Component;

/**
 * Spring Security's firewall, which every request passes before any security filter: request paths must be
 * spelled one way only. On top of {@link StrictHttpFirewall}'s rules (no encoded slashes, periods, backslashes or
 * percent signs, no {@code //}, no {@code ./} or {@code ../} segments, no {@code ;} path parameters, no control
 * characters), a percent-encoded unreserved character ({@code %74} for {@code t}, RFC 3986 section 2.3) is refused
 * too: it has a plain spelling, and only someone trying to slip past a path match would encode it. A refused
 * request is answered 400 ({@code ApiRejectedRequests}). The brute-force limits do not depend on this: they sit
 * where credentials are checked.
 */
@Component
class CanonicalPathFirewall implements HttpFirewall {

    private final StrictHttpFirewall strict = new StrictHttpFirewall();

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri != null && encodesUnreservedCharacter(uri)) {
            throw new RequestRejectedException("The request was rejected because the URL contained an encoded "
                    + "unreserved character");
        }
        return strict.getFirewalledRequest(request);
    }

    @Override
    public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
        return strict.getFirewalledResponse(response);
    }

    static boolean encodesUnreservedCharacter(String path) {
        for (int percent = path.indexOf('%'); percent >= 0 && percent + 2 < path.length();
                percent = path.indexOf('%', percent + 1)) {
            int high = Character.digit(path.charAt(percent + 1), 16);
            int low = Character.digit(path.charAt(percent + 2), 16);
            if (high >= 0 && low >= 0 && isUnreserved((char) (high * 16 + low))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnreserved(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }
}
