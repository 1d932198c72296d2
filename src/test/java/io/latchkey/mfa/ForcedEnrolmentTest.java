package io.latchkey.mfa;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.SecondInstance;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code latchkey.mfa.required-for-roles=admin}: an administrator without a second factor is held on the enrolment
 * page after signing in, whatever they asked for, and goes on there once enrolled; other users are not; a required
 * second factor cannot be removed. Runs on an instance of its own with that setting, on the test database.
 */
@IntegrationTest
class ForcedEnrolmentTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "forced enrolment passphrase 1";
    private static final Pattern SECRET = Pattern.compile("data-secret=\"([A-Z2-7]+)\"");

    static ConfigurableApplicationContext instance;
    static String base;

    @BeforeAll
    static void start() {
        instance = SecondInstance.start(Map.of("latchkey.mfa.required-for-roles", "admin"));
        base = SecondInstance.baseUrl(instance);
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void anAdministratorIsHeldOnTheEnrolmentPageUntilEnrolledThenGoesOn() {
        String email = TestUsers.uniqueEmail("forced-admin");
        UUID admin = createUser(email, PASSWORD);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'admin')", admin);

        Browser browser = new Browser(base);
        assertThat(browser.get("/account?tab=apps").location()).endsWith("/login");
        assertThat(browser.signIn(email, PASSWORD).location()).endsWith("/account?tab=apps");
        assertThat(browser.get("/account?tab=apps").location()).endsWith("/account/second-factor");
        assertThat(browser.get("/oauth2/authorize?response_type=code&client_id=confidential-app").location())
                .as("the authorization endpoint too").endsWith("/account/second-factor");
        assertThat(browser.get("/account?tab=apps").location()).endsWith("/account/second-factor");

        Browser.Response page = browser.get("/account/second-factor");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"enrolment-required\"").contains("action=\"/logout\"");
        browser.postForm("/account/second-factor/start", Map.of("_csrf", page.csrf()));
        Browser.Response enrolment = browser.get("/account/second-factor");
        Matcher secret = SECRET.matcher(enrolment.body());
        assertThat(secret.find()).isTrue();
        Browser.Response codes = browser.postForm("/account/second-factor/confirm",
                Map.of("code", TestTotp.previous(secret.group(1)), "_csrf", enrolment.csrf()));
        assertThat(codes.status()).isEqualTo(200);
        assertThat(codes.body()).contains("href=\"/account?tab=apps\"");
        assertThat(browser.get("/account?tab=apps").status()).isEqualTo(200);

        Browser.Response manage = browser.get("/account/second-factor");
        assertThat(manage.body()).contains("cannot be removed").doesNotContain("id=\"disable-second-factor\"");
        Browser.Response refused = browser.postForm("/account/second-factor/disable",
                Map.of("code", TestTotp.current(secret.group(1)), "_csrf", manage.csrf()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM totp_factors WHERE user_id = ? AND confirmed_at IS NOT NULL",
                Long.class, admin)).isEqualTo(1);
    }

    @Test
    void aUserWithoutARequiringRoleIsNotHeld() {
        String email = TestUsers.uniqueEmail("forced-user");
        createUser(email, PASSWORD);
        Browser browser = new Browser(base);
        assertThat(browser.signIn(email, PASSWORD).location()).endsWith("/");
        assertThat(browser.get("/account").status()).isEqualTo(200);
    }
}
