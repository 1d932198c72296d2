package io.latchkey.http;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The response headers of every Latchkey page and endpoint: no framing, no inline or foreign scripts,
 * no MIME sniffing, no referrer (so codes and tokens in URLs never leak), and Spring Security's
 * {@code Cache-Control: no-store} on everything it protects.
 */
public final class SecurityHeaders {

    /** Every page's policy; a page that must post a form elsewhere adds its own form-action. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    public static void apply(HeadersConfigurer<HttpSecurity> headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                .permissionsPolicyHeader(permissions -> permissions.policy("camera=(), microphone=(), geolocation=()"));
    }
}
