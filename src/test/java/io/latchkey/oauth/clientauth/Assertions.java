package io.latchkey.oauth.clientauth;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import io.latchkey.client.ClientExtensions;
import io.latchkey.support.Browser;

import static io.latchkey.support.TestServerInitializer.ISSUER;

/** Client-side private_key_jwt for tests: keys, signed assertions, token endpoint requests, a jwks_uri server. */
final class Assertions {

    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final String TOKEN_ENDPOINT = ISSUER + "/oauth2/token";
    static final RSAKey RSA = generateRsa("rsa-1");
    static final RSAKey OTHER_RSA = generateRsa("rsa-1");
    static final ECKey EC = generateEc();

    private Assertions() {
    }

    static String publicJwks(JWK... keys) {
        List<JWK> list = new ArrayList<>();
        for (JWK key : keys) {
            list.add(key.toPublicJWK());
        }
        return new JWKSet(list).toString();
    }

    static ClientExtensions inlineKeys(JWK... keys) {
        return new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, null, publicJwks(keys), null, null, null, null,
                null, null);
    }

    static ClientExtensions keysAt(String jwksUri) {
        return new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, jwksUri, null, null, null, null, null, null,
                null);
    }

    /** A fresh, valid assertion for the client, signed RS256 with {@link #RSA}, changed by {@code tweak}. */
    static String assertion(String clientId, Consumer<JWTClaimsSet.Builder> tweak) {
        return sign(RSA, JWSAlgorithm.RS256, claims(clientId, tweak));
    }

    static String assertion(String clientId) {
        return assertion(clientId, claims -> { });
    }

    static JWTClaimsSet claims(String clientId, Consumer<JWTClaimsSet.Builder> tweak) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                .audience(TOKEN_ENDPOINT).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString());
        tweak.accept(claims);
        return claims.build();
    }

    static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** client_secret_jwt: HS256 under a shared secret. */
    static String hmac(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** POSTs the form to an endpoint with the client's assertion, from {@code ip} (X-Forwarded-For) when given. */
    static Browser.Response post(Browser browser, String path, String clientId, String assertion, String ip,
            String... form) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < form.length; i += 2) {
            fields.add(Map.entry(form[i], form[i + 1]));
        }
        if (clientId != null) {
            fields.add(Map.entry("client_id", clientId));
        }
        if (assertion != null) {
            fields.add(Map.entry("client_assertion_type", TYPE));
            fields.add(Map.entry("client_assertion", assertion));
        }
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(browser.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Browser.encode(fields)));
        if (ip != null) {
            request.header("X-Forwarded-For", ip);
        }
        return browser.send(request.build());
    }

    static Browser.Response clientCredentials(Browser browser, String clientId, String assertion) {
        return post(browser, "/oauth2/token", clientId, assertion, null, "grant_type", "client_credentials",
                "scope", "api.read");
    }

    /** A loopback HTTP server publishing the key set at /jwks; stop it after the test. */
    static HttpServer jwksServer(String jwks) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/jwks", exchange -> {
                byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ECKey generateEc() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
