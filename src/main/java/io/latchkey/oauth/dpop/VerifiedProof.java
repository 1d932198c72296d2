package io.latchkey.oauth.dpop;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A proof that passed every check of {@link ProofChecks}: its key's thumbprint, and the proof as the
 * framework's token generator takes it ({@code OAuth2TokenContext.DPOP_PROOF_KEY}).
 */
public record VerifiedProof(String thumbprint, Jwt jwt) {

    /** The request attribute under which the token endpoint keeps the verified proof for the grants. */
    public static final String ATTRIBUTE = VerifiedProof.class.getName();
}
