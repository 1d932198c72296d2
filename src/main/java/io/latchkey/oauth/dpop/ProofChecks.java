package io.latchkey.oauth.dpop;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The checks of a DPoP proof, RFC 9449 section 4.3, in its order: one well-formed JWT (a header of at most
 * {@value #MAX_PROOF_LENGTH} characters), {@code typ} {@code dpop+jwt}, an asymmetric {@code alg} of
 * {@link ProofAlgorithms}, a public {@code jwk} of the alg's key type whose key made the signature, {@code jti},
 * {@code htm} and {@code htu} of this request ({@code htu} compared without query and fragment), {@code iat}
 * within {@code latchkey.dpop.proof-max-age}, the server nonce where one is required, {@code ath} the hash of the
 * access token presented with it, and the proof not used before on any instance ({@link UsedProofs}). The replay
 * check comes last, so that only a proof that passed everything else takes a row.
 */
class ProofChecks {

    static final int MAX_PROOF_LENGTH = 8192;
    private static final int MAX_JTI_LENGTH = 256;
    private static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");

    private final UsedProofs usedProofs;
    private final ServerNonces nonces;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration aheadAllowed;
    private final boolean requireNonce;

    ProofChecks(UsedProofs usedProofs, ServerNonces nonces, Clock clock, DpopSettings settings) {
        this.usedProofs = usedProofs;
        this.nonces = nonces;
        this.clock = clock;
        this.maxAge = settings.proofMaxAge();
        this.aheadAllowed = max(settings.proofMaxAge().dividedBy(5), Duration.ofSeconds(5));
        this.requireNonce = settings.requireNonce();
    }

    boolean requiresNonce() {
        return requireNonce;
    }

    String currentNonce() {
        return nonces.current();
    }

    /**
     * @param method the request's method
     * @param requestUri the request's URL without query
     * @param accessToken the access token presented with the proof, or null at the token endpoint
     */
    VerifiedProof verify(String proof, String method, String requestUri, String accessToken) {
        if (proof == null || proof.isBlank() || proof.length() > MAX_PROOF_LENGTH) {
            throw ProofRefused.invalid("The DPoP proof is missing or too long");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(proof);
            claims = jwt.getJWTClaimsSet();
        }
        catch (ParseException | RuntimeException ex) {
            throw ProofRefused.invalid("The DPoP proof is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!DPOP_JWT.equals(header.getType())) {
            throw ProofRefused.invalid("The DPoP proof's typ must be dpop+jwt");
        }
        if (!ProofAlgorithms.accepts(header.getAlgorithm())) {
            throw ProofRefused.invalid("The DPoP proof's alg must be one of " + ProofAlgorithms.spaceSeparated());
        }
        JWK jwk = header.getJWK();
        if (jwk == null || jwk.isPrivate()) {
            throw ProofRefused.invalid("The DPoP proof's jwk must be a public key");
        }
        if (!signedBy(jwt, jwk)) {
            throw ProofRefused.invalid("The DPoP proof's signature does not verify with its jwk");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw ProofRefused.invalid("The DPoP proof's jti is missing or too long");
        }
        if (!method.equals(stringClaim(claims, "htm"))) {
            throw ProofRefused.invalid("The DPoP proof's htm is not this request's method");
        }
        if (!sameUri(stringClaim(claims, "htu"), requestUri)) {
            throw ProofRefused.invalid("The DPoP proof's htu is not this request's URI");
        }
        Instant now = clock.instant();
        Instant issuedAt = claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant();
        if (issuedAt == null || issuedAt.isBefore(now.minus(maxAge)) || issuedAt.isAfter(now.plus(aheadAllowed))) {
            throw ProofRefused.invalid("The DPoP proof's iat is missing or not recent");
        }
        if (requireNonce && !nonces.accepts(stringClaim(claims, "nonce"))) {
            throw new ProofRefused(ProofRefused.USE_DPOP_NONCE, "Use the server's DPoP nonce in the proof");
        }
        if (accessToken != null && !base64UrlSha256(accessToken).equals(stringClaim(claims, "ath"))) {
            throw ProofRefused.invalid("The DPoP proof's ath is not the hash of the access token");
        }
        String thumbprint = thumbprint(jwk);
        if (!usedProofs.firstUse(replayKey(thumbprint, jti), now.plus(maxAge).plus(aheadAllowed))) {
            throw ProofRefused.invalid("The DPoP proof was used before");
        }
        return new VerifiedProof(thumbprint, asSpringJwt(proof, jwt, claims, issuedAt));
    }

    /** The RFC 7638 SHA-256 thumbprint of a key, as {@code cnf.jkt} holds it. */
    static String thumbprint(JWK jwk) {
        try {
            return jwk.computeThumbprint().toString();
        }
        catch (JOSEException ex) {
            throw ProofRefused.invalid("The DPoP proof's jwk has no thumbprint");
        }
    }

    /** What the replay cache keeps of a proof: a jti is unique per key (RFC 9449 section 11.1). */
    static String replayKey(String thumbprint, String jti) {
        return sha256Hex(thumbprint + "." + jti);
    }

    static String base64UrlSha256(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value));
    }

    private static boolean signedBy(SignedJWT jwt, JWK jwk) {
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        try {
            JWSVerifier verifier;
            if (JWSAlgorithm.Family.RSA.contains(algorithm) && jwk instanceof RSAKey rsa) {
                if (rsa.size() < 2048) {
                    return false;
                }
                verifier = new RSASSAVerifier(rsa);
            }
            else if (JWSAlgorithm.ES256.equals(algorithm) && jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
                verifier = new ECDSAVerifier(ec);
            }
            else {
                return false;
            }
            return jwt.verify(verifier);
        }
        catch (JOSEException | RuntimeException ex) {
            return false;
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String value ? value : null;
    }

    /** RFC 9449 section 4.3 check 9: compared without query and fragment, scheme and host in any case. */
    static boolean sameUri(String htu, String requestUri) {
        if (htu == null || htu.length() > 2048) {
            return false;
        }
        try {
            return normalized(new URI(htu)).equals(normalized(new URI(requestUri)));
        }
        catch (java.net.URISyntaxException | RuntimeException ex) {
            return false;
        }
    }

    private static String normalized(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return "";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }

    private static Jwt asSpringJwt(String proof, SignedJWT jwt, JWTClaimsSet claims, Instant issuedAt) {
        return new Jwt(proof, issuedAt, null, jwt.getHeader().toJSONObject(), claims.toJSONObject());
    }

    private static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is always available", ex);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
