package io.latchkey.ratelimit;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.SecondInstance;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two whole Latchkey instances on one PostgreSQL database, as behind a load balancer: failed sign-ins on either
 * count against the same account, and the lock holds on both.
 */
@IntegrationTest
class TwoInstancesTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "two instances passphrase";

    @Test
    void failuresOnBothInstancesLockTheAccountEverywhere() {
        String email = TestUsers.uniqueEmail("two-instances");
        createUser(email, PASSWORD);
        try (ConfigurableApplicationContext second = SecondInstance.start(Map.of())) {
            String secondBase = SecondInstance.baseUrl(second);
            Browser first = new Browser();
            Browser other = new Browser(secondBase);
            for (int i = 0; i < TestServerInitializer.RATE_LIMIT_ACCOUNT_FAILURES; i++) {
                Browser instance = i % 2 == 0 ? first : other;
                assertThat(instance.signIn(email, "wrong " + i).location()).endsWith("/login?error");
            }
            assertThat(new Browser().signIn(email, PASSWORD).location()).isEqualTo(ISSUER + "/login?error");
            assertThat(new Browser(secondBase).signIn(email, PASSWORD).location()).isEqualTo(secondBase + "/login?error");

            String unaffected = TestUsers.uniqueEmail("two-instances-other");
            createUser(unaffected, PASSWORD);
            assertThat(new Browser(secondBase).signIn(unaffected, PASSWORD).location()).isEqualTo(secondBase + "/");
        }
    }
}
