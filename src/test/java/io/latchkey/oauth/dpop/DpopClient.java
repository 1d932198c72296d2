package io.latchkey.oauth.dpop;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.latchkey.support.Browser;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestServerInitializer;

/** A test client's DPoP key and proofs, built by hand so that each check can be broken on purpose. */
final class DpopClient {

    static final String TOKEN_ENDPOINT = TestServerInitializer.ISSUER + "/oauth2/token";

    final ECKey key;
    private final Browser browser;
    String nonce;

    DpopClient(Browser browser) {
        this.browser = browser;
        try {
            this.key = new ECKeyGenerator(Curve.P_256).keyID(null).generate();
        }
        catch (com.nimbusds.jose.JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String thumbprint() {
        return ProofChecks.thumbprint(key.toPublicJWK());
    }

    String proof(String method, String url, String accessToken) {
        return proof(method, url, accessToken, claims -> { });
    }

    String proof(String method, String url, String accessToken, Consumer<JWTClaimsSet.Builder> changes) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .claim("htm", method)
                .claim("htu", url)
                .issueTime(Date.from(Instant.now()));
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        if (accessToken != null) {
            claims.claim("ath", ProofChecks.base64UrlSha256(accessToken));
        }
        changes.accept(claims);
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims.build(), new ECDSASignerOf(key).signer);
    }

    static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        }
        catch (com.nimbusds.jose.JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A token request with this proof (or none, for null); client authentication by secret, or none when null. */
    Browser.Response token(String clientId, String secret, String proof, Map<String, String> form) {
        List<Map.Entry<String, String>> fields = new ArrayList<>(form.entrySet());
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(TOKEN_ENDPOINT))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(fields)));
        if (secret != null) {
            request.header("Authorization", OAuth.basic(clientId, secret));
        }
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return browser.send(request.build());
    }

    /** A token request with a fresh proof, taking the server's nonce first when it asks for one. */
    Browser.Response token(String clientId, String secret, Map<String, String> form) {
        Browser.Response response = token(clientId, secret, proof("POST", TOKEN_ENDPOINT, null), form);
        if (response.status() == 400 && response.body().contains("use_dpop_nonce")) {
            nonce = response.header("DPoP-Nonce");
            response = token(clientId, secret, proof("POST", TOKEN_ENDPOINT, null), form);
        }
        if (response.header("DPoP-Nonce") != null) {
            nonce = response.header("DPoP-Nonce");
        }
        return response;
    }

    /** A GET of a resource with {@code Authorization: <scheme> <token>} and the given DPoP headers. */
    Browser.Response get(String url, String scheme, String token, String... proofs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(url))
                .header("Accept", "application/json")
                .header("Authorization", scheme + " " + token)
                .GET();
        for (String proof : proofs) {
            request.header("DPoP", proof);
        }
        return browser.send(request.build());
    }

    /** Signs with a given EC key. */
    private record ECDSASignerOf(JWSSigner signer) {
        ECDSASignerOf(ECKey key) {
            this(signerOf(key));
        }

        private static JWSSigner signerOf(ECKey key) {
            try {
                return new ECDSASigner(key);
            }
            catch (com.nimbusds.jose.JOSEException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
