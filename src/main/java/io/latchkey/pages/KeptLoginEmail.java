package io.latchkey.pages;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

import io.latchkey.runtime.ProductionCookies;

/**
 * The email a failed sign-in was tried with, shown again in the form after "Wrong email or password." so that only
 * the password needs retyping. It rides in a short-lived cookie of the browser that typed it, not in a session:
 * a visitor gets no session for a failed sign-in, and not in the URL, where it would end up in logs.
 */
@Component
class KeptLoginEmail {

    private static final String COOKIE = "latchkey_login_email";
    private static final Duration KEPT_FOR = Duration.ofMinutes(2);
    /** The longest email the login form takes; a longer one is not kept. */
    private static final int MAX_LENGTH = 320;

    private final ProductionCookies cookies;

    KeptLoginEmail(ProductionCookies cookies) {
        this.cookies = cookies;
    }

    void keep(HttpServletRequest request, HttpServletResponse response) {
        String email = request.getParameter("username");
        // what no address holds (control characters, oversized input) is not worth keeping
        if (email == null || email.isBlank() || email.length() > MAX_LENGTH
                || email.chars().anyMatch(Character::isISOControl)) {
            return;
        }
        response.addHeader("Set-Cookie", cookie(URLEncoder.encode(email.trim(), StandardCharsets.UTF_8), KEPT_FOR)
                .toString());
    }

    /** The kept email, if any; it is forgotten once shown. */
    String take(HttpServletRequest request, HttpServletResponse response) {
        Cookie[] sent = request.getCookies();
        if (sent == null) {
            return null;
        }
        String name = cookies.name(COOKIE);
        return Arrays.stream(sent).filter(cookie -> name.equals(cookie.getName())).findFirst().map(cookie -> {
            response.addHeader("Set-Cookie", cookie("", Duration.ZERO).toString());
            try {
                String email = URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
                return email.length() > MAX_LENGTH || email.chars().anyMatch(Character::isISOControl) ? null : email;
            }
            catch (IllegalArgumentException garbled) {
                return null;
            }
        }).orElse(null);
    }

    private ResponseCookie cookie(String value, Duration maxAge) {
        return ResponseCookie.from(cookies.name(COOKIE), value).path("/").httpOnly(true).sameSite("Lax")
                .secure(cookies.secure(false)).maxAge(maxAge).build();
    }
}
