package io.latchkey.oauth;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.web.authentication.ClientSecretBasicAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.ClientSecretPostAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.PublicClientAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.DelegatingAuthenticationConverter;

/**
 * Why the token endpoint refused an authorization code, which the framework answers with a bare
 * {@code invalid_grant}: used before (a replay, after which the tokens issued with it are revoked), expired, or
 * sent with another redirect URI. Only the client the code was issued to learns which: for a code it does not
 * hold, any other client hears that the code is not valid, as for a code that never existed.
 */
final class AuthorizationCodeFailures {

    private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);
    private static final AuthenticationConverter CALLER = new DelegatingAuthenticationConverter(List.of(
            new ClientSecretBasicAuthenticationConverter(), new ClientSecretPostAuthenticationConverter(),
            new JwtClientAssertionAuthenticationConverter(), new PublicClientAuthenticationConverter()));

    private final OAuth2AuthorizationService authorizations;

    AuthorizationCodeFailures(OAuth2AuthorizationService authorizations) {
        this.authorizations = authorizations;
    }

    /** The error with its reason, when it is a bare {@code invalid_grant} for an authorization code. */
    OAuth2Error explain(HttpServletRequest request, OAuth2Error error) {
        if (!OAuth2ErrorCodes.INVALID_GRANT.equals(error.getErrorCode()) || error.getDescription() != null
                || !AuthorizationGrantType.AUTHORIZATION_CODE.getValue()
                        .equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
            return error;
        }
        return new OAuth2Error(error.getErrorCode(), reason(request), error.getUri());
    }

    private String reason(HttpServletRequest request) {
        String code = request.getParameter(OAuth2ParameterNames.CODE);
        OAuth2Authorization authorization = code == null || code.isBlank() ? null
                : authorizations.findByToken(code, CODE);
        if (authorization == null || !issuedToTheCaller(request, authorization)) {
            return OAuthErrorDescriptions.CODE_INVALID;
        }
        OAuth2Authorization.Token<OAuth2AuthorizationCode> issued = authorization.getToken(OAuth2AuthorizationCode.class);
        if (issued == null) {
            return OAuthErrorDescriptions.CODE_INVALID;
        }
        if (issued.isInvalidated()) {
            return OAuthErrorDescriptions.CODE_REPLAYED;
        }
        if (issued.isExpired()) {
            return OAuthErrorDescriptions.CODE_EXPIRED;
        }
        return OAuthErrorDescriptions.REDIRECT_URI_MISMATCH;
    }

    /**
     * Whether the client that sent the request is the one the code was issued to. The framework clears the security
     * context before its failure handler runs, so the caller is read from the request again: its client
     * authentication succeeded already (a failed one never reaches the token endpoint), so the client it names is
     * the authenticated one.
     */
    private static boolean issuedToTheCaller(HttpServletRequest request, OAuth2Authorization authorization) {
        OAuth2AuthorizationRequest authorizationRequest = authorization.getAttribute(
                OAuth2AuthorizationRequest.class.getName());
        Authentication caller;
        try {
            caller = CALLER.convert(request);
        }
        catch (RuntimeException unreadable) {
            return false;
        }
        return authorizationRequest != null && caller != null
                && authorizationRequest.getClientId().equals(caller.getPrincipal());
    }
}
