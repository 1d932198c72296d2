package io.latchkey.oauth.dpop;

import java.time.Clock;

import jakarta.servlet.Filter;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

import io.latchkey.keys.TokenHasher;

/**
 * DPoP, RFC 9449 (sender-constrained tokens), as the filter chains wire it: the proof of a token request
 * ({@link TokenEndpointProofs}), access tokens bound to its key ({@link BoundAccessTokens}), public clients'
 * refresh tokens bound to it ({@link RefreshKeyBinding}), and bound tokens honoured at resources
 * ({@link ResourceProofs}). Every check of a proof is {@link ProofChecks}; used proofs are remembered in the
 * database ({@link UsedProofs}), nonces derived from the time ({@link ServerNonces}), so any instance can answer.
 */
@Component
public class Dpop {

    private final ProofChecks checks;

    Dpop(JdbcClient jdbc, TokenHasher hasher, Clock clock, DpopSettings settings) {
        this.checks = new ProofChecks(new UsedProofs(jdbc, clock),
                new ServerNonces(hasher, clock, settings.nonceWindow()), clock, settings);
    }

    /** Checks the proofs of token requests to {@code tokenEndpoint}; runs once the client is authenticated. */
    public Filter tokenEndpointProofs(RequestMatcher tokenEndpoint) {
        return new TokenEndpointProofs(tokenEndpoint, checks);
    }

    /** Honours DPoP-bound tokens at the resources {@code resources} matches; runs before the Bearer token filter. */
    public Filter resourceProofs(RequestMatcher resources) {
        return new ResourceProofs(resources, checks);
    }

    /** {@code claims}, and {@code cnf.jkt} in access tokens issued with a proof. */
    public static OAuth2TokenCustomizer<JwtEncodingContext> bindingAccessTokens(
            OAuth2TokenCustomizer<JwtEncodingContext> claims) {
        return new BoundAccessTokens(claims);
    }

    /** The framework's refresh grant, answering {@code invalid_grant} to a public client's proof of another key. */
    public static AuthenticationProvider refreshKeyBinding(AuthenticationProvider refreshGrant) {
        return new RefreshKeyBinding(refreshGrant);
    }
}
