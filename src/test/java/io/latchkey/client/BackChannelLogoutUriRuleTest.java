package io.latchkey.client;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a client may take logout tokens: like redirect URIs, but only https, or http on loopback. */
class BackChannelLogoutUriRuleTest {

    private static final String SECRET = "a-secret-of-enough-length";
    private static final List<String> CODE = List.of("authorization_code", "refresh_token");
    private static final List<String> REDIRECT = List.of("https://app.test/callback");
    private static final List<String> SCOPES = List.of("openid", "email");

    @Test
    void httpsAndLoopbackHttpAreAccepted() {
        for (String uri : List.of("https://app.test/backchannel-logout", "https://app.test:8443/logout?tenant=a",
                "http://127.0.0.1:8080/logout", "http://[::1]/logout", "http://localhost/logout")) {
            assertThat(client(uri).problems("app")).as(uri).isEmpty();
        }
    }

    @Test
    void everythingElseIsRefusedNamingTheProperty() {
        for (String uri : List.of("http://app.test/logout", "https://app.test/logout#fragment", "/logout",
                "com.example.app:/logout", "https://user@app.test/logout", "https://*.app.test/logout",
                "javascript:alert(1)", "https://app.test/" + "x".repeat(500))) {
            assertThat(client(uri).problems("app")).as(uri).singleElement().asString()
                    .startsWith("latchkey.clients.app.backchannel-logout-uri");
        }
    }

    @Test
    void onlyAClientThatGetsIdTokensInBrowserSessionsMayHaveOne() {
        ClientDefinition machine = new ClientDefinition(SECRET, List.of("client_credentials"), null, null,
                List.of("api.read"), null, null, null, null, null, null, null, null, "https://app.test/logout", null);
        assertThat(machine.problems("machine")).singleElement().asString()
                .contains("latchkey.clients.machine.backchannel-logout-uri")
                .contains("authorization_code").contains("openid");
    }

    @Test
    void theSettingsDefaultToNoUriAndSessionRequired() {
        ClientDefinition plain = new ClientDefinition(SECRET, CODE, REDIRECT, null, SCOPES, null, null, null);
        assertThat(plain.backchannelLogoutUri()).isNull();
        assertThat(plain.backchannelLogoutSessionRequired()).isTrue();
        assertThat(client("  ").backchannelLogoutUri()).isNull();
        assertThat(client(" https://app.test/logout ").backchannelLogoutUri()).isEqualTo("https://app.test/logout");
    }

    private static ClientDefinition client(String backchannelLogoutUri) {
        return new ClientDefinition(SECRET, CODE, REDIRECT, null, SCOPES, null, null, null, null, null, null, null, null,
                backchannelLogoutUri, null);
    }
}
