package io.latchkey.session;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.SecondInstance;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.session.SessionTestSupport.rows;
import static io.latchkey.session.SessionTestSupport.signIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle and absolute lifetimes, set tiny on an instance of their own. They are written into the shared store, so
 * the test server (with the default lifetimes) ends such a session at the same moment.
 */
@IntegrationTest
class SessionLifetimesTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "sessions do not live forever";

    @Test
    void anIdleSessionEndsAndABusyOneEndsAtItsAbsoluteLifetime() throws InterruptedException {
        try (ConfigurableApplicationContext shortLived = SecondInstance.start(Map.of(
                "latchkey.session.idle-timeout", "2s", "latchkey.session.absolute-timeout", "6s",
                "latchkey.session.purge-interval", "1h"))) {
            String base = SecondInstance.baseUrl(shortLived);

            String idleEmail = TestUsers.uniqueEmail("idle");
            UUID idleUser = createUser(idleEmail, PASSWORD);
            Browser idle = new Browser(base);
            signIn(idle, base, idleEmail, PASSWORD);
            assertThat(idle.get("/account").status()).isEqualTo(200);
            Thread.sleep(3_000);
            assertThat(idle.get("/account").location()).isEqualTo(base + "/login");
            // the other instance (idle timeout 8h) does not revive it: the row carries its own expiry
            assertThat(rows(jdbc, idleUser)).isZero();

            String busyEmail = TestUsers.uniqueEmail("busy");
            UUID busyUser = createUser(busyEmail, PASSWORD);
            Browser busy = new Browser(base);
            signIn(busy, base, busyEmail, PASSWORD);
            long created = jdbc.queryForObject("SELECT CREATION_TIME FROM SPRING_SESSION WHERE PRINCIPAL_NAME = ?",
                    Long.class, busyUser.toString());
            boolean ended = false;
            for (int i = 0; i < 20 && !ended; i++) {
                Browser.Response account = busy.get("/account");
                ended = account.status() == 302;
                if (!ended) {
                    Long expiry = jdbc.queryForObject("SELECT EXPIRY_TIME FROM SPRING_SESSION WHERE PRINCIPAL_NAME = ?",
                            Long.class, busyUser.toString());
                    assertThat(expiry).as("never stored past the absolute end").isLessThanOrEqualTo(created + 6_000);
                    Thread.sleep(1_000);
                }
            }
            assertThat(ended).as("used every second, the session still ends").isTrue();
            // expiry is kept to the second, so the end comes within a second before the absolute lifetime
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(created + 5_000);
            assertThat(new Browser().get("/account").location()).endsWith("/login");
        }
    }

    @Test
    void expiredRowsArePurged() {
        String email = TestUsers.uniqueEmail("purged");
        UUID userId = createUser(email, PASSWORD);
        Browser browser = new Browser();
        signIn(browser, io.latchkey.support.TestServerInitializer.ISSUER, email, PASSWORD);
        assertThat(rows(jdbc, userId)).isEqualTo(1);
        jdbc.update("UPDATE SPRING_SESSION SET EXPIRY_TIME = ? WHERE PRINCIPAL_NAME = ?",
                System.currentTimeMillis() - 1_000, userId.toString());
        assertThat(purge.purge()).isGreaterThanOrEqualTo(1);
        assertThat(rows(jdbc, userId)).isZero();
        assertThat(browser.get("/account").status()).isEqualTo(302);
    }

    @Autowired
    ExpiredSessionPurge purge;
}
