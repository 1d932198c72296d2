package io.latchkey.oauth.dpop;

import java.io.IOException;
import java.text.ParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.nimbusds.jwt.JWTParser;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * DPoP at a protected resource (RFC 9449 section 7): userinfo, and the API under {@code /api/v1}.
 * <ul>
 * <li>{@code Authorization: DPoP <token>} with one {@code DPoP} proof: the proof passes {@link ProofChecks} with
 * {@code ath} the token's hash, and its key is the token's {@code cnf.jkt}; the request then goes on to the
 * framework's DPoP filter ({@code DPoPAuthenticationProvider}), which checks the proof's key against the token
 * again and has the resource server check the token's signature, expiry and revocation as for any other.</li>
 * <li>{@code Authorization: Bearer <token>} of a DPoP-bound token: 401 {@code invalid_token} (RFC 9449 section
 * 7.2), since a stolen bound token must not work without the key.</li>
 * <li>Anything else goes on untouched: unbound tokens keep working as Bearer tokens.</li>
 * </ul>
 * The token's claims are read here before its signature is checked: a forged token can only make this filter
 * ask for more (a proof), and its signature fails later anyway; stripping {@code cnf} breaks the signature.
 * Runs before the framework's DPoP filter, whose own checks are weaker: its jti cache is in the instance's
 * memory, it knows no nonces and takes any RSA or EC algorithm.
 */
public final class ResourceProofs extends OncePerRequestFilter {

    private static final int MAX_TOKEN_LENGTH = 16_384;

    private final RequestMatcher resources;
    private final ProofChecks checks;

    ResourceProofs(RequestMatcher resources, ProofChecks checks) {
        this.resources = resources;
        this.checks = checks;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !resources.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> authorizations = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
        if (authorizations.size() != 1) {
            chain.doFilter(request, response);
            return;
        }
        String authorization = authorizations.get(0);
        String nonce = checks.requiresNonce() ? checks.currentNonce() : null;
        if (hasScheme(authorization, "Bearer")) {
            if (thumbprintOf(authorization.substring(7).trim()) != null) {
                ProofErrors.atResource(response, "invalid_token",
                        "This access token is DPoP-bound: present it with the DPoP scheme and a proof", nonce);
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        if (!hasScheme(authorization, "DPoP")) {
            chain.doFilter(request, response);
            return;
        }
        String token = authorization.substring(5).trim();
        String bound = thumbprintOf(token);
        if (bound == null) {
            ProofErrors.atResource(response, "invalid_token", "The access token is not DPoP-bound", nonce);
            return;
        }
        List<String> proofs = Collections.list(request.getHeaders(TokenEndpointProofs.DPOP_HEADER));
        if (proofs.size() != 1) {
            ProofErrors.atResource(response, ProofRefused.INVALID_DPOP_PROOF, "Send one DPoP proof", nonce);
            return;
        }
        try {
            VerifiedProof proof = checks.verify(proofs.get(0), request.getMethod(), request.getRequestURL().toString(),
                    token);
            if (!bound.equals(proof.thumbprint())) {
                ProofErrors.atResource(response, ProofRefused.INVALID_DPOP_PROOF,
                        "The DPoP proof's key is not the one the access token is bound to", nonce);
                return;
            }
        }
        catch (ProofRefused refused) {
            ProofErrors.atResource(response, refused.error(), refused.description(), nonce);
            return;
        }
        if (nonce != null) {
            response.setHeader(ProofErrors.NONCE_HEADER, nonce);
        }
        chain.doFilter(request, response);
    }

    private static boolean hasScheme(String authorization, String scheme) {
        return authorization.length() > scheme.length() + 1
                && authorization.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1);
    }

    /** The token's {@code cnf.jkt}, or null when it has none or is no JWT. */
    private static String thumbprintOf(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        try {
            Map<String, Object> claims = JWTParser.parse(token).getJWTClaimsSet().getClaims();
            return BoundAccessTokens.thumbprintClaim(claims);
        }
        catch (ParseException | RuntimeException ex) {
            return null;
        }
    }
}
