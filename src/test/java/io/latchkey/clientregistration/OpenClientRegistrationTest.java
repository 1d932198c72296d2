package io.latchkey.clientregistration;

import java.net.http.HttpRequest;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.latchkey.support.Browser;
import io.latchkey.support.OAuth;
import io.latchkey.support.SecondInstance;
import io.latchkey.support.TestServerInitializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code latchkey.client-registration.open=true}: anyone may register a client without an initial access token, but
 * only one that signs users in with the code flow (no password or client credentials grant, no scopes of Latchkey's
 * own API), also at later updates, and only so many per client IP.
 */
class OpenClientRegistrationTest {

    private static final int PER_IP = 3;
    private static final String REGISTRAR = "dcr-declared-registrar";
    private static final String REGISTRAR_SECRET = "dcr-declared-registrar-secret-0123456789";
    private static final String REDIRECT = "https://app.example.com/callback";
    private static ConfigurableApplicationContext instance;
    private static Browser browser;

    private static RSAKey trustedKey;

    @BeforeAll
    static void startWithOpenRegistration() throws Exception {
        trustedKey = new RSAKeyGenerator(2048).keyID("vendor-1").generate();
        instance = SecondInstance.start(Map.of("latchkey.client-registration.open", true,
                "latchkey.client-registration.open-per-ip", PER_IP,
                "latchkey.client-registration.software-statement-jwks",
                new JWKSet(trustedKey.toPublicJWK()).toString(),
                // a registrar declared in configuration, as docs/dynamic-client-registration.md shows
                "latchkey.clients." + REGISTRAR + ".secret", REGISTRAR_SECRET,
                "latchkey.clients." + REGISTRAR + ".grant-types", "client_credentials",
                "latchkey.clients." + REGISTRAR + ".scopes", "client.create"));
        browser = new Browser(SecondInstance.baseUrl(instance));
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void anyoneMayRegisterAClientThatSignsUsersIn() {
        Browser.Response response = Registrations.post(browser, null, """
                {"client_name": "Open app", "redirect_uris": ["%s"], "scope": "openid email"}""".formatted(REDIRECT));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode client = OAuth.json(response);
        assertThat(client.get("client_secret").asString()).isNotBlank();
        assertThat(client.get("registration_client_uri").asString()).as("under the issuer, this instance's too")
                .isEqualTo(TestServerInitializer.ISSUER + "/connect/register/" + client.get("client_id").asString());
        JdbcTemplate jdbc = instance.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT details FROM audit_events WHERE type = 'CLIENT_CREATED' AND subject = ?",
                String.class, "client:" + client.get("client_id").asString())).contains("anonymous");
        assertThat(jdbc.queryForObject("SELECT registered_openly FROM client_registration_tokens WHERE client_id = ?",
                Boolean.class, client.get("client_id").asString())).isTrue();
    }

    @Test
    void openRegistrationsGetNoPasswordNorClientCredentialsGrantNorApiScopes() {
        for (String refused : new String[] {
                "\"grant_types\": [\"authorization_code\", \"password\"]",
                "\"grant_types\": [\"authorization_code\", \"client_credentials\"]",
                "\"scope\": \"openid latchkey.admin\"",
                "\"scope\": \"openid latchkey.account\"" }) {
            Browser.Response response = Registrations.post(browser, null, """
                    {"redirect_uris": ["%s"], %s}""".formatted(REDIRECT, refused));
            JsonNode error = Registrations.error(response, 400, "invalid_client_metadata");
            assertThat(error.get("error_description").asString()).contains("initial access token");
        }
    }

    @Test
    void theLimitsHoldForLaterUpdatesToo() {
        Browser.Response created = Registrations.post(browser, null, """
                {"redirect_uris": ["%s"]}""".formatted(REDIRECT));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode client = OAuth.json(created);
        String clientId = client.get("client_id").asString();
        Browser.Response update = Registrations.send(browser, "PUT", path(client),
                client.get("registration_access_token").asString(), """
                        {"client_id": "%s", "redirect_uris": ["%s"], "grant_types": ["authorization_code",
                         "client_credentials"]}""".formatted(clientId, REDIRECT));
        Registrations.error(update, 400, "invalid_client_metadata");
        Browser.Response allowed = Registrations.send(browser, "PUT", path(client),
                client.get("registration_access_token").asString(), """
                        {"client_id": "%s", "redirect_uris": ["%s", "https://app.example.com/other"]}"""
                        .formatted(clientId, REDIRECT));
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    }

    @Test
    void anInitialAccessTokenOfAClientDeclaredInConfigurationLiftsTheLimits() {
        String token = Registrations.clientCredentialsToken(browser, REGISTRAR, REGISTRAR_SECRET, "client.create");
        Browser.Response response = Registrations.post(browser, token, """
                {"grant_types": ["client_credentials"], "scope": "api.read"}""");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode client = OAuth.json(response);
        assertThat(instance.getBean(JdbcTemplate.class).queryForObject("SELECT details FROM audit_events WHERE "
                + "type = 'CLIENT_CREATED' AND subject = ?", String.class, "client:" + client.get("client_id").asString()))
                .contains("client:" + REGISTRAR);
        Registrations.clientCredentialsToken(browser, client.get("client_id").asString(),
                client.get("client_secret").asString(), "api.read");
    }

    @Test
    void aBadTokenIsRefusedEvenWhenRegistrationIsOpen() {
        Registrations.error(Registrations.post(browser, "garbage", """
                {"redirect_uris": ["%s"]}""".formatted(REDIRECT)), 401, "invalid_token");
    }

    @Test
    void registrationsAreCountedPerClientIp() {
        String ip = io.latchkey.support.TestAddresses.unique();
        for (int i = 0; i < PER_IP; i++) {
            assertThat(fromIp(ip).status()).isEqualTo(201);
        }
        Browser.Response limited = fromIp(ip);
        assertThat(limited.status()).as(limited.body()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
        assertThat(OAuth.json(limited).get("error").asString()).isEqualTo("temporarily_unavailable");
        assertThat(fromIp(io.latchkey.support.TestAddresses.unique()).status())
                .as("another client IP has its own count").isEqualTo(201);
    }

    @Test
    void aSoftwareStatementSignedByATrustedKeyTakesPrecedence() throws Exception {
        String statement = statement(trustedKey, "Vouched app", "https://vendor.example.com/callback");
        Browser.Response response = Registrations.post(browser, null, """
                {"client_name": "Claimed", "redirect_uris": ["%s"], "software_statement": "%s"}"""
                .formatted(REDIRECT, statement));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode client = OAuth.json(response);
        assertThat(client.get("client_name").asString()).isEqualTo("Vouched app");
        assertThat(client.get("redirect_uris").get(0).asString()).isEqualTo("https://vendor.example.com/callback");
        assertThat(client.get("software_statement").asString()).isEqualTo(statement);

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("vendor-1").generate();
        for (String untrusted : new String[] { statement(stranger, "Forged", REDIRECT), "x.y.z", "not a jwt",
                statement.substring(0, statement.length() - 4) + "AAAA" }) {
            Registrations.error(Registrations.post(browser, null, """
                    {"redirect_uris": ["%s"], "software_statement": "%s"}""".formatted(REDIRECT, untrusted)), 400,
                    "invalid_software_statement");
        }
        // the statement's metadata obeys the same rules
        Registrations.error(Registrations.post(browser, null, """
                {"software_statement": "%s"}""".formatted(statement(trustedKey, "Bad", "javascript:alert(1)"))), 400,
                "invalid_redirect_uri");
    }

    private static String statement(RSAKey key, String name, String redirectUri) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("https://vendor.example.com").claim("software_id", "vendor-app")
                        .claim("client_name", name).claim("redirect_uris", java.util.List.of(redirectUri)).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static Browser.Response fromIp(String ip) {
        return browser.send(HttpRequest.newBuilder(browser.resolve(Registrations.PATH))
                .header("Content-Type", "application/json").header("X-Forwarded-For", ip)
                .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\": [\"" + REDIRECT + "\"]}")).build());
    }

    /** The configuration endpoint on this instance (the URI names the issuer, which is the test server's). */
    private static String path(JsonNode client) {
        return Registrations.PATH + "/" + client.get("client_id").asString();
    }
}
