package io.latchkey.production;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Production mode refuses to start with each unsafe setting, before it connects to anything or generates anything,
 * with a message that names the setting to fix, and with every problem in one message. Each setting is tried once on
 * a real start; its variants are tried on the rules alone, which is what the start runs.
 */
class ProductionRefusalTest {

    @TempDir
    Path dataDir;

    @Test
    void theEmbeddedDatabaseIsRefused() {
        assertRefused(settings -> settings.remove("latchkey.db.url"), "latchkey.db.url (LATCHKEY_DB_URL) is not set");
        assertThat(problems(settings -> settings.put("latchkey.db.url", "jdbc:h2:mem:latchkey;MODE=PostgreSQL")))
                .singleElement().asString().contains("latchkey.db.url (LATCHKEY_DB_URL) points to an H2 database");
    }

    @Test
    void aGeneratedMasterKeyIsRefused() {
        UnsafeProductionSettingsException refusal = assertRefused(settings -> settings.remove("latchkey.master-key"),
                "latchkey.master-key (LATCHKEY_MASTER_KEY) is not set");
        assertThat(refusal.getMessage()).contains("openssl rand -base64 32");
        assertThat(dataDir.resolve("master.key")).as("no key was generated").doesNotExist();

        assertThat(problems(settings -> settings.put("latchkey.master-key", "too short")))
                .singleElement().asString().contains("LATCHKEY_MASTER_KEY is not valid base64");
    }

    @Test
    void noSmtpServerIsRefused() {
        assertRefused(settings -> settings.remove("spring.mail.host"), "spring.mail.host (SPRING_MAIL_HOST) is not set");
    }

    @Test
    void anHttpIssuerOffTheLoopbackInterfaceIsRefused() {
        assertRefused(settings -> settings.put("latchkey.issuer", "http://id.latchkey.test"),
                "latchkey.issuer (LATCHKEY_ISSUER) is 'http://id.latchkey.test': production needs an https issuer");
        assertThat(problems(settings -> settings.put("latchkey.issuer", "http://10.0.0.7:9000")))
                .singleElement().asString().contains("latchkey.issuer (LATCHKEY_ISSUER) is 'http://10.0.0.7:9000'");
        assertThat(problems(settings -> settings.put("latchkey.issuer", "ftp://id.latchkey.test")))
                .singleElement().asString().contains("latchkey.issuer (LATCHKEY_ISSUER) must be an https URL");
        for (String loopback : new String[] { "http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000" }) {
            assertThat(problems(settings -> settings.put("latchkey.issuer", loopback))).as(loopback).isEmpty();
        }
    }

    @Test
    void aWeakClientSecretIsRefusedWithoutBeingQuoted() {
        String prefix = "latchkey.clients." + ProductionSettings.CLIENT + ".secret";
        Map<String, String> weak = Map.of(
                "Q7x-short-but-random-2b9", "is shorter than 32 characters",
                "abcabcabcabcabcabcabcabcabcabcabcabc", "has too little variety",
                "Kx7#Qp2!correcthorse-password-9mZr", "contains a common password",
                "xx-billing-service-xx-7f3a9c2e4b1d8", "is or contains the client id");
        UnsafeProductionSettingsException refusal = assertRefused(
                settings -> settings.put(prefix, "Q7x-short-but-random-2b9"), prefix + " is weak: it is shorter than 32");
        assertThat(refusal.getMessage()).doesNotContain("Q7x-short-but-random-2b9");
        weak.forEach((secret, reason) -> assertThat(problems(settings -> settings.put(prefix, secret)))
                .singleElement().asString().contains(prefix + " is weak: it " + reason)
                .doesNotContain(secret).doesNotContain("horse-password"));
    }

    @Test
    void aSessionCookieSettingThatUndoesTheHostPrefixIsRefused() {
        assertRefused(settings -> settings.put("server.servlet.session.cookie.domain", "latchkey.test"),
                "server.servlet.session.cookie.domain (SERVER_SERVLET_SESSION_COOKIE_DOMAIN) must not be set");
        assertThat(problems(settings -> settings.put("server.servlet.session.cookie.secure", "false")))
                .singleElement().asString()
                .contains("server.servlet.session.cookie.secure (SERVER_SERVLET_SESSION_COOKIE_SECURE) must not be false");
        assertThat(problems(settings -> settings.put("server.servlet.session.cookie.path", "/app")))
                .singleElement().asString()
                .contains("server.servlet.session.cookie.path (SERVER_SERVLET_SESSION_COOKIE_PATH) must be /");
    }

    @Test
    void aConfiguredSessionCookieNameGetsTheHostPrefix() {
        MockEnvironment configured = new MockEnvironment().withProperty("server.servlet.session.cookie.name", "SESSION");
        ProductionDefaults.addTo(configured);
        assertThat(configured.getProperty("server.servlet.session.cookie.name")).isEqualTo("__Host-SESSION");
        assertThat(configured.getProperty("server.servlet.session.cookie.secure")).isEqualTo("true");

        MockEnvironment unset = new MockEnvironment();
        ProductionDefaults.addTo(unset);
        assertThat(unset.getProperty("server.servlet.session.cookie.name")).isEqualTo("__Host-latchkey-session");
    }

    @Test
    void everyProblemIsReportedAtOnceAndExplainedWithoutAStackTrace() {
        Map<String, Object> settings = Map.of("latchkey.mode", "PRODUCTION", "latchkey.data-dir", dataDir.toString(),
                "latchkey.issuer", "http://id.latchkey.test", "latchkey.clients.reports.secret", "reports",
                "latchkey.clients.reports.grant-types", "client_credentials", "server.port", 0);

        UnsafeProductionSettingsException refusal = refusal(settings);

        assertThat(refusal.problems()).hasSize(5);
        assertThat(refusal.getMessage()).contains("latchkey.db.url", "latchkey.master-key", "spring.mail.host",
                "latchkey.issuer", "latchkey.clients.reports.secret is weak");
        FailureAnalysis analysis = new UnsafeProductionSettingsAnalyzer().analyze(refusal);
        assertThat(analysis.getDescription()).isEqualTo(refusal.getMessage());
        assertThat(analysis.getAction()).contains("Production checklist").contains("LATCHKEY_MODE");
        assertThat(dataDir).as("nothing was created before the refusal").isEmptyDirectory();
    }

    @Test
    void anUnknownModeIsRefused() {
        Map<String, Object> settings = ProductionSettings.safe();
        settings.put("latchkey.mode", "prod");
        Throwable failure = catchThrowableOfType(IllegalStateException.class, () -> ProductionSettings.start(settings));
        assertThat(failure).hasMessageContaining("latchkey.mode (LATCHKEY_MODE) must be 'evaluation' or 'production'");
    }

    @Test
    void theSafeSettingsPassEveryRule() {
        assertThat(problems(settings -> { })).isEmpty();
    }

    /** What the rules say of the safe settings spoiled so, without starting anything. */
    private static java.util.List<String> problems(Consumer<Map<String, Object>> spoil) {
        Map<String, Object> settings = ProductionSettings.safe();
        spoil.accept(settings);
        MockEnvironment environment = new MockEnvironment();
        settings.forEach((name, value) -> environment.setProperty(name, value.toString()));
        return ProductionStartupCheck.problems(environment);
    }

    private UnsafeProductionSettingsException assertRefused(Consumer<Map<String, Object>> spoil, String expected) {
        Map<String, Object> settings = ProductionSettings.safe();
        settings.put("latchkey.data-dir", dataDir.toString());
        spoil.accept(settings);
        UnsafeProductionSettingsException refusal = refusal(settings);
        assertThat(refusal.problems()).as("only the spoiled setting is reported").hasSize(1);
        assertThat(refusal.getMessage()).contains(expected);
        return refusal;
    }

    private static UnsafeProductionSettingsException refusal(Map<String, Object> settings) {
        Throwable failure = catchThrowableOfType(Throwable.class,
                () -> ProductionSettings.start(new java.util.HashMap<>(settings)).close());
        assertThat(failure).as("the start is refused").isNotNull();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnsafeProductionSettingsException refusal) {
                return refusal;
            }
        }
        throw new AssertionError("not refused for unsafe settings", failure);
    }
}
