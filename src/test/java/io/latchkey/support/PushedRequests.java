package io.latchkey.support;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;

/**
 * Pushed authorization requests (RFC 9126) and request objects (RFC 9101) in tests: clients with keys of their
 * own, request objects they sign, requests pushed to {@code /oauth2/par} from an address no other test used.
 */
public final class PushedRequests {

    public static final String PAR = "/oauth2/par";
    public static final String URN_PREFIX = "urn:ietf:params:oauth:request_uri:";

    private PushedRequests() {
    }

    /** A client created for the test: its id, secret (null for a public one) and redirect URI. */
    public record TestClient(String clientId, String secret, String redirectUri) {
    }

    public static TestClient create(ClientAdministration administration, String prefix, boolean confidential,
            ClientExtensions extensions) {
        String clientId = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String redirectUri = "https://" + clientId + ".example/callback";
        ClientDraft draft = new ClientDraft("PAR test " + clientId, confidential,
                List.of("authorization_code", "refresh_token"), List.of(redirectUri), List.of(),
                List.of("openid", "email", "profile"), true, false, null, null, null, null, null)
                .withExtensions(extensions);
        ClientAdministration.IssuedClient issued = administration.create(clientId, draft,
                ClientAdministration.ADMINISTERED, "test");
        return new TestClient(clientId, issued.secret(), redirectUri);
    }

    public static ClientExtensions keys(RSAKey key, boolean requirePushed) {
        return new ClientExtensions(null, null, key == null ? null : new JWKSet(key.toPublicJWK()).toString(),
                requirePushed ? Boolean.TRUE : null, null, null, null, null, null);
    }

    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The claims of a valid request object of {@code client}, five minutes long, with {@code parameters}. */
    public static JWTClaimsSet.Builder requestObject(TestClient client, String... parameters) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(client.clientId())
                .audience(TestServerInitializer.ISSUER)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", client.clientId());
        for (int i = 0; i < parameters.length; i += 2) {
            claims.claim(parameters[i], parameters[i + 1]);
        }
        return claims;
    }

    /** An authorization request's parameters for the code flow with PKCE. */
    public static String[] codeRequest(TestClient client, String state, String verifier) {
        return new String[] { "response_type", "code", "redirect_uri", client.redirectUri(), "scope", "openid email",
                "state", state, "code_challenge", OAuth.challenge(verifier), "code_challenge_method", "S256" };
    }

    public static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(new JOSEObjectType("oauth-authz-req+jwt")).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** POSTs {@code form} and the client's {@code client_id} to the PAR endpoint, with HTTP Basic when it has a secret. */
    public static Browser.Response push(Browser browser, TestClient client, String... form) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("client_id", client.clientId()));
        for (int i = 0; i < form.length; i += 2) {
            fields.add(Map.entry(form[i], form[i + 1]));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(PAR))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("X-Forwarded-For", TestAddresses.unique())
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(fields)));
        if (client.secret() != null) {
            request.header("Authorization", OAuth.basic(client.clientId(), client.secret()));
        }
        return browser.send(request.build());
    }

    /** The authorization endpoint's URL for a pushed request. */
    public static String authorizeUrl(String clientId, String requestUri) {
        return org.springframework.web.util.UriComponentsBuilder
                .fromUriString(TestServerInitializer.ISSUER + "/oauth2/authorize")
                .queryParam("client_id", clientId)
                .queryParam("request_uri", requestUri)
                .encode().build().toUriString();
    }
}
