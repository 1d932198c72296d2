package io.latchkey.client;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;

/**
 * Clients made while running: created with a secret shown once, held to the configuration's rules, and a rotated
 * secret that keeps working only during its overlap, proven at the token endpoint.
 */
@IntegrationTest
class ClientAdministrationTest {

    private static final String ACTOR = UUID.randomUUID().toString();

    @Autowired
    private ClientAdministration clients;

    @Autowired
    private JdbcTemplate jdbc;

    private final Browser http = new Browser();

    @Test
    void aNewConfidentialClientGetsASecretOnceAndUsesItAtTheTokenEndpoint() {
        ClientAdministration.IssuedClient issued = clients.create(null, machine(), ClientAdministration.ADMINISTERED, ACTOR);
        String clientId = issued.client().clientId();
        assertThat(issued.secret()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(issued.client().source()).isEqualTo(ClientAdministration.ADMINISTERED);
        assertThat(clientCredentials(clientId, issued.secret())).isEqualTo(200);
        String stored = jdbc.queryForObject("SELECT client_secret FROM oauth2_registered_client WHERE client_id = ?",
                String.class, clientId);
        assertThat(stored).as("only a bcrypt hash is stored").startsWith("{bcrypt}$2").doesNotContain(issued.secret());
        assertThat(clients.find(clientId).orElseThrow().toString()).doesNotContain(issued.secret()).doesNotContain(stored);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'CLIENT_CREATED' AND subject = ?",
                Integer.class, "client:" + clientId)).isEqualTo(1);
    }

    @Test
    void aRotatedSecretKeepsWorkingDuringTheOverlapOnlyAndTheNewOneAtOnce() {
        ClientAdministration.IssuedClient issued = clients.create(null, machine(), ClientAdministration.ADMINISTERED, ACTOR);
        String clientId = issued.client().clientId();
        String first = issued.secret();

        ClientAdministration.IssuedClient rotated = clients.rotateSecret(clientId, Duration.ofHours(1), ACTOR);
        String second = rotated.secret();
        assertThat(second).isNotEqualTo(first);
        assertThat(rotated.client().previousSecretUntil()).isNotNull();
        assertThat(clientCredentials(clientId, second)).isEqualTo(200);
        assertThat(clientCredentials(clientId, first)).as("the old secret during the overlap").isEqualTo(200);
        assertThat(clientCredentials(clientId, "not-the-secret-" + first)).isEqualTo(401);

        clients.endSecretOverlap(clientId, ACTOR);
        assertThat(clientCredentials(clientId, first)).as("the old secret once the overlap ended").isEqualTo(401);
        assertThat(clientCredentials(clientId, second)).isEqualTo(200);

        String third = clients.rotateSecret(clientId, Duration.ZERO, ACTOR).secret();
        assertThat(clientCredentials(clientId, second)).as("no overlap: the old secret stops at once").isEqualTo(401);
        assertThat(clientCredentials(clientId, third)).isEqualTo(200);
    }

    @Test
    void aRotationReplacesTheSecretKeptFromTheRotationBefore() {
        ClientAdministration.IssuedClient issued = clients.create(null, machine(), ClientAdministration.ADMINISTERED, ACTOR);
        String clientId = issued.client().clientId();
        String second = clients.rotateSecret(clientId, Duration.ofHours(1), ACTOR).secret();
        String third = clients.rotateSecret(clientId, Duration.ofHours(1), ACTOR).secret();
        assertThat(clientCredentials(clientId, issued.secret())).as("two rotations back").isEqualTo(401);
        assertThat(clientCredentials(clientId, second)).isEqualTo(200);
        assertThat(clientCredentials(clientId, third)).isEqualTo(200);
    }

    @Test
    void theConfigurationsRulesApplyAndEveryProblemNamesItsProperty() {
        ClientDraft bad = new ClientDraft("App", false, List.of("authorization_code", "client_credentials"),
                List.of("http://example.com/cb", "https://app.example/cb#x", "javascript:alert(1)", "https://*.example/cb"),
                List.of(), List.of("openid"), null, null, null, null, null, null, null);
        assertThatThrownBy(() -> clients.create("bad-" + UUID.randomUUID(), bad, ClientAdministration.ADMINISTERED, ACTOR))
                .isInstanceOfSatisfying(ClientRuleViolation.class, violation -> assertThat(violation.problems())
                        .extracting(ClientProblem::property)
                        .contains("redirect-uris", "grant-types")
                        .hasSizeGreaterThanOrEqualTo(5));
        assertThatThrownBy(() -> clients.create("bad id'; DROP TABLE users;--", machine(),
                ClientAdministration.ADMINISTERED, ACTOR))
                .isInstanceOfSatisfying(ClientRuleViolation.class, violation -> assertThat(violation.problems())
                        .extracting(ClientProblem::property).containsExactly("client-id"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client WHERE client_id LIKE 'bad%'",
                Integer.class)).as("nothing half-written").isZero();
    }

    @Test
    void aClientDeclaredInConfigurationIsShownButNotChanged() {
        ClientView declared = clients.find(CONFIDENTIAL_CLIENT).orElseThrow();
        assertThat(declared.readOnly()).isTrue();
        assertThatThrownBy(() -> clients.update(CONFIDENTIAL_CLIENT, declared.draft(), ACTOR))
                .isInstanceOf(ClientRuleViolation.class).hasMessageContaining("declared in configuration");
        assertThatThrownBy(() -> clients.rotateSecret(CONFIDENTIAL_CLIENT, Duration.ZERO, ACTOR))
                .isInstanceOf(ClientRuleViolation.class);
        assertThatThrownBy(() -> clients.delete(CONFIDENTIAL_CLIENT, ACTOR)).isInstanceOf(ClientRuleViolation.class);
        assertThatThrownBy(() -> clients.delete("no-such-client-" + UUID.randomUUID(), ACTOR))
                .isInstanceOf(UnknownClientException.class);
    }

    @Test
    void aDisabledClientIsRefusedAndADeletedOneIsGoneWithItsRows() {
        ClientAdministration.IssuedClient issued = clients.create(null, machine(), ClientAdministration.ADMINISTERED, ACTOR);
        String clientId = issued.client().clientId();
        clients.disable(clientId, ACTOR);
        assertThat(clientCredentials(clientId, issued.secret())).isEqualTo(401);
        clients.enable(clientId, ACTOR);
        assertThat(clientCredentials(clientId, issued.secret())).isEqualTo(200);
        clients.delete(clientId, ACTOR);
        assertThat(clients.find(clientId)).isEmpty();
        assertThat(clientCredentials(clientId, issued.secret())).isEqualTo(401);
        assertThat(clients.search(clientId, 0, 10).total()).isZero();
    }

    @Test
    void aClientChangedFromPublicToConfidentialGetsASecretAndBackLosesIt() {
        ClientDraft spa = new ClientDraft("Single page app", false, List.of("authorization_code", "refresh_token"),
                List.of("https://spa.example/callback"), List.of(), List.of("openid"), null, null, null, null, null, null,
                null);
        String clientId = clients.create(null, spa, ClientAdministration.ADMINISTERED, ACTOR).client().clientId();
        ClientDraft confidential = new ClientDraft("Web app", true, List.of("authorization_code", "client_credentials"),
                List.of("https://web.example/callback"), List.of(), List.of("openid", "api.read"), null, null, null, null, null,
                null, null);
        ClientAdministration.IssuedClient updated = clients.update(clientId, confidential, ACTOR);
        assertThat(updated.secret()).isNotNull();
        assertThat(updated.client().confidential()).isTrue();
        assertThat(updated.client().displayName()).isEqualTo("Web app");
        assertThat(clientCredentials(clientId, updated.secret())).isEqualTo(200);
        assertThat(clients.update(clientId, confidential, ACTOR).secret()).as("an unchanged secret is not shown").isNull();
        assertThat(clientCredentials(clientId, updated.secret())).isEqualTo(200);
    }

    private static ClientDraft machine() {
        return new ClientDraft("Machine", true, List.of("client_credentials"), List.of(), List.of(), List.of("api.read"),
                null, null, null, null, null, null, null);
    }

    private int clientCredentials(String clientId, String secret) {
        return OAuth.post(http, "/oauth2/token", clientId, secret,
                OAuth.form("grant_type", "client_credentials", "scope", "api.read")).status();
    }
}
