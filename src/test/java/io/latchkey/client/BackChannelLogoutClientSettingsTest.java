package io.latchkey.client;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.latchkey.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's back-channel logout settings survive the round trip through the stored client settings, at the
 * longest URIs allowed, and go away when the declaration drops them.
 */
@IntegrationTest
class BackChannelLogoutClientSettingsTest {

    @Autowired
    ClientRegistrations registrations;

    @Autowired
    ClientStore store;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theLongestUrisFitAndTheSettingCanBeRemoved() {
        String clientId = "bcl-settings-" + UUID.randomUUID().toString().substring(0, 8);
        String logoutUri = "https://rp.example.com/" + "l".repeat(BackChannelLogoutUriRule.MAX_LENGTH - 23);
        String logoUri = "https://rp.example.com/" + "x".repeat(485);
        ClientDefinition declared = new ClientDefinition("a-secret-of-enough-length", List.of("authorization_code"),
                List.of("https://rp.example.com/callback"), null, List.of("openid"), false, null, null, null,
                "D".repeat(100), logoUri, null, null, logoutUri, false);
        assertThat(logoutUri).hasSize(BackChannelLogoutUriRule.MAX_LENGTH);
        assertThat(declared.problems(clientId)).isEmpty();

        registrations.upsert(clientId, declared);
        assertThat(ClientPolicies.backchannelLogoutUri(store.find(clientId))).isEqualTo(logoutUri);
        assertThat(ClientPolicies.backchannelLogoutSessionRequired(store.find(clientId))).isFalse();

        registrations.upsert(clientId, new ClientDefinition("a-secret-of-enough-length", List.of("authorization_code"),
                List.of("https://rp.example.com/callback"), null, List.of("openid"), false, null, null));
        assertThat(ClientPolicies.backchannelLogoutUri(store.find(clientId))).isNull();
        assertThat(ClientPolicies.backchannelLogoutSessionRequired(store.find(clientId))).isTrue();
        jdbc.update("DELETE FROM oauth2_registered_client WHERE client_id = ?", clientId);
    }
}
