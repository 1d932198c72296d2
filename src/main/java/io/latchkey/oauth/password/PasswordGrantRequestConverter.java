package io.latchkey.oauth.password;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

import io.latchkey.oauth.dpop.VerifiedProof;

/** Reads a {@code grant_type=password} token request (RFC 6749 section 4.3.2). */
class PasswordGrantRequestConverter implements AuthenticationConverter {

    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final int MAX_USERNAME_LENGTH = 320;
    static final int MAX_PASSWORD_LENGTH = 1024;

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (!PasswordGrantAuthenticationToken.PASSWORD.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
            return null;
        }
        Authentication client = SecurityContextHolder.getContext().getAuthentication();
        String username = single(request, USERNAME, MAX_USERNAME_LENGTH);
        String password = single(request, PASSWORD, MAX_PASSWORD_LENGTH);
        String scope = request.getParameter(OAuth2ParameterNames.SCOPE);
        if (scope != null && request.getParameterValues(OAuth2ParameterNames.SCOPE).length > 1) {
            throw invalidRequest(OAuth2ParameterNames.SCOPE);
        }
        Set<String> scopes = StringUtils.hasText(scope)
                ? new LinkedHashSet<>(Arrays.asList(StringUtils.delimitedListToStringArray(scope.trim(), " ")))
                : Set.of();
        Map<String, Object> additional = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!Set.of(OAuth2ParameterNames.GRANT_TYPE, USERNAME, PASSWORD,
                    OAuth2ParameterNames.SCOPE, OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.CLIENT_SECRET)
                    .contains(name)) {
                additional.put(name, values.length == 1 ? values[0] : values);
            }
        });
        // a DPoP proof the token endpoint verified (io.latchkey.oauth.dpop): the access token is bound to its key
        if (request.getAttribute(VerifiedProof.ATTRIBUTE) instanceof VerifiedProof proof) {
            additional.put(VerifiedProof.ATTRIBUTE, proof);
        }
        return new PasswordGrantAuthenticationToken(username, password, scopes, client, additional);
    }

    private static String single(HttpServletRequest request, String name, int maxLength) {
        String[] values = request.getParameterValues(name);
        if (values == null || values.length != 1 || !StringUtils.hasText(values[0]) || values[0].length() > maxLength) {
            throw invalidRequest(name);
        }
        return values[0];
    }

    private static OAuth2AuthenticationException invalidRequest(String parameter) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                "OAuth 2.0 Parameter: " + parameter, null));
    }
}
