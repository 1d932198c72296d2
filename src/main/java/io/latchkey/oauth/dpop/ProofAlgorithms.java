package io.latchkey.oauth.dpop;

import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;

/**
 * The signature algorithms a DPoP proof may use: asymmetric only (RFC 9449 section 4.3, check 5: never
 * {@code none}, never a MAC), and only those the proof checks and the tests cover. Discovery advertises exactly
 * this list ({@code dpop_signing_alg_values_supported}).
 */
public final class ProofAlgorithms {

    public static final List<String> NAMES = List.of("ES256", "PS256", "RS256");

    private ProofAlgorithms() {
    }

    static boolean accepts(JWSAlgorithm algorithm) {
        return algorithm != null && NAMES.contains(algorithm.getName());
    }

    /** For {@code WWW-Authenticate: DPoP algs="..."} (RFC 9449 section 7.1). */
    static String spaceSeparated() {
        return String.join(" ", NAMES);
    }
}
