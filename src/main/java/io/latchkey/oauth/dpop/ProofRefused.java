package io.latchkey.oauth.dpop;

/**
 * A DPoP proof, or its absence, that a request cannot pass with: {@code error} is the RFC 9449 error code
 * ({@code invalid_dpop_proof}, {@code use_dpop_nonce}, or {@code invalid_token} / {@code invalid_request} at a
 * resource), {@code description} a short reason that names nothing secret.
 */
final class ProofRefused extends RuntimeException {

    static final String INVALID_DPOP_PROOF = "invalid_dpop_proof";
    static final String USE_DPOP_NONCE = "use_dpop_nonce";

    private final String error;

    ProofRefused(String error, String description) {
        super(description, null, false, false);
        this.error = error;
    }

    static ProofRefused invalid(String description) {
        return new ProofRefused(INVALID_DPOP_PROOF, description);
    }

    String error() {
        return error;
    }

    String description() {
        return getMessage();
    }
}
