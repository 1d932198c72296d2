package io.latchkey.oauth.clientauth;

import java.text.ParseException;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

import io.latchkey.http.RequestWithParameters;

/**
 * A client assertion without {@code client_id} (RFC 7521 section 4.2 makes it optional, and client libraries such
 * as Nimbus's leave it out): the framework's converter insists on one, so the assertion's own {@code sub} is taken
 * for it, unverified. That is only a name to look the client up by: the signature, and {@code iss} = {@code sub} =
 * the client's id, are checked as for every assertion ({@link ClientAssertionClaims}).
 */
final class AssertionClientId implements AuthenticationConverter {

    private final JwtClientAssertionAuthenticationConverter assertions = new JwtClientAssertionAuthenticationConverter();

    @Override
    public Authentication convert(HttpServletRequest request) {
        String[] assertion = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION);
        if (assertion == null || assertion.length != 1 || request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null
                || !ClientAssertionAttempts.JWT_ASSERTION.getValue()
                        .equals(request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE))) {
            return null;
        }
        String clientId = subjectOf(assertion[0]);
        return clientId == null ? null : assertions.convert(RequestWithParameters.with(request, OAuth2ParameterNames.CLIENT_ID, clientId));
    }

    private static String subjectOf(String assertion) {
        if (assertion.length() > ClientAssertionDecoders.MAX_ASSERTION_LENGTH) {
            return null;
        }
        try {
            JWTClaimsSet claims = SignedJWT.parse(assertion).getJWTClaimsSet();
            String subject = claims.getSubject();
            return subject == null || subject.isBlank() || subject.length() > 100 ? null : subject;
        }
        catch (ParseException | RuntimeException notAnAssertion) {
            return null;
        }
    }
}
