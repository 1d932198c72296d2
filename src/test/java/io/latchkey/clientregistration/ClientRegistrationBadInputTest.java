package io.latchkey.clientregistration;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input at the registration and client configuration endpoints: malformed, wrong-typed, oversized and hostile
 * bodies and bad redirect URIs get a 4xx with the right RFC 7591 error in JSON, never a 500, and leave nothing behind.
 */
@IntegrationTest
class ClientRegistrationBadInputTest extends UsersInDatabaseTest {

    private static final String REDIRECT = "http://127.0.0.1/dcr-callback";
    private static String token;

    @Autowired
    private ClientAdministration administration;

    private final Browser browser = new Browser();

    @Test
    void malformedBodiesAreInvalidRequests() {
        token();
        int before = clients();
        for (String body : List.of("{", "not json", "[]", "\"a string\"", "null", "42", "{} {}",
                "{\"client_name\": \"a\", \"client_name\": \"b\"}", "{\"redirect_uris\": [" + "[".repeat(40) + "]}")) {
            Registrations.error(Registrations.post(browser, token(), body), 400, "invalid_request");
        }
        Registrations.error(Registrations.post(browser, token(), ""), 400, "invalid_request");
        assertNothingRegistered(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CLIENT_REGISTRATION_REFUSED' "
                + "AND details LIKE '%invalid_request%' AND details NOT LIKE '%Bearer%'", Integer.class)).isPositive();
    }

    @Test
    void wrongTypesAreInvalidClientMetadata() {
        token();
        int before = clients();
        for (String body : List.of("{\"redirect_uris\": \"" + REDIRECT + "\"}", "{\"redirect_uris\": [1]}",
                "{\"redirect_uris\": [null]}", "{\"redirect_uris\": [{}]}", "{\"client_name\": 5}",
                "{\"client_name\": true}", "{\"client_name\": [\"a\"]}", "{\"scope\": [\"openid\"]}",
                "{\"grant_types\": \"authorization_code\"}", "{\"grant_types\": [null]}",
                "{\"token_endpoint_auth_method\": {}}")) {
            Registrations.error(Registrations.post(browser, token(), body), 400, "invalid_client_metadata");
        }
        assertNothingRegistered(before);
    }

    @Test
    void unsupportedMetadataIsInvalidClientMetadata() {
        token();
        int before = clients();
        for (String body : List.of(
                metadata("\"token_endpoint_auth_method\": \"private_key_jwt\""),
                metadata("\"token_endpoint_auth_method\": \"client_secret_jwt\""),
                metadata("\"response_types\": [\"token\"]"),
                metadata("\"response_types\": [\"code id_token\"]"),
                metadata("\"grant_types\": [\"implicit\"]"),
                metadata("\"grant_types\": [\"urn:ietf:params:oauth:grant-type:saml2-bearer\"]"),
                metadata("\"grant_types\": [\"client_credentials\"], \"response_types\": [\"code\"]"),
                metadata("\"token_endpoint_auth_method\": \"none\", \"grant_types\": [\"client_credentials\"], "
                        + "\"response_types\": []"),
                metadata("\"scope\": \"openid client.create\""),
                metadata("\"scope\": \"openid \\\"quoted\\\"\""),
                metadata("\"client_name\": \"" + "x".repeat(101) + "\""),
                metadata("\"client_name\": \"null\\u0000byte\""),
                metadata("\"client_name\": \"line\\nbreak\""),
                metadata("\"logo_uri\": \"javascript:alert(1)\""),
                metadata("\"logo_uri\": \"https://example.com/" + "x".repeat(400) + "\""),
                metadata("\"backchannel_logout_uri\": \"http://evil.example.com/logout\""),
                metadata("\"scope\": \"" + "s ".repeat(600) + "\""),
                metadata("\"client_name\": \"" + "x".repeat(9_000) + "\""))) {
            Registrations.error(Registrations.post(browser, token(), body), 400, "invalid_client_metadata");
        }
        assertNothingRegistered(before);
    }

    @Test
    void badRedirectUrisAreInvalidRedirectUris() {
        token();
        int before = clients();
        for (String uri : List.of("javascript:alert(1)", "http://evil.example.com/cb", "https://app.example.com/cb#x",
                "https://*.example.com/cb", "/relative", "data:text/html,hi", "file:///etc/passwd",
                "https://user@app.example.com/cb", "not a uri", "https://app.example.com/cb' OR '1'='1",
                "https://app.example.com/" + "x".repeat(400), "")) {
            String body = "{\"redirect_uris\": [" + quoted(uri) + "]}";
            Registrations.error(Registrations.post(browser, token(), body), 400, "invalid_redirect_uri");
        }
        // the code flow needs a redirect URI
        Registrations.error(Registrations.post(browser, token(), "{\"grant_types\": [\"authorization_code\"]}"), 400,
                "invalid_redirect_uri");
        StringBuilder many = new StringBuilder("{\"redirect_uris\": [");
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append(quoted("https://app.example.com/" + i));
        }
        Registrations.error(Registrations.post(browser, token(), many.append("]}").toString()), 400,
                "invalid_redirect_uri");
        assertNothingRegistered(before);
    }

    @Test
    void hostileButHarmlessTextIsKeptAsText() {
        String name = "<script>alert('x')</script> ' OR 1=1; DROP TABLE users; -- \u202Eevil";
        Browser.Response response = Registrations.post(browser, token(), "{\"client_name\": " + quoted(name)
                + ", \"redirect_uris\": [\"" + REDIRECT + "\"]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(OAuth.json(response).get("client_name").asString()).isEqualTo(name);
        assertThat(response.header("Content-Type")).startsWith("application/json");
    }

    /** Bytes of a good body changed at random (a fixed seed, so a failure can be replayed): never a 5xx. */
    @Test
    void mangledBodiesNeverCauseAServerError() {
        byte[] good = ("{\"client_name\": \"Mangled\", \"redirect_uris\": [\"" + REDIRECT + "\"], \"grant_types\": "
                + "[\"authorization_code\"], \"scope\": \"openid email\", \"token_endpoint_auth_method\": \"none\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.Random random = new java.util.Random(7591);
        byte[] specials = "{}[]\",:\\\u0000 nulltrue-1e999\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 150; i++) {
            byte[] body = good.clone();
            for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
                body[random.nextInt(body.length)] = random.nextBoolean() ? specials[random.nextInt(specials.length)]
                        : (byte) random.nextInt(256);
            }
            Browser.Response response = browser.send(HttpRequest.newBuilder(browser.resolve(Registrations.PATH))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertThat(response.status()).as("case %d: %s", i, response.body()).isIn(201, 400);
            assertThat(response.header("Content-Type")).as("case %d", i).startsWith("application/json");
            if (response.status() == 400) {
                assertThat(OAuth.json(response).get("error").asString()).as("case %d", i)
                        .isIn("invalid_request", "invalid_client_metadata", "invalid_redirect_uri");
            }
        }
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() {
        token();
        int before = clients();
        String huge = "{\"client_name\": \"" + "x".repeat(70_000) + "\"}";
        Browser.Response response = Registrations.post(browser, token(), huge);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(OAuth.json(response).get("error").asString()).isEqualTo("invalid_request");
        assertNothingRegistered(before);
    }

    @Test
    void otherContentTypesAndMethodsGetJsonErrors() {
        Browser.Response form = browser.send(HttpRequest.newBuilder(browser.resolve(Registrations.PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + token())
                .POST(HttpRequest.BodyPublishers.ofString("client_name=x")).build());
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.header("Content-Type")).startsWith("application/json");
        Browser.Response get = Registrations.send(browser, "GET", Registrations.PATH, token(), null);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Content-Type")).startsWith("application/json");
        assertThat(get.body()).doesNotContain("<html");
        // no session cookie, whatever happens
        assertThat(form.headers().keySet().stream().map(String::toLowerCase)).doesNotContain("set-cookie");
        // a browser is not sent to the sign-in page: the hosted pages' chain never sees these paths
        Browser.Response fromBrowser = browser.get(Registrations.PATH + "/some-client", "Accept", "text/html");
        assertThat(fromBrowser.status()).isEqualTo(401);
        assertThat(fromBrowser.header("Content-Type")).startsWith("application/json");
        assertThat(fromBrowser.headers().keySet().stream().map(String::toLowerCase)).doesNotContain("set-cookie");
    }

    @Test
    void badUpdatesChangeNothing() {
        Browser.Response created = Registrations.post(browser, token(), "{\"redirect_uris\": [\"" + REDIRECT + "\"]}");
        assertThat(created.status()).isEqualTo(201);
        String clientId = OAuth.json(created).get("client_id").asString();
        String uri = OAuth.json(created).get("registration_client_uri").asString();
        String registrationToken = OAuth.json(created).get("registration_access_token").asString();
        for (Map.Entry<String, String> bad : Map.of(
                "{", "invalid_request",
                "{\"client_id\": \"" + clientId + "\", \"redirect_uris\": \"" + REDIRECT + "\"}", "invalid_client_metadata",
                "{\"client_id\": \"" + clientId + "\", \"redirect_uris\": [\"javascript:x\"]}", "invalid_redirect_uri",
                "{\"redirect_uris\": [\"" + REDIRECT + "\"]}", "invalid_client_metadata",
                "{\"client_id\": \"" + clientId + "\", \"redirect_uris\": [\"" + REDIRECT + "\"], "
                        + "\"software_statement\": \"x.y.z\"}", "invalid_client_metadata").entrySet()) {
            Registrations.error(Registrations.send(browser, "PUT", uri, registrationToken, bad.getKey()), 400,
                    bad.getValue());
        }
        // the token was not rotated by the refused updates, and the client is as it was
        assertThat(Registrations.send(browser, "GET", uri, registrationToken, null).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT redirect_uris FROM oauth2_registered_client WHERE client_id = ?",
                String.class, clientId)).isEqualTo(REDIRECT);
        // a bad token is refused before the body is read
        Registrations.error(Registrations.send(browser, "PUT", uri, "garbage", "{"), 401, "invalid_token");
    }

    private static String metadata(String field) {
        return "{\"redirect_uris\": [\"" + REDIRECT + "\"], " + field + "}";
    }

    private static String quoted(String text) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(text);
    }

    private int clients() {
        return jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client", Integer.class);
    }

    private void assertNothingRegistered(int clientsBefore) {
        assertThat(clients()).as("nothing was registered").isEqualTo(clientsBefore);
    }

    private String token() {
        synchronized (ClientRegistrationBadInputTest.class) {
            if (token == null) {
                ClientAdministration.IssuedClient registrar = administration.create(null, new ClientDraft(
                        "Bad input registrar " + UUID.randomUUID(), true, List.of("client_credentials"), null, null,
                        List.of("client.create"), null, null, null, null, null, null, null),
                        ClientAdministration.ADMINISTERED, "test");
                token = Registrations.clientCredentialsToken(browser, registrar.client().clientId(), registrar.secret(),
                        "client.create");
            }
            return token;
        }
    }
}
