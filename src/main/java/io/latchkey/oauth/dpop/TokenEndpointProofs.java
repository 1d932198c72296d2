package io.latchkey.oauth.dpop;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import io.latchkey.client.ClientPolicies;

/**
 * The DPoP proof of a token request (RFC 9449 section 5), checked once the client is authenticated and before
 * any grant runs: every check of {@link ProofChecks}, the replay cache shared by all instances and the server
 * nonce among them, which the framework's own check at the grants (an in-memory jti cache, no nonces, any RSA or
 * EC alg) lacks. A client registered with {@code dpop_bound_access_tokens} must send a proof ({@code invalid_request}
 * without). A proof that passes is left for the grants, which bind the access token to its key
 * ({@link BoundAccessTokens}); the password grant, Latchkey's own, takes it from the request attribute
 * {@link VerifiedProof#ATTRIBUTE}.
 */
final class TokenEndpointProofs extends OncePerRequestFilter {

    static final String DPOP_HEADER = "DPoP";

    private final RequestMatcher tokenEndpoint;
    private final ProofChecks checks;

    TokenEndpointProofs(RequestMatcher tokenEndpoint, ProofChecks checks) {
        this.tokenEndpoint = tokenEndpoint;
        this.checks = checks;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !tokenEndpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (!(caller instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()
                || client.getRegisteredClient() == null) {
            chain.doFilter(request, response); // refused by the authorization that follows
            return;
        }
        List<String> proofs = Collections.list(request.getHeaders(DPOP_HEADER));
        if (proofs.isEmpty()) {
            if (ClientPolicies.requiresDpopBoundAccessTokens(client.getRegisteredClient())) {
                ProofErrors.atTokenEndpoint(response, "invalid_request",
                        "This client's access tokens must be DPoP-bound: send a DPoP proof", nonceIfRequired());
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        String nonce = nonceIfRequired();
        if (proofs.size() > 1) {
            ProofErrors.atTokenEndpoint(response, ProofRefused.INVALID_DPOP_PROOF, "Send one DPoP header", nonce);
            return;
        }
        try {
            VerifiedProof proof = checks.verify(proofs.get(0), request.getMethod(), request.getRequestURL().toString(),
                    null);
            request.setAttribute(VerifiedProof.ATTRIBUTE, proof);
        }
        catch (ProofRefused refused) {
            ProofErrors.atTokenEndpoint(response, refused.error(), refused.description(), nonce);
            return;
        }
        if (nonce != null) {
            response.setHeader(ProofErrors.NONCE_HEADER, nonce); // the next proof's nonce (RFC 9449 section 8.2)
        }
        chain.doFilter(request, response);
    }

    private String nonceIfRequired() {
        return checks.requiresNonce() ? checks.currentNonce() : null;
    }
}
