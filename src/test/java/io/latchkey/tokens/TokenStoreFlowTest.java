package io.latchkey.tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;


import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.STORED_CC_CLIENT;
import static io.latchkey.support.TestServerInitializer.STORED_CC_SECRET;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** The token store seen from the endpoints: nothing replayable at rest, rotation races, reuse, stateless tokens. */
@IntegrationTest
class TokenStoreFlowTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "token store password 99";

    private final Browser browser = new Browser();
    private String email;

    @BeforeEach
    void createUser() {
        email = TestUsers.uniqueEmail("store");
        TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Store User");
    }

    @Test
    void databaseDumpAfterAFullLoginContainsNoIssuedTokenValue() {
        String verifier = OAuth.randomVerifier();
        Browser.Response toLogin = browser.get(CodeFlow.authorizeUrl(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid profile email", "dump", verifier));
        Browser.Response consent = browser.follow(browser.signIn(email, PASSWORD));
        assertThat(toLogin.location()).contains("/login");
        String consentState = consent.body().replaceAll("(?s).*name=\"state\"\\s+value=\"([^\"]+)\".*", "$1");
        Browser.Response callback = CodeFlow.approveAll(browser, consent);
        String code = callback.locationParam("code");
        JsonNode tokens = OAuth.json(OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", code, "redirect_uri", CONFIDENTIAL_REDIRECT,
                        "code_verifier", verifier)));
        JsonNode refreshed = OAuth.json(OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asString())));

        List<String> issued = List.of(code, consentState, tokens.get("access_token").asString(),
                tokens.get("refresh_token").asString(), tokens.get("id_token").asString(),
                refreshed.get("access_token").asString(), refreshed.get("refresh_token").asString(),
                refreshed.get("id_token").asString(), CONFIDENTIAL_SECRET);
        String dump = dumpEveryTable();
        assertThat(dump).contains(email); // the dump really has the data
        for (String value : issued) {
            assertThat(dump).as("dump contains an issued value").doesNotContain(value);
            // nor the signature part alone, which is what makes a JWT presentable
            if (value.split("\\.").length == 3) {
                assertThat(dump).doesNotContain(value.split("\\.")[2]);
            }
        }
    }

    @Test
    void concurrentRefreshesOfTheSameTokenHaveExactlyOneWinner() throws Exception {
        String refreshToken = login(TRUSTED_CLIENT, TRUSTED_REDIRECT).get("refresh_token").asString();
        int requests = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<Browser.Response>> results = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Callable<Browser.Response> refresh = () -> {
                    start.await();
                    return OAuth.post(new Browser(), "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                            OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken));
                };
                results.add(pool.submit(refresh));
            }
            start.countDown();
            int winners = 0;
            for (Future<Browser.Response> result : results) {
                Browser.Response response = result.get();
                if (response.status() == 200) {
                    winners++;
                }
                else {
                    assertThat(response.status()).as(response.body()).isEqualTo(400);
                    assertThat(OAuth.json(response).get("error").asString()).isEqualTo("invalid_grant");
                }
            }
            assertThat(winners).isEqualTo(1);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void replayingARotatedRefreshTokenRevokesTheWholeLogin() {
        JsonNode first = login(TRUSTED_CLIENT, TRUSTED_REDIRECT);
        String oldRefresh = first.get("refresh_token").asString();
        JsonNode second = OAuth.json(OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", oldRefresh)));
        assertThat(introspect(second.get("access_token").asString())).isTrue();

        Browser.Response replay = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", oldRefresh));
        assertThat(replay.status()).isEqualTo(400);
        assertThat(OAuth.json(replay).get("error").asString()).isEqualTo("invalid_grant");

        assertThat(introspect(second.get("access_token").asString())).isFalse();
        assertThat(introspect(second.get("refresh_token").asString())).isFalse();
        Browser.Response newerRefresh = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", second.get("refresh_token").asString()));
        assertThat(OAuth.json(newerRefresh).get("error").asString()).isEqualTo("invalid_grant");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE type = 'REFRESH_TOKEN_REUSED' "
                + "AND user_id = (SELECT id FROM users WHERE email_normalized = ?)", Integer.class, email)).isEqualTo(1);
    }

    @Test
    void statelessClientCredentialsTokensAreNotStoredButStillIntrospect() {
        int before = rows();
        String token = OAuth.json(OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "client_credentials", "scope", "api.read"))).get("access_token").asString();
        assertThat(rows()).isEqualTo(before);
        assertThat(introspect(token)).isTrue();

        // revoked through the deny list (StatelessRevocationTest)
        OAuth.post(browser, "/oauth2/revoke", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET, OAuth.form("token", token));
        assertThat(introspect(token)).isFalse();

        // a forged or altered token is not recognised
        assertThat(introspect(token.substring(0, token.length() - 4) + "AAAA")).isFalse();
    }

    @Test
    void storedClientCredentialsTokensAreStoredAndRevocable() {
        int before = rows();
        String token = OAuth.json(OAuth.post(browser, "/oauth2/token", STORED_CC_CLIENT, STORED_CC_SECRET,
                OAuth.form("grant_type", "client_credentials", "scope", "api.read"))).get("access_token").asString();
        assertThat(rows()).isEqualTo(before + 1);
        assertThat(introspect(token)).isTrue();
        Browser.Response revoked = OAuth.post(browser, "/oauth2/revoke", STORED_CC_CLIENT, STORED_CC_SECRET,
                OAuth.form("token", token));
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(introspect(token)).isFalse();
    }

    @Test
    void rememberedClientSecretDoesNotLetAWrongSecretThrough() {
        for (int i = 0; i < 3; i++) {
            assertThat(OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                    OAuth.form("grant_type", "client_credentials")).status()).isEqualTo(200);
        }
        Browser.Response wrong = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET + "!",
                OAuth.form("grant_type", "client_credentials"));
        assertThat(wrong.status()).isEqualTo(401);
    }

    private JsonNode login(String clientId, String redirectUri) {
        String verifier = OAuth.randomVerifier();
        Browser session = new Browser();
        Browser.Response callback = CodeFlow.run(session, CodeFlow.authorizeUrl(clientId, redirectUri, "openid", "s",
                verifier), email, PASSWORD);
        Browser.Response response = OAuth.post(session, "/oauth2/token", clientId, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", redirectUri, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private boolean introspect(String token) {
        return OAuth.isActive(browser, token);
    }

    private int rows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM authorizations", Integer.class);
    }

    /** Every row of every table in the schema, as text, like a dump an attacker would have. */
    private String dumpEveryTable() {
        StringBuilder dump = new StringBuilder();
        for (String table : jdbc.queryForList("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", String.class)) {
            for (Map<String, Object> row : jdbc.queryForList("SELECT * FROM \"" + table + "\"")) {
                dump.append(table).append(':').append(row).append('\n');
            }
        }
        return dump.toString();
    }

}
