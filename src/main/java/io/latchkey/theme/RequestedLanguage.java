package io.latchkey.theme;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;

/**
 * Keeps the language across redirects. {@code ?lang=de} on any page is the user's choice: it is stored in the
 * language cookie before the security filters run, so the login page a protected page redirects to, and the page
 * after signing in, speak it too. An application's {@code ui_locales} (OpenID Connect Core 1.0 section 3.1.2.1) on
 * an authorization request is its wish for this visit: it is kept only when the user has not chosen a language.
 * Only the languages Latchkey has are taken; anything else is ignored.
 */
final class RequestedLanguage extends OncePerRequestFilter {

    private static final int MAX_UI_LOCALES = 200;

    private final LocaleResolver locales;
    private final String cookieName;

    RequestedLanguage(LocaleResolver locales, String cookieName) {
        this.locales = locales;
        this.cookieName = cookieName;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("GET".equals(request.getMethod())) {
            Optional<Locale> chosen = supported(request.getParameter("lang"));
            if (chosen.isPresent()) {
                locales.setLocale(request, response, chosen.get());
            }
            else if (!hasLanguageCookie(request)) {
                firstSupported(request.getParameter("ui_locales"))
                        .ifPresent(locale -> locales.setLocale(request, response, locale));
            }
        }
        chain.doFilter(request, response);
    }

    private boolean hasLanguageCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return false;
        }
        for (Cookie cookie : cookies) {
            if (cookieName.equals(cookie.getName())) {
                return true;
            }
        }
        return false;
    }

    /** The first of the space-separated BCP 47 tags, in the order of preference given, that Latchkey has. */
    private static Optional<Locale> firstSupported(String uiLocales) {
        if (uiLocales == null || uiLocales.length() > MAX_UI_LOCALES) {
            return Optional.empty();
        }
        for (String tag : uiLocales.trim().split("\\s+")) {
            Optional<Locale> locale = supported(tag);
            if (locale.isPresent()) {
                return locale;
            }
        }
        return Optional.empty();
    }

    private static Optional<Locale> supported(String tag) {
        if (tag == null || tag.isBlank() || tag.length() > 35) {
            return Optional.empty();
        }
        String language = Locale.forLanguageTag(tag.replace('_', '-')).getLanguage();
        return LanguageConfiguration.SUPPORTED.stream().filter(locale -> locale.getLanguage().equals(language))
                .findFirst();
    }
}
