package io.latchkey.oauth.device;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.Jwt;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.keys.TokenHasher;
import io.latchkey.oauth.AuthorizationCodeFlowTest;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestAddresses;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device authorization grant (RFC 8628) end to end over HTTP: start, polling with its errors, the activation page
 * with sign-in and consent, tokens; what the database keeps; the limits.
 */
@IntegrationTest
class DeviceFlowTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "device flow passphrase 1";
    private static final String USER_CODE = "[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}";

    private static String publicClient;
    private static String confidentialClient;
    private static String confidentialSecret;
    private static String withoutGrant;
    private static String withoutGrantSecret;

    @Autowired
    private ClientAdministration administration;
    @Autowired
    private TokenHasher hasher;

    private String email;
    private UUID userId;

    @BeforeEach
    void setUp() {
        synchronized (DeviceFlowTest.class) {
            if (publicClient == null) {
                publicClient = administration.create(null, draft("TV app", false, List.of(DeviceFlow.GRANT_TYPE)),
                        ClientAdministration.ADMINISTERED, "test").client().clientId();
                ClientAdministration.IssuedClient confidential = administration.create(null, draft("Printer", true,
                        List.of(DeviceFlow.GRANT_TYPE, "refresh_token")), ClientAdministration.ADMINISTERED, "test");
                confidentialClient = confidential.client().clientId();
                confidentialSecret = confidential.secret();
                ClientAdministration.IssuedClient other = administration.create(null, draft("No devices", true,
                        List.of("client_credentials")), ClientAdministration.ADMINISTERED, "test");
                withoutGrant = other.client().clientId();
                withoutGrantSecret = other.secret();
            }
        }
        email = TestUsers.uniqueEmail("device");
        userId = createUser(email, PASSWORD);
    }

    static ClientDraft draft(String name, boolean confidential, List<String> grantTypes) {
        return new ClientDraft(name + " " + UUID.randomUUID(), confidential, grantTypes, null, null,
                List.of("openid", "email", "profile"), null, null, null, null, null, null, null);
    }

    @Test
    void aPublicClientGetsTokensAndAnIdTokenAfterTheUserApprovesOnTheActivationPage() {
        String ip = TestAddresses.unique();
        DeviceFlow device = new DeviceFlow(publicClient, null, ip);
        JsonNode started = device.started("openid email");
        String deviceCode = started.get("device_code").asString();
        String userCode = started.get("user_code").asString();
        assertThat(userCode).matches(USER_CODE);
        assertThat(started.get("verification_uri").asString()).isEqualTo(TestServerInitializer.ISSUER + "/activate");
        assertThat(started.get("verification_uri_complete").asString())
                .isEqualTo(TestServerInitializer.ISSUER + "/activate?user_code=" + userCode);
        assertThat(started.get("expires_in").asLong()).isBetween(590L, 600L);
        assertThat(started.get("interval").asLong()).isEqualTo(5);

        // waiting for the user; polling again at once is too fast, and the interval grows by 5 s for good
        Browser.Response pending = device.poll(deviceCode);
        assertThat(pending.status()).isEqualTo(400);
        assertThat(DeviceFlow.error(pending)).isEqualTo("authorization_pending");
        Browser.Response tooFast = device.poll(deviceCode);
        assertThat(tooFast.status()).isEqualTo(400);
        assertThat(DeviceFlow.error(tooFast)).isEqualTo("slow_down");
        assertThat(jdbc.queryForObject("SELECT interval_seconds FROM device_code_polls WHERE code_hash = ?",
                Integer.class, hasher.hash(deviceCode))).isEqualTo(10);

        Browser browser = new Browser();
        Browser.Response consent = DeviceFlow.consentPage(browser,
                started.get("verification_uri_complete").asString(), email, PASSWORD, ip);
        assertThat(consent.body()).contains("TV app").contains(userCode).contains("openid").contains("email")
                .contains("id=\"submit-consent\"").contains("id=\"cancel-consent\"");
        // arriving with the code approved nothing
        assertThat(DeviceFlow.error(device.poll(deviceCode))).isIn("authorization_pending", "slow_down");

        Browser.Response done = DeviceFlow.answer(browser, consent, true);
        assertThat(done.uri().getPath()).isEqualTo("/activate/done");
        assertThat(done.body()).contains("id=\"device-approved\"");

        Browser.Response tokens = device.poll(deviceCode);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        JsonNode body = OAuth.json(tokens);
        Jwt idToken = AuthorizationCodeFlowTest.verifierFromJwksEndpoint().decode(body.get("id_token").asString());
        assertThat(idToken.getSubject()).isEqualTo(userId.toString());
        assertThat(idToken.getAudience()).containsExactly(publicClient);
        Jwt access = AuthorizationCodeFlowTest.verifierFromJwksEndpoint().decode(body.get("access_token").asString());
        assertThat(access.getSubject()).isEqualTo(userId.toString());
        assertThat(body.get("scope").asString().split(" ")).containsExactlyInAnyOrder("openid", "email");

        // single use
        Browser.Response again = device.poll(deviceCode);
        assertThat(again.status()).isEqualTo(400);
        assertThat(DeviceFlow.error(again)).isEqualTo("invalid_grant");
        // and the user code is spent
        Browser.Response page = browser.get("/activate");
        Browser.Response reused = DeviceFlow.submitCode(browser, page, userCode, ip);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body()).contains("id=\"code-error-summary\"");

        assertThat(auditTypes(userId)).contains("DEVICE_AUTHORIZATION_APPROVED");
        assertNoPlainCodes(deviceCode, userCode);
    }

    @Test
    void aConfidentialClientIsDeniedWhenTheUserSaysNoAndTheCodeIsTypedInAnySpelling() {
        String ip = TestAddresses.unique();
        DeviceFlow device = new DeviceFlow(confidentialClient, confidentialSecret, ip);
        JsonNode started = device.started("openid profile");
        String deviceCode = started.get("device_code").asString();
        String userCode = started.get("user_code").asString();

        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get("/activate");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"user-code\"");
        // lower case, spaces instead of the hyphen
        String typed = " " + userCode.substring(0, 4).toLowerCase() + " " + userCode.substring(5) + " ";
        Browser.Response submitted = DeviceFlow.submitCode(browser, page, typed, ip);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(302);
        Browser.Response consent = browser.follow(submitted);
        assertThat(consent.uri().getPath()).isEqualTo("/activate/consent");

        Browser.Response denied = DeviceFlow.answer(browser, consent, false);
        assertThat(denied.uri().getPath()).isEqualTo("/activate/denied");
        assertThat(denied.body()).contains("id=\"device-denied\"");
        Browser.Response poll = device.poll(deviceCode);
        assertThat(poll.status()).isEqualTo(400);
        assertThat(DeviceFlow.error(poll)).isEqualTo("access_denied");
        assertThat(auditTypes(userId)).contains("DEVICE_AUTHORIZATION_DENIED");
    }

    @Test
    void anExpiredCodeIsExpiredTokenForTheDeviceAndAClearMessageForTheUser() {
        String ip = TestAddresses.unique();
        DeviceFlow device = new DeviceFlow(confidentialClient, confidentialSecret, ip);
        JsonNode started = device.started("openid");
        String deviceCode = started.get("device_code").asString();
        String userCode = started.get("user_code").asString();
        // the code's lifetime passes
        jdbc.update("UPDATE authorization_tokens SET expires_at = ?, issued_at = ? WHERE authorization_id = "
                        + "(SELECT authorization_id FROM authorization_tokens WHERE token_hash = ?)",
                java.sql.Timestamp.from(Instant.now().minusSeconds(60)),
                java.sql.Timestamp.from(Instant.now().minusSeconds(700)), hasher.hash(deviceCode));

        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get("/activate");
        Browser.Response refused = DeviceFlow.submitCode(browser, page, userCode, ip);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"code-error-summary\"");
        // straight to the verification endpoint: the same message
        Browser.Response direct = browser.get("/oauth2/device_verification?user_code=" + userCode,
                "Accept", "text/html", "X-Forwarded-For", ip);
        assertThat(direct.status()).isEqualTo(302);
        assertThat(direct.location()).endsWith("/activate?error=code");

        Browser.Response poll = device.poll(deviceCode);
        assertThat(poll.status()).isEqualTo(400);
        assertThat(DeviceFlow.error(poll)).isEqualTo("expired_token");
        assertThat(DeviceFlow.error(device.poll(deviceCode))).isEqualTo("expired_token");
    }

    @Test
    void onlyClientsWithTheGrantMayStartAndOnlyWithTheirOwnCodes() {
        String ip = TestAddresses.unique();
        Browser.Response refused = new DeviceFlow(withoutGrant, withoutGrantSecret, ip).start("openid");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(DeviceFlow.error(refused)).isEqualTo("unauthorized_client");
        Browser.Response wrongSecret = new DeviceFlow(confidentialClient, "wrong-secret-0123456789", ip).start("openid");
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(DeviceFlow.error(wrongSecret)).isEqualTo("invalid_client");
        Browser.Response unknown = new DeviceFlow("no-such-client-" + UUID.randomUUID(), null, ip).start("openid");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(DeviceFlow.error(unknown)).isEqualTo("invalid_client");

        // another client's device code is not redeemed (and dies)
        String deviceCode = new DeviceFlow(publicClient, null, ip).started("openid").get("device_code").asString();
        Browser.Response stolen = new DeviceFlow(confidentialClient, confidentialSecret, ip).poll(deviceCode);
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(DeviceFlow.error(stolen)).isEqualTo("invalid_grant");
        // a client without the grant cannot poll
        Browser.Response notAllowed = new DeviceFlow(withoutGrant, withoutGrantSecret, ip).poll(deviceCode);
        assertThat(notAllowed.status()).isBetween(400, 401);
        assertThat(notAllowed.body()).doesNotContain("access_token");
    }

    @Test
    void badInputAtTheDeviceAuthorizationEndpointIsAnOAuthError() {
        String ip = TestAddresses.unique();
        DeviceFlow device = new DeviceFlow(confidentialClient, confidentialSecret, ip);
        for (String scope : List.of("", "admin", "openid <script>alert(1)</script>", "openid\u0000", "\u00fcber openid",
                "' OR '1'='1", "x".repeat(10_000))) {
            Browser.Response response = device.start(scope);
            assertThat(response.status()).as(scope).isEqualTo(400);
            assertThat(DeviceFlow.error(response)).as(scope).isIn("invalid_scope", "invalid_request");
            assertThat(response.body()).doesNotContain("<script>");
        }
        Browser.Response noScope = device.start(null);
        assertThat(noScope.status()).isEqualTo(400);
        assertThat(DeviceFlow.error(noScope)).isEqualTo("invalid_scope");
        Browser.Response twice = device.start("openid", "scope", "email");
        assertThat(twice.status()).isEqualTo(400);
        Browser.Response noClient = new Browser().postForm("/oauth2/device_authorization",
                java.util.Map.of("scope", "openid"), "Accept", "application/json", "X-Forwarded-For", ip);
        assertThat(noClient.status()).isEqualTo(401);
        assertThat(DeviceFlow.error(noClient)).isEqualTo("invalid_client");
        Browser.Response get = new Browser().get("/oauth2/device_authorization", "Accept", "application/json");
        assertThat(get.status()).isBetween(400, 405);
    }

    @Test
    void badInputAtTheTokenEndpointIsInvalidGrantOrInvalidRequest() {
        DeviceFlow device = new DeviceFlow(confidentialClient, confidentialSecret, TestAddresses.unique());
        for (String code : List.of("nonsense", "x".repeat(20_000), "abc\u0000def", "<script>alert(1)</script>",
                "\u2603\u00fc", "' OR '1'='1")) {
            Browser.Response response = device.poll(code);
            assertThat(response.status()).as(code).isEqualTo(400);
            assertThat(DeviceFlow.error(response)).as(code).isEqualTo("invalid_grant");
        }
        Browser.Response missing = device.poll("");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(DeviceFlow.error(missing)).isEqualTo("invalid_request");
    }

    @Test
    void badInputOnTheActivationPageIsAFriendlyMessage() {
        String ip = TestAddresses.unique();
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        Browser.Response prefilled = browser.get("/activate?user_code=" + DeviceFlow.encode("<script>alert(1)</script>"));
        assertThat(prefilled.status()).isEqualTo(200);
        assertThat(prefilled.body()).doesNotContain("<script>alert(1)").contains("id=\"user-code\"");
        for (String typed : List.of("", "BCDF", "BCDF-GHJK-LMNP", "AEIO-UAEI", "bcdf\u0000ghjk", "<script>alert(1)</script>",
                "\u00dfBCD-FGHJ", "x".repeat(5_000), "' OR '1'='1")) {
            Browser.Response response = DeviceFlow.submitCode(browser, prefilled, typed, ip);
            assertThat(response.status()).as(typed).isEqualTo(400);
            assertThat(response.body()).as(typed).contains("id=\"code-error-summary\"").doesNotContain("<script>alert");
        }
        Browser.Response consent = browser.get("/activate/consent?client_id=" + DeviceFlow.encode("<b>x</b>")
                + "&state=%00&user_code=nope&scope=openid");
        assertThat(consent.status()).isEqualTo(400);
        assertThat(consent.body()).contains("id=\"code-error-summary\"");
        Browser.Response forged = browser.postForm("/oauth2/device_verification", List.of(
                java.util.Map.entry("client_id", publicClient), java.util.Map.entry("state", "forged"),
                java.util.Map.entry("user_code", "BCDF-GHJK"), java.util.Map.entry("scope", "openid")),
                "X-Forwarded-For", ip);
        assertThat(forged.status()).isEqualTo(302);
        assertThat(forged.location()).endsWith("/activate?error=code");
        Browser.Response withoutSession = new Browser().get("/activate");
        assertThat(withoutSession.status()).isEqualTo(302);
        assertThat(withoutSession.location()).endsWith("/login");
    }

    @Test
    void wrongUserCodesFromOneAddressAreLimited() {
        String ip = TestAddresses.unique();
        DeviceFlow device = new DeviceFlow(publicClient, null, ip);
        String realCode = device.started("openid").get("user_code").asString();
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get("/activate");
        for (int i = 0; i < 10; i++) {
            Browser.Response wrong = DeviceFlow.submitCode(browser, page, "BBBB-BBB" + "BCDFGHJKLM".charAt(i), ip);
            assertThat(wrong.status()).isEqualTo(400);
        }
        Browser.Response limited = DeviceFlow.submitCode(browser, page, realCode, ip);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotBlank();
        assertThat(limited.body()).contains("id=\"too-many-requests\"");
        // the verification endpoint counts the same
        Browser.Response direct = browser.get("/oauth2/device_verification?user_code=" + realCode,
                "Accept", "text/html", "X-Forwarded-For", ip);
        assertThat(direct.status()).isEqualTo(429);
        // another address is not held up
        Browser.Response elsewhere = DeviceFlow.submitCode(browser, page, realCode, TestAddresses.unique());
        assertThat(elsewhere.status()).isEqualTo(302);
    }

    @Test
    void oneAddressMayStartOnlySoManyDeviceAuthorizations() {
        DeviceFlow device = new DeviceFlow(publicClient, null, TestAddresses.unique());
        for (int i = 0; i < 30; i++) {
            assertThat(device.start("openid").status()).isEqualTo(200);
        }
        Browser.Response limited = device.start("openid");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotBlank();
        assertThat(DeviceFlow.error(limited)).isEqualTo("temporarily_unavailable");
    }

    /** Neither code is anywhere in the tables, in any spelling: only their keyed hashes are. */
    private void assertNoPlainCodes(String deviceCode, String userCode) {
        String compact = userCode.replace("-", "");
        for (String value : List.of(deviceCode, userCode, compact)) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM authorization_tokens WHERE token_hash = ? "
                    + "OR metadata LIKE ?", Integer.class, value, "%" + value + "%")).isZero();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM authorizations WHERE attributes LIKE ? "
                    + "OR principal_name = ?", Integer.class, "%" + value + "%", value)).isZero();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device_code_polls WHERE code_hash = ?",
                    Integer.class, value)).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM authorization_tokens WHERE token_hash IN (?, ?)",
                Integer.class, hasher.hash(deviceCode), hasher.hash(userCode))).isEqualTo(2);
    }

    private List<String> auditTypes(UUID user) {
        return jdbc.queryForList("SELECT type FROM audit_events WHERE user_id = ?", String.class, user);
    }
}
