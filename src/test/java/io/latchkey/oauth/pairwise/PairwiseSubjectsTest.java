package io.latchkey.oauth.pairwise;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;
import io.latchkey.client.ClientProblem;
import io.latchkey.client.ClientRuleViolation;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Pairwise subject identifiers (OpenID Connect Core 8.1) against the running server: per sector, the same in the ID
 * token and at userinfo, never in access tokens; and the sector identifier rules when a client is saved.
 */
@IntegrationTest
class PairwiseSubjectsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "correct horse battery staple";

    @Autowired
    ClientAdministration administration;

    private final Browser browser = new Browser();
    private HttpServer sectors;
    private String run;

    @BeforeEach
    void serveSectorDocuments() throws Exception {
        run = UUID.randomUUID().toString().substring(0, 8);
        sectors = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve("/sector.json", "[\"https://a-" + run + ".example.com/cb\", \"https://b-" + run + ".example.net/cb\"]");
        serve("/not-an-array.json", "{\"redirect_uris\": []}");
        sectors.createContext("/moved.json", exchange -> {
            exchange.getResponseHeaders().add("Location", sectorUri("/sector.json"));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        sectors.start();
    }

    @AfterEach
    void stop() {
        sectors.stop(0);
    }

    private void serve(String path, String json) {
        sectors.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    private String sectorUri(String path) {
        return "http://127.0.0.1:" + sectors.getAddress().getPort() + path;
    }

    private static ClientExtensions pairwise(String sectorIdentifierUri) {
        return new ClientExtensions(null, null, null, null, null, ClientExtensions.PAIRWISE_SUBJECT,
                sectorIdentifierUri, null, null);
    }

    private String client(String redirect, ClientExtensions extensions, String... moreRedirects) {
        String clientId = "pairwise-" + UUID.randomUUID();
        List<String> redirects = new java.util.ArrayList<>(List.of(redirect));
        redirects.addAll(List.of(moreRedirects));
        administration.create(clientId, new ClientDraft("Pairwise app", false, List.of("authorization_code"),
                redirects, null, List.of("openid", "email"), null, false, null, null, null, null, null)
                .withExtensions(extensions), ClientAdministration.ADMINISTERED, "test");
        return clientId;
    }

    /** The code flow as the signed-in user; the ID token's, userinfo's and access token's sub. */
    private Subjects subjectsFor(String clientId, String redirect, String email) {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(clientId, redirect, "openid email",
                "s", verifier), email, PASSWORD);
        Browser.Response tokens = OAuth.post(browser, "/oauth2/token", clientId, null, OAuth.form(
                "grant_type", "authorization_code", "code", callback.locationParam("code"), "redirect_uri", redirect,
                "code_verifier", verifier, "client_id", clientId));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        String accessToken = OAuth.json(tokens).get("access_token").asString();
        Browser.Response userinfo = browser.get("/userinfo", "Authorization", "Bearer " + accessToken,
                "Accept", "application/json");
        assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
        return new Subjects(payload(OAuth.json(tokens).get("id_token").asString()).get("sub").asString(),
                OAuth.json(userinfo).get("sub").asString(), payload(accessToken).get("sub").asString());
    }

    private static JsonNode payload(String jwt) {
        return OAuth.json(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private record Subjects(String idToken, String userinfo, String accessToken) {
    }

    @Test
    void eachSectorSeesItsOwnStableSubjectAndAccessTokensKeepTheInternalOne() {
        String email = TestUsers.uniqueEmail("pairwise");
        String userId = TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Pair Wise").toString();

        String redirectOne = "https://one-" + run + ".example.com/cb";
        String redirectTwo = "https://two-" + run + ".example.com/cb";
        String redirectA = "https://a-" + run + ".example.com/cb";
        String redirectB = "https://b-" + run + ".example.net/cb";
        String one = client(redirectOne, pairwise(null));
        String two = client(redirectTwo, pairwise(null));
        String sectorA = client(redirectA, pairwise(sectorUri("/sector.json")));
        String sectorB = client(redirectB, pairwise(sectorUri("/sector.json")));
        String publicSubjects = client("https://public-" + run + ".example.com/cb", ClientExtensions.NONE);

        Subjects seenByOne = subjectsFor(one, redirectOne, email);
        Subjects seenByTwo = subjectsFor(two, redirectTwo, email);
        Subjects seenByA = subjectsFor(sectorA, redirectA, email);
        Subjects seenByB = subjectsFor(sectorB, redirectB, email);
        Subjects seenByPublic = subjectsFor(publicSubjects, "https://public-" + run + ".example.com/cb", email);

        for (Subjects seen : List.of(seenByOne, seenByTwo, seenByA, seenByB)) {
            assertThat(seen.idToken()).isNotEqualTo(userId).doesNotContain(userId).matches("[A-Za-z0-9_-]{43}");
            assertThat(seen.userinfo()).as("userinfo sub = ID token sub").isEqualTo(seen.idToken());
            assertThat(seen.accessToken()).as("access tokens keep the internal subject").isEqualTo(userId);
        }
        assertThat(seenByOne.idToken()).as("different sectors").isNotEqualTo(seenByTwo.idToken());
        assertThat(seenByA.idToken()).as("one sector, two hosts").isEqualTo(seenByB.idToken());
        assertThat(seenByA.idToken()).isNotEqualTo(seenByOne.idToken());
        assertThat(seenByPublic.idToken()).isEqualTo(userId);
        assertThat(seenByPublic.userinfo()).isEqualTo(userId);

        // stable: a second sign-in through the same client sees the same identifier
        assertThat(subjectsFor(one, redirectOne, email).idToken()).isEqualTo(seenByOne.idToken());
    }

    @Test
    void sectorIdentifierRulesWhenAClientIsSaved() {
        String a = "https://a-" + run + ".example.com/cb";
        String b = "https://b-" + run + ".example.net/cb";
        String c = "https://c-" + run + ".example.org/cb";
        assertRefused(() -> client(a, pairwise(null), b), "is required for subject-type: pairwise");
        assertRefused(() -> client(a, pairwise(sectorUri("/sector.json")), b, c), "missing: " + c);
        assertRefused(() -> client(a, pairwise("http://127.0.0.1:9/sector.json")), "could not be fetched");
        assertRefused(() -> client(a, pairwise("http://sectors.example.com/sector.json")), "must be an https URL");
        assertRefused(() -> client(a, pairwise(sectorUri("/not-an-array.json"))), "is not a JSON array");
        assertRefused(() -> client(a, pairwise(sectorUri("/moved.json"))), "answered 302");
        assertRefused(() -> client(a, pairwise(sectorUri("/nothing-here.json"))), "answered 404");
        // one host needs no sector identifier URI; a listed set of hosts is accepted
        assertThat(client(a, pairwise(null), "https://a-" + run + ".example.com/other")).isNotBlank();
        assertThat(client(a, pairwise(sectorUri("/sector.json")), b)).isNotBlank();
    }

    private static void assertRefused(Runnable create, String message) {
        ClientRuleViolation violation = catchThrowableOfType(ClientRuleViolation.class, create::run);
        assertThat(violation).as("refused: " + message).isNotNull();
        assertThat(violation.problems()).extracting(ClientProblem::property).contains("sector-identifier-uri");
        assertThat(violation.problems()).extracting(ClientProblem::message)
                .anySatisfy(text -> assertThat(text).contains(message));
    }
}
