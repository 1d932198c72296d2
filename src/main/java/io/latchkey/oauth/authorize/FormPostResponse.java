package io.latchkey.oauth.authorize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import io.latchkey.http.SecurityHeaders;

/**
 * The authorization response as a form posted to the client's redirect URI (OAuth 2.0 Form Post Response Mode,
 * section 2): an HTML page whose form carries the parameters in hidden fields. Nothing on the page is inline
 * script: {@code latchkey-form-post.js} from the theme submits it, and without script the user presses the
 * button. The page is never cached, and its Content-Security-Policy lets forms go to this redirect URI alone
 * ({@code form-action}), which the policy of every other page does not name.
 */
final class FormPostResponse {

    /** What a CSP source expression may hold unquoted; a redirect URI with anything else is allowed by its origin. */
    private static final Pattern PLAIN_SOURCE = Pattern.compile("[A-Za-z0-9\\-._~:/%@!$&()*+=\\[\\]]+");

    private final MessageSource messages;
    private final LocaleResolver locales;

    FormPostResponse(MessageSource messages, LocaleResolver locales) {
        this.messages = messages;
        this.locales = locales;
    }

    /** Answers with the page; {@code parameters} in their order, values not yet encoded. */
    void send(HttpServletRequest request, HttpServletResponse response, String redirectUri,
            Map<String, String> parameters) throws IOException {
        Locale locale = locales.resolveLocale(request);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/html;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Content-Security-Policy",
                SecurityHeaders.CONTENT_SECURITY_POLICY + "; form-action " + formAction(redirectUri));
        String base = request.getContextPath();
        StringBuilder page = new StringBuilder(1024)
                .append("<!DOCTYPE html>\n<html lang=\"").append(escape(locale.getLanguage())).append("\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<title>").append(text("formPost.title", locale)).append(" · ")
                .append(text("app.name", locale)).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"").append(escape(base)).append("/static/latchkey.css\">\n")
                .append("<script src=\"").append(escape(base))
                .append("/static/latchkey-form-post.js\" defer></script>\n")
                .append("</head>\n<body>\n<main class=\"card\">\n<h1>").append(text("formPost.title", locale))
                .append("</h1>\n<p>").append(text("formPost.intro", locale)).append("</p>\n")
                .append("<form method=\"post\" id=\"form-post\" action=\"").append(escape(redirectUri)).append("\">\n");
        parameters.forEach((name, value) -> page.append("<input type=\"hidden\" name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\">\n"));
        page.append("<button type=\"submit\" id=\"form-post-continue\">").append(text("formPost.continue", locale))
                .append("</button>\n</form>\n</main>\n</body>\n</html>\n");
        byte[] body = page.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        try (var out = response.getOutputStream()) {
            out.write(body);
        }
    }

    /**
     * The redirect URI as a CSP source: itself without query (CSP matches paths, not queries) when it can be
     * written there as it is, else its scheme and authority; for an IPv6 literal (which CSP sources cannot name)
     * or a private-use scheme, its scheme.
     */
    static String formAction(String redirectUri) {
        UriComponents uri = UriComponentsBuilder.fromUriString(redirectUri).build();
        String withoutQuery = UriComponentsBuilder.fromUriString(redirectUri).replaceQuery(null).fragment(null).build()
                .toUriString();
        if (uri.getHost() != null && uri.getHost().startsWith("[")) {
            // CSP host sources have no IPv6 literals: the scheme alone, for this one page
            return uri.getScheme() + ":";
        }
        if (PLAIN_SOURCE.matcher(withoutQuery).matches() && uri.getHost() != null) {
            return withoutQuery;
        }
        String origin = uri.getScheme() + ":" + (uri.getHost() == null ? ""
                : "//" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        return PLAIN_SOURCE.matcher(origin).matches() ? origin : "'none'";
    }

    private String text(String key, Locale locale) {
        return escape(messages.getMessage(key, null, key, locale));
    }

    private static String escape(String value) {
        return HtmlUtils.htmlEscape(value, StandardCharsets.UTF_8.name());
    }
}
