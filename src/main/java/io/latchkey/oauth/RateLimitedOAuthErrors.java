package io.latchkey.oauth;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ErrorAuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * The error answers of the token endpoint and of client authentication (token, introspection, revocation), with one
 * addition: a request refused by a brute-force limit gets {@code 429} {@code temporarily_unavailable} with
 * {@code Retry-After}, in the JSON of RFC 6749 section 5.2. Every other error is answered as the framework does.
 * A refusal at the token endpoint is counted for the admin dashboard ({@link TokenRefusals}).
 */
final class RateLimitedOAuthErrors implements AuthenticationFailureHandler {

    private final AuthenticationFailureHandler otherwise;
    private final TokenRefusals refusals;

    private RateLimitedOAuthErrors(AuthenticationFailureHandler otherwise, TokenRefusals refusals) {
        this.otherwise = otherwise;
        this.refusals = refusals;
    }

    /**
     * For the token endpoint: other errors are 400 with the error's code and a description that says what is wrong
     * ({@link OAuthErrorDescriptions}, and for a refused authorization code {@link AuthorizationCodeFailures}).
     */
    static AuthenticationFailureHandler ofTokenEndpoint(OAuth2AuthorizationService authorizations,
            TokenRefusals refusals) {
        AuthorizationCodeFailures codes = new AuthorizationCodeFailures(authorizations);
        OAuth2ErrorAuthenticationFailureHandler framework = new OAuth2ErrorAuthenticationFailureHandler();
        return new RateLimitedOAuthErrors((request, response, exception) -> {
            OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
            OAuth2Error explained = OAuthErrorDescriptions.readable(codes.explain(request, error));
            framework.onAuthenticationFailure(request, response, new OAuth2AuthenticationException(explained, exception));
        }, refusals);
    }

    /**
     * For client authentication: other errors as the framework's client authentication filter answers them, 401
     * for {@code invalid_client} and 400 otherwise, with the error code alone: which part of a client's credentials
     * was wrong is not told. The exception is the code's check ({@code invalid_grant}: a PKCE mismatch, RFC 7636
     * section 4.6, or a code not the client's), which the framework makes while authenticating a client: it says so.
     */
    static AuthenticationFailureHandler ofClientAuthentication(TokenRefusals refusals) {
        HttpMessageConverter<OAuth2Error> json = new OAuth2ErrorHttpMessageConverter();
        return new RateLimitedOAuthErrors((request, response, exception) -> {
            OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
            ServletServerHttpResponse http = new ServletServerHttpResponse(response);
            http.setStatusCode(OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())
                    ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST);
            json.write(OAuth2ErrorCodes.INVALID_GRANT.equals(error.getErrorCode())
                    ? OAuthErrorDescriptions.readable(error) : new OAuth2Error(error.getErrorCode()), null, http);
        }, refusals);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException, ServletException {
        Optional<Verdict> limited = RateLimitExceededException.find(exception);
        refusals.count(request, limited.isPresent() ? OAuth2ErrorCodes.TEMPORARILY_UNAVAILABLE
                : exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode()
                : OAuth2ErrorCodes.SERVER_ERROR);
        if (limited.isPresent()) {
            RateLimitResponses.writeOAuthError(response, limited.get());
            return;
        }
        otherwise.onAuthenticationFailure(request, response, exception);
    }
}
