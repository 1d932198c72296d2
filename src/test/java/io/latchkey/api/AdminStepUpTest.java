package io.latchkey.api;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import io.latchkey.mfa.TotpSecondFactor;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.OAuth;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestTotp;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.api.ApiClient.problem;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin operations need a token from a sign-in with a second factor or a passkey when the admin has one: a
 * password-only token is refused with 403 and the RFC 9470 challenge naming the {@code acr} needed, before the
 * operation runs; an admin without either is not held back.
 */
@IntegrationTest
class AdminStepUpTest extends UsersInDatabaseTest {

    private static final String MFA = "urn:latchkey:acr:mfa";
    private static final int ADMIN_OPERATIONS = 5;

    @Autowired
    private TotpSecondFactor secondFactor;

    private final ApiClient api = new ApiClient();

    @Test
    void aPasswordOnlyTokenOfAnAdminWithASecondFactorIsRefusedWithTheStepUpChallenge() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "stepup-admin");
        ApiClient.User target = ApiClient.user(jdbc, passwordEncoder, "stepup-target");
        String passwordOnly = ApiClient.token(admin);
        assertThat(ApiClient.claims(passwordOnly).get("acr").asString()).isEqualTo("urn:latchkey:acr:password");
        String accountToken = ApiClient.token(admin, "openid latchkey.account");
        TestTotp.enrol(secondFactor, admin.id());

        for (Browser.Response response : adminOperations(passwordOnly, target)) {
            JsonNode problem = problem(response, 403);
            assertThat(problem.get("type").asString()).isEqualTo("urn:latchkey:problem:insufficient-user-authentication");
            assertThat(problem.get("acr_values").asString()).isEqualTo(MFA);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer ")
                    .contains("error=\"insufficient_user_authentication\"").contains("acr_values=\"" + MFA + "\"");
        }
        assertThat(jdbc.queryForObject("SELECT enabled FROM users WHERE id = ?", Boolean.class, target.id())).isTrue();
        assertThat(jdbc.queryForList("SELECT role_name FROM user_roles WHERE user_id = ?", String.class, target.id()))
                .containsExactly("user");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE user_id = ? AND type = 'ACCESS_DENIED'",
                Integer.class, admin.id())).isEqualTo(ADMIN_OPERATIONS);

        // the user's own account is not an admin operation
        assertThat(api.get("/api/v1/users/me", accountToken).status()).isEqualTo(200);
    }

    @Test
    void aTokenFromASessionWithTheCodeAdministers() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "totp-admin");
        ApiClient.User target = ApiClient.user(jdbc, passwordEncoder, "totp-target");
        TestTotp.Enrolled enrolled = TestTotp.enrol(secondFactor, admin.id());
        Browser session = new Browser();
        assertThat(session.signIn(admin.email(), ApiClient.PASSWORD).location()).endsWith("/login/second-factor");
        Browser.Response codePage = session.get("/login/second-factor");
        session.postForm("/login/second-factor", Map.of("code", TestTotp.current(enrolled.secret()),
                "_csrf", codePage.csrf()));

        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(session, CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                "openid latchkey.admin", "s", verifier), admin.email(), "the session needs no password");
        Browser.Response tokens = OAuth.post(session, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", TRUSTED_REDIRECT, "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        String token = OAuth.json(tokens).get("access_token").asString();
        assertThat(ApiClient.claims(token).get("acr").asString()).isEqualTo(MFA);

        Browser.Response found = api.get("/api/v1/users/" + target.id(), token);
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        assertThat(api.post("/api/v1/users/" + target.id() + "/disable", token, null).status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT enabled FROM users WHERE id = ?", Boolean.class, target.id())).isFalse();
    }

    @Test
    void aPasswordOnlyTokenOfAnAdminWithoutASecondFactorAdministers() {
        ApiClient.User admin = ApiClient.admin(jdbc, passwordEncoder, "plain-admin");
        ApiClient.User target = ApiClient.user(jdbc, passwordEncoder, "plain-target");
        String token = ApiClient.token(admin);
        Browser.Response found = api.get("/api/v1/users/" + target.id(), token);
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        assertThat(api.post("/api/v1/users/" + target.id() + "/disable", token, null).status()).isEqualTo(204);
    }

    @Test
    void withoutThePermissionTheAnswerIsAPlainDenialNotAStepUpChallenge() {
        ApiClient.User plain = ApiClient.user(jdbc, passwordEncoder, "stepup-plain");
        ApiClient.User target = ApiClient.user(jdbc, passwordEncoder, "stepup-plain-target");
        String token = ApiClient.token(plain, "openid latchkey.admin");
        TestTotp.enrol(secondFactor, plain.id());
        Browser.Response response = api.get("/api/v1/users/" + target.id(), token);
        assertThat(problem(response, 403).get("type").asString()).isEqualTo("urn:latchkey:problem:forbidden");
        assertThat(response.header("WWW-Authenticate")).isNull();
    }

    private List<Browser.Response> adminOperations(String token, ApiClient.User target) {
        return List.of(
                api.get("/api/v1/users?q=x", token),
                api.get("/api/v1/users/" + target.id(), token),
                api.post("/api/v1/users/" + target.id() + "/disable", token, null),
                api.call("PUT", "/api/v1/users/" + target.id() + "/roles", token, "{\"roles\":[\"user\",\"admin\"]}"),
                api.call("DELETE", "/api/v1/users/" + target.id(), token, null));
    }
}
