package io.latchkey.client;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Validation of clients declared under {@code latchkey.clients.*}: every problem named by its property. */
class ClientDefinitionTest {

    private static final String SECRET = "a-secret-of-enough-length";
    private static final List<String> CODE = List.of("authorization_code", "refresh_token");
    private static final List<String> REDIRECT = List.of("https://app.test/callback");
    private static final List<String> SCOPES = List.of("openid", "profile", "api.read");

    @Test
    void validConfidentialClientHasNoProblems() {
        ClientDefinition definition = new ClientDefinition(SECRET,
                List.of("authorization_code", "refresh_token", "client_credentials"), REDIRECT,
                List.of("https://app.test/logged-out"), SCOPES, false, Duration.ofMinutes(5), Duration.ofDays(30));

        assertThat(definition.problems("web-app")).isEmpty();
        assertThat(definition.isPublic()).isFalse();
    }

    @Test
    void validPublicClientHasNoProblems() {
        ClientDefinition definition = new ClientDefinition(null, CODE,
                List.of("http://127.0.0.1:8080/callback", "com.example.app:/oauth2redirect"), null, SCOPES, null, null,
                null);

        assertThat(definition.problems("spa_1.0~beta")).isEmpty();
        assertThat(definition.isPublic()).isTrue();
        assertThat(new ClientDefinition("", CODE, REDIRECT, null, SCOPES, null, null, null).isPublic()).isTrue();
    }

    @Test
    void defaultsAreApplied() {
        ClientDefinition definition = new ClientDefinition(SECRET, List.of("client_credentials"), null, null, null, null,
                null, null);

        assertThat(definition.requireConsent()).isTrue();
        assertThat(definition.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(definition.refreshTokenTtl()).isEqualTo(Duration.ofDays(14));
        assertThat(definition.redirectUris()).isEmpty();
        assertThat(definition.postLogoutRedirectUris()).isEmpty();
        assertThat(definition.scopes()).isEmpty();
        assertThat(definition.problems("machine")).isEmpty();
    }

    @Test
    void aSecretLongerThanBcryptReadsIsAProblem() {
        ClientDefinition tooLong = new ClientDefinition("\u00e9".repeat(37), List.of("client_credentials"), null, null,
                null, null, null, null);
        ClientDefinition longest = new ClientDefinition("s".repeat(72), List.of("client_credentials"), null, null,
                null, null, null, null);

        assertThat(tooLong.problems("machine"))
                .containsExactly("latchkey.clients.machine.secret must be at most 72 bytes in UTF-8 (bcrypt ignores the rest)");
        assertThat(longest.problems("machine")).isEmpty();
    }

    @Test
    void listsAreTrimmedAndDeduplicated() {
        ClientDefinition definition = new ClientDefinition(SECRET, List.of(" client_credentials ", "client_credentials"),
                null, null, List.of(" api.read", "", "api.read "), null, null, null);

        assertThat(definition.grantTypes()).containsExactly("client_credentials");
        assertThat(definition.scopes()).containsExactly("api.read");
    }

    @Test
    void unknownGrantTypeIsReported() {
        List<String> problems = confidential(List.of("client_credentials", "implicit"), null).problems("app");

        assertThat(problems).singleElement().asString()
                .contains("latchkey.clients.app.grant-types")
                .contains("'implicit'");
    }

    @Test
    void missingGrantTypesAreReported() {
        assertThat(new ClientDefinition(SECRET, null, null, null, null, null, null, null).problems("app"))
                .singleElement().asString().contains("latchkey.clients.app.grant-types is required");
    }

    @Test
    void publicClientCannotUseClientCredentials() {
        List<String> problems = new ClientDefinition(null, List.of("client_credentials"), null, null, SCOPES, null, null,
                null).problems("app");

        assertThat(problems).singleElement().asString()
                .contains("latchkey.clients.app.grant-types")
                .contains("client_credentials needs a secret");
    }

    @Test
    void authorizationCodeNeedsRedirectUris() {
        List<String> problems = new ClientDefinition(SECRET, CODE, List.of(" "), null, SCOPES, null, null, null)
                .problems("app");

        assertThat(problems).singleElement().asString()
                .contains("latchkey.clients.app.redirect-uris is required");
    }

    @Test
    void redirectUriWithFragmentIsReported() {
        assertThat(confidential(CODE, List.of("https://app.test/callback#section")).problems("app"))
                .singleElement().asString()
                .contains("latchkey.clients.app.redirect-uris")
                .contains("https://app.test/callback#section")
                .contains("must not have a fragment");
    }

    @Test
    void everyRedirectUriThatBreaksTheRuleIsReported() {
        List<String> problems = confidential(CODE, List.of("http://app.test/callback", "javascript:alert(1)",
                "https://*.app.test/callback", "https://app.test/callback")).problems("app");

        assertThat(problems).hasSize(3).allSatisfy(problem -> assertThat(problem)
                .startsWith("latchkey.clients.app.redirect-uris: "));
        assertThat(problems.get(0)).contains("'http://app.test/callback' may use http only on 127.0.0.1");
        assertThat(problems.get(1)).contains("'javascript:alert(1)' uses the scheme 'javascript:'");
        assertThat(problems.get(2)).contains("'https://*.app.test/callback' must not contain a wildcard");
    }

    @Test
    void pkceIsRequiredByDefaultAndOnlyConfidentialClientsMayOptOut() {
        assertThat(confidential(CODE, REDIRECT).requirePkce()).isTrue();
        ClientDefinition optedOut = new ClientDefinition(SECRET, CODE, REDIRECT, null, SCOPES, null, null, null, null,
                null, null, null, false);
        assertThat(optedOut.requirePkce()).isFalse();
        assertThat(optedOut.problems("app")).isEmpty();

        ClientDefinition publicOptedOut = new ClientDefinition(null, CODE, REDIRECT, null, SCOPES, null, null, null, null,
                null, null, null, false);
        assertThat(publicOptedOut.problems("spa")).singleElement().asString()
                .contains("latchkey.clients.spa.require-pkce cannot be false for a public client");
    }

    @Test
    void relativeRedirectUriIsReported() {
        assertThat(confidential(CODE, List.of("/callback")).problems("app"))
                .singleElement().asString()
                .contains("latchkey.clients.app.redirect-uris")
                .contains("'/callback' must be an absolute URI");
    }

    @Test
    void redirectUriThatIsNotAUriIsReported() {
        assertThat(confidential(CODE, List.of("https://app.test/call back")).problems("app"))
                .singleElement().asString()
                .contains("latchkey.clients.app.redirect-uris")
                .contains("is not a valid URI");
    }

    @Test
    void webRedirectUriWithoutHostIsReported() {
        for (String uri : List.of("http:/callback", "https:/callback", "https:///callback", "HTTPS:/callback")) {
            assertThat(confidential(CODE, List.of(uri)).problems("app")).as(uri)
                    .singleElement().asString()
                    .contains("latchkey.clients.app.redirect-uris")
                    .contains(uri);
        }
    }

    @Test
    void postLogoutRedirectUrisAreCheckedToo() {
        ClientDefinition definition = new ClientDefinition(SECRET, CODE, REDIRECT, List.of("logged-out"), SCOPES, null,
                null, null);

        assertThat(definition.problems("app")).singleElement().asString()
                .contains("latchkey.clients.app.post-logout-redirect-uris")
                .contains("'logged-out'");
    }

    @Test
    void shortSecretIsReported() {
        ClientDefinition definition = new ClientDefinition("fifteen-chars-x", List.of("client_credentials"), null, null,
                SCOPES, null, null, null);
        assertThat("fifteen-chars-x").hasSize(15);

        assertThat(definition.problems("app")).singleElement().asString()
                .contains("latchkey.clients.app.secret")
                .contains("at least 16");
        assertThat(new ClientDefinition("sixteen-chars-xy", List.of("client_credentials"), null, null, SCOPES, null,
                null, null).problems("app")).isEmpty();
    }

    @Test
    void accessTokenTtlMustBePositiveAndAtMostOneDay() {
        for (Duration wrong : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(1).plusSeconds(1),
                Duration.ofDays(7))) {
            ClientDefinition definition = new ClientDefinition(SECRET, List.of("client_credentials"), null, null, SCOPES,
                    null, wrong, null);
            assertThat(definition.problems("app")).as(wrong.toString()).singleElement().asString()
                    .contains("latchkey.clients.app.access-token-ttl");
        }
        assertThat(new ClientDefinition(SECRET, List.of("client_credentials"), null, null, SCOPES, null,
                Duration.ofDays(1), null).problems("app")).isEmpty();
    }

    @Test
    void refreshTokenTtlMustBePositiveAndAtMost365Days() {
        for (Duration wrong : List.of(Duration.ZERO, Duration.ofDays(366), Duration.ofDays(365).plusSeconds(1))) {
            ClientDefinition definition = new ClientDefinition(SECRET, CODE, REDIRECT, null, SCOPES, null, null, wrong);
            assertThat(definition.problems("app")).as(wrong.toString()).singleElement().asString()
                    .contains("latchkey.clients.app.refresh-token-ttl");
        }
        assertThat(new ClientDefinition(SECRET, CODE, REDIRECT, null, SCOPES, null, null, Duration.ofDays(365))
                .problems("app")).isEmpty();
    }

    @Test
    void invalidScopeTokensAreReported() {
        for (String scope : List.of("api read", "api\"read", "api\\read", "\u00fcberscope")) {
            ClientDefinition definition = new ClientDefinition(SECRET, List.of("client_credentials"), null, null,
                    List.of("openid", scope), null, null, null);
            assertThat(definition.problems("app")).as(scope).singleElement().asString()
                    .contains("latchkey.clients.app.scopes")
                    .contains("'" + scope + "' is not a valid scope token");
        }
    }

    @Test
    void invalidClientIdsAreReported() {
        for (String clientId : List.of("my app", "app/1", "app?x", "\u00e4pp", "x".repeat(101))) {
            assertThat(confidential(List.of("client_credentials"), null).problems(clientId)).as(clientId)
                    .singleElement().asString()
                    .contains("client-id '" + clientId + "'");
        }
        assertThat(confidential(List.of("client_credentials"), null).problems("x".repeat(100))).isEmpty();
    }

    @Test
    void aResourceServerNeedsASecret() {
        ClientDefinition publicResourceServer = new ClientDefinition(null, CODE, REDIRECT, null, SCOPES, null, null, null,
                null, null, null, true, null);
        assertThat(publicResourceServer.problems("api")).singleElement().asString()
                .contains("latchkey.clients.api.resource-server");
        ClientDefinition resourceServer = new ClientDefinition(SECRET, List.of("client_credentials"), null, null, SCOPES,
                null, null, null, null, null, null, true, null);
        assertThat(resourceServer.problems("api")).isEmpty();
        assertThat(resourceServer.resourceServer()).isTrue();
        assertThat(confidential(List.of("client_credentials"), null).resourceServer()).isFalse();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ClientDefinition definition = new ClientDefinition("short", List.of("implicit", "authorization_code"), null,
                null, List.of("bad scope"), null, Duration.ZERO, Duration.ofDays(400));

        assertThat(definition.problems("app")).hasSize(6);
    }

    private static ClientDefinition confidential(List<String> grantTypes, List<String> redirectUris) {
        return new ClientDefinition(SECRET, grantTypes, redirectUris, null, SCOPES, null, null, null);
    }

    @Test
    void requireMfaIsOffByDefaultAndCannotGoWithThePasswordGrant() {
        assertThat(new ClientDefinition(SECRET, CODE, REDIRECT, null, SCOPES, null, null, null).requireMfa()).isFalse();
        ClientDefinition codeFlow = new ClientDefinition(SECRET, CODE, REDIRECT, null, SCOPES, null, null, null, null,
                null, null, null, null, null, null, true);
        assertThat(codeFlow.requireMfa()).isTrue();
        assertThat(codeFlow.problems("payroll")).isEmpty();
        ClientDefinition passwordGrant = new ClientDefinition(SECRET, List.of("password", "refresh_token"), null, null,
                SCOPES, null, null, null, null, null, null, null, null, null, null, true);
        assertThat(passwordGrant.problems("payroll")).containsExactly("latchkey.clients.payroll.require-mfa cannot go "
                + "with grant-types: password (a password alone is never a second factor; use authorization_code)");
    }

    @Test
    void aKeyBasedClientIsConfidentialWithoutASecretAndNeedsKeys() throws Exception {
        String publicKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).generate().toPublicJWK().toJSONString();
        ClientDefinition keyed = withExtensions(null, new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, null,
                "{\"keys\":[" + publicKey + "]}", null, null, null, null, null, null));
        assertThat(keyed.problems("keyed")).isEmpty();
        assertThat(keyed.isPublic()).isFalse();
        assertThat(keyed.hasSecret()).isFalse();
        assertThat(keyed.refreshTokenTtl()).as("a confidential client's default").isEqualTo(Duration.ofDays(14));

        assertThat(withExtensions(null, new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, null, null, null, null,
                null, null, null, null)).problems("keyed")).anyMatch(problem -> problem.contains("needs jwks or jwks-uri"));
        assertThat(withExtensions(SECRET, new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT,
                "https://keys.test/jwks", null, null, null, null, null, null, null)).problems("keyed"))
                .anyMatch(problem -> problem.contains("goes without a secret"));
        assertThat(withExtensions(SECRET, new ClientExtensions("client_secret_jwt", null, null, null, null, null, null,
                null, null)).problems("keyed")).anyMatch(problem -> problem.contains("token-endpoint-auth-method must be"));
    }

    @Test
    void keysAndAddressesThatCannotServeAreProblems() throws Exception {
        String privateKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).generate().toJSONString();
        assertThat(extensionProblems(new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, null,
                "{\"keys\":[" + privateKey + "]}", null, null, null, null, null, null))).anyMatch(p -> p.contains("public keys only"));
        assertThat(extensionProblems(new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, null, "not json", null, null,
                null, null, null, null))).anyMatch(p -> p.contains("JWK Set"));
        assertThat(extensionProblems(new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, "http://keys.test/jwks", null,
                null, null, null, null, null, null))).anyMatch(p -> p.contains("jwks-uri must be an https URL"));
        assertThat(extensionProblems(new ClientExtensions(ClientExtensions.PRIVATE_KEY_JWT, "http://127.0.0.1:1/jwks",
                null, null, null, null, null, null, null))).isEmpty();
        assertThat(extensionProblems(new ClientExtensions(null, null, null, null, null, "secret", null, null, null)))
                .anyMatch(p -> p.contains("subject-type must be public or pairwise"));
        assertThat(extensionProblems(new ClientExtensions(null, null, null, null, null, null,
                "https://sector.test/uris.json", null, null))).anyMatch(p -> p.contains("only for subject-type: pairwise"));
        assertThat(extensionProblems(new ClientExtensions(null, null, null, null, null, null, null, "relative/path",
                null))).anyMatch(p -> p.contains("resource-indicator must be an absolute URI"));
        assertThat(extensionProblems(new ClientExtensions(null, null, null, null, null, null, null, null,
                List.of("https://stock.test/api")))).anyMatch(p -> p.contains("token-exchange-targets needs grant-types"));
    }

    private static List<String> extensionProblems(ClientExtensions extensions) {
        return withExtensions(null, extensions).problems("extended").stream()
                .filter(problem -> !problem.contains("needs a secret or a key")).toList();
    }

    private static ClientDefinition withExtensions(String secret, ClientExtensions extensions) {
        return new ClientDefinition(secret, List.of("client_credentials"), null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, extensions);
    }
}
