package io.latchkey.runtime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestServerInitializer;

import static org.assertj.core.api.Assertions.assertThat;

/** What a new user sees after start; with a database, no generated secret is ever shown. */
@IntegrationTest
class StartupSummaryTest {

    @Autowired
    StartupSummary summary;

    @Test
    void summaryNamesTheEndpointsAndFlagsLegacyPasswordGrantClients() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        summary.printTo(new PrintStream(printed, true, StandardCharsets.UTF_8));
        summary.print();
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Issuer:     " + TestServerInitializer.ISSUER)
                .contains(TestServerInitializer.ISSUER + "/.well-known/openid-configuration")
                .contains("Legacy password grant enabled for client: " + TestServerInitializer.FIRST_PARTY_CLIENT)
                .doesNotContain("Admin password").doesNotContain("Demo client");
    }
}
