package io.latchkey.oauth.authorize;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/** The {@code prompt} parameter of an authorization request (OpenID Connect Core 3.1.2.1), as a set of values. */
record Prompt(Set<String> values) {

    static Prompt of(OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        Object prompt = request.getAdditionalParameters().get("prompt");
        if (!(prompt instanceof String value) || value.isBlank()) {
            return new Prompt(Set.of());
        }
        return new Prompt(Arrays.stream(value.trim().split(" +")).collect(Collectors.toSet()));
    }

    boolean none() {
        return values.contains("none");
    }

    boolean login() {
        return values.contains("login");
    }

    /** {@code none} with any other value, which the framework refuses as {@code invalid_request}. */
    boolean noneWithOthers() {
        return none() && values.size() > 1;
    }
}
