package io.latchkey.oauth.password;

import java.util.Map;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;

import io.latchkey.client.SupportedGrantTypes;

/** A token request with {@code grant_type=password}: the user's email and password, and the scopes asked for. */
class PasswordGrantAuthenticationToken extends OAuth2AuthorizationGrantAuthenticationToken {

    static final AuthorizationGrantType PASSWORD = SupportedGrantTypes.PASSWORD;

    private final String username;
    private final String password;
    private final Set<String> scopes;

    PasswordGrantAuthenticationToken(String username, String password, Set<String> scopes, Authentication client,
            Map<String, Object> additionalParameters) {
        super(PASSWORD, client, additionalParameters);
        this.username = username;
        this.password = password;
        this.scopes = Set.copyOf(scopes);
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    Set<String> scopes() {
        return scopes;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public void eraseCredentials() {
        // the password lives in its own field, which this token never hands out; nothing else to erase
    }
}
