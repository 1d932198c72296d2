package io.latchkey.runtime;

import org.springframework.stereotype.Component;

/**
 * The names and flags of the cookies Latchkey sets itself (the session cookie follows Spring Boot's
 * {@code server.servlet.session.cookie.*}, see {@code io.latchkey.production.ProductionDefaults}). In production
 * every one is {@code Secure} and carries the {@code __Host-} prefix, which browsers accept only with
 * {@code Secure}, {@code Path=/} and no {@code Domain}: a sibling subdomain or a plain-HTTP page can then neither set
 * nor overwrite it. Evaluation mode keeps the plain names, so that it works over plain HTTP on localhost.
 */
@Component
public class ProductionCookies {

    static final String HOST_PREFIX = "__Host-";

    private final boolean production;

    public ProductionCookies(RuntimeMode mode) {
        this.production = mode.isProduction();
    }

    /** The name of the cookie called {@code name} in evaluation mode. Always use it with {@code Path=/}, no Domain. */
    public String name(String name) {
        return production ? HOST_PREFIX + name : name;
    }

    /** Whether to mark the cookie Secure: always in production, otherwise as {@code otherwise} says. */
    public boolean secure(boolean otherwise) {
        return production || otherwise;
    }
}
