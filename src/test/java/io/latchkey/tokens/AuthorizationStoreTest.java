package io.latchkey.tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import io.latchkey.keys.TokenHasher;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization store against PostgreSQL: lookups by each token type, every type of {@link StoredTokenType}
 * round-tripped, an unknown one refused, expiry, revocation, purge.
 */
@IntegrationTest
class AuthorizationStoreTest {

    private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);
    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType("id_token");

    @Autowired
    AuthorizationStore service;

    @Autowired
    RegisteredClientRepository clients;

    @Autowired
    AuthorizationPurge purge;

    @Autowired
    TokenHasher hasher;

    @Autowired
    JdbcTemplate jdbc;

    private RegisteredClient client;
    private final Browser browser = new Browser();

    @BeforeEach
    void loadClient() {
        client = clients.findByClientId(CONFIDENTIAL_CLIENT);
    }

    @Test
    void everyTokenIsFoundByItsOwnValueAndTypeOnly() {
        Instant now = Instant.now();
        String code = "code-" + UUID.randomUUID();
        String access = "access-" + UUID.randomUUID();
        String refresh = "refresh-" + UUID.randomUUID();
        String idToken = "id-" + UUID.randomUUID();
        String state = "state-" + UUID.randomUUID();
        OAuth2Authorization authorization = base(now)
                .token(new OAuth2AuthorizationCode(code, now, now.plusSeconds(300)))
                .token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, access, now, now.plusSeconds(900),
                        Set.of("openid", "api.read")), metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                        Map.of("sub", "user-1", "iat", now, "exp", now.plusSeconds(900), "scope", List.of("openid"))))
                .refreshToken(new OAuth2RefreshToken(refresh, now, now.plus(Duration.ofDays(14))))
                .token(new OidcIdToken(idToken, now, now.plusSeconds(1800), Map.of("sub", "user-1", "sid", "s1")))
                .attribute(OAuth2ParameterNames.STATE, state)
                .build();
        service.save(authorization);

        Map<String, OAuth2TokenType> byValue = Map.of(code, CODE, access, OAuth2TokenType.ACCESS_TOKEN, refresh,
                OAuth2TokenType.REFRESH_TOKEN, idToken, ID_TOKEN, state, STATE);
        byValue.forEach((value, type) -> {
            OAuth2Authorization found = service.findByToken(value, type);
            assertThat(found).as(type.getValue()).isNotNull();
            assertThat(found.getId()).isEqualTo(authorization.getId());
            assertThat(service.findByToken(value, null)).as("untyped " + type.getValue()).isNotNull();
            byValue.values().stream().filter(other -> !other.equals(type)).forEach(other ->
                    assertThat(service.findByToken(value, other)).as(value + " as " + other.getValue()).isNull());
        });

        OAuth2Authorization byAccess = service.findByToken(access, OAuth2TokenType.ACCESS_TOKEN);
        assertThat(byAccess.getAccessToken().getToken().getTokenValue()).isEqualTo(access);
        assertThat(byAccess.getAccessToken().getToken().getScopes()).containsExactlyInAnyOrder("openid", "api.read");
        assertThat(byAccess.getAccessToken().getClaims()).containsEntry("sub", "user-1")
                .containsEntry("iat", Instant.ofEpochSecond(now.getEpochSecond()));
        assertThat(byAccess.getRefreshToken().getToken().getTokenValue()).isNotEqualTo(refresh);
        assertThat(byAccess.getToken(OidcIdToken.class).getToken().getClaims()).containsEntry("sid", "s1");
        assertThat(byAccess.getAuthorizedScopes()).containsExactlyInAnyOrder("openid", "api.read");
        assertThat(byAccess.<String>getAttribute("custom")).isEqualTo("value");

        assertThat(service.findByToken("nothing-" + UUID.randomUUID(), null)).isNull();
        assertThat(service.findByToken(access + "x", OAuth2TokenType.ACCESS_TOKEN)).isNull();
        assertThat(service.findById(authorization.getId()).getRefreshToken().getToken().getExpiresAt())
                .isCloseTo(authorization.getRefreshToken().getToken().getExpiresAt(),
                        org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    void everyTypeInTheTableOfStoredTokensRoundTrips() {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<StoredTokenType, String> values = new java.util.EnumMap<>(StoredTokenType.class);
        OAuth2Authorization.Builder builder = base(now);
        for (StoredTokenType type : StoredTokenType.values()) {
            String value = type.column() + "-" + UUID.randomUUID();
            values.put(type, value);
            holding(builder, type, value, now);
        }
        OAuth2Authorization authorization = builder.build();
        service.save(authorization);

        values.forEach((type, value) -> {
            OAuth2Authorization found = service.findByToken(value, new OAuth2TokenType(type.column()));
            assertThat(found).as(type.name()).isNotNull();
            assertThat(found.getId()).isEqualTo(authorization.getId());
            if (type == StoredTokenType.STATE) {
                assertThat(found.<String>getAttribute(OAuth2ParameterNames.STATE)).isEqualTo(value);
                return;
            }
            OAuth2Authorization.Token<?> stored = authorization.getToken(value);
            OAuth2Authorization.Token<?> readBack = found.getToken(value);
            assertThat(readBack).as(type.name()).isNotNull();
            assertThat(readBack.getToken().getClass()).isEqualTo(stored.getToken().getClass());
            assertThat(readBack.getToken().getIssuedAt()).isEqualTo(stored.getToken().getIssuedAt());
            assertThat(readBack.getToken().getExpiresAt()).isEqualTo(stored.getToken().getExpiresAt());
            assertThat(readBack.isInvalidated()).isFalse();
        });
    }

    @Test
    void aTokenTypeTheTableDoesNotKnowIsRefusedRatherThanDropped() {
        Instant now = Instant.now();
        OAuth2Authorization withUnknown = base(now).token(bearer("access-" + UUID.randomUUID(), now,
                now.plusSeconds(600))).token(new UnknownToken("unknown-" + UUID.randomUUID(), now,
                now.plusSeconds(600))).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.save(withUnknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(StoredTokenType.class.getName());
        assertThat(exists(withUnknown.getId())).isFalse();
    }

    /** A token type no grant of Latchkey issues, so that the store cannot know it. */
    private static final class UnknownToken extends org.springframework.security.oauth2.core.AbstractOAuth2Token {

        UnknownToken(String value, Instant issuedAt, Instant expiresAt) {
            super(value, issuedAt, expiresAt);
        }
    }

    @Test
    void expiredAndRevokedTokensAreInactiveInIntrospection() {
        Instant now = Instant.now();
        String live = "live-" + UUID.randomUUID();
        String expired = "expired-" + UUID.randomUUID();
        String revoked = "revoked-" + UUID.randomUUID();
        service.save(base(now).token(bearer(live, now, now.plusSeconds(600))).build());
        service.save(base(now).token(bearer(expired, now.minusSeconds(1200), now.minusSeconds(600))).build());
        OAuth2Authorization toRevoke = base(now).token(bearer(revoked, now, now.plusSeconds(600))).build();
        service.save(toRevoke);
        OAuth2Authorization loaded = service.findByToken(revoked, OAuth2TokenType.ACCESS_TOKEN);
        service.save(OAuth2Authorization.from(loaded).invalidate(loaded.getAccessToken().getToken()).build());

        assertThat(introspect(live)).isTrue();
        assertThat(introspect(expired)).isFalse();
        assertThat(introspect(revoked)).isFalse();
        assertThat(service.findByToken(expired, null).getAccessToken().isExpired()).isTrue();
        assertThat(service.findByToken(revoked, null).getAccessToken().isInvalidated()).isTrue();
    }

    @Test
    void staleCopyOfAnAuthorizationCannotOverwriteANewerOne() {
        Instant now = Instant.now();
        String access = "access-" + UUID.randomUUID();
        service.save(base(now).token(bearer(access, now, now.plusSeconds(600))).build());
        OAuth2Authorization first = service.findByToken(access, null);
        OAuth2Authorization second = service.findByToken(access, null);

        service.save(OAuth2Authorization.from(first).invalidate(first.getAccessToken().getToken()).build());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.save(OAuth2Authorization.from(second)
                        .attribute("custom", "changed").build()))
                .isInstanceOf(org.springframework.security.oauth2.core.OAuth2AuthenticationException.class)
                .hasMessageContaining("same time");
        assertThat(service.findByToken(access, null).getAccessToken().isInvalidated()).isTrue();
    }

    @Test
    void purgeDeletesExactlyWhatExpiredLongerAgoThanTheRetention() {
        Instant now = Instant.now();
        String longExpired = saveWithAccessToken(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(2)));
        String recentlyExpired = saveWithAccessToken(now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(1)));
        String valid = saveWithAccessToken(now, now.plus(Duration.ofHours(1)));
        String revokedLongAgo = saveWithAccessToken(now, now.plus(Duration.ofHours(1)));
        jdbc.update("UPDATE authorizations SET expires_at = ? WHERE id = ?",
                java.sql.Timestamp.from(now.minus(Duration.ofDays(2))), revokedLongAgo);

        purge.purge();

        assertThat(exists(longExpired)).isFalse();
        assertThat(exists(revokedLongAgo)).isFalse();
        assertThat(exists(recentlyExpired)).isTrue();
        assertThat(exists(valid)).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM authorization_tokens WHERE authorization_id IN (?, ?)",
                Integer.class, longExpired, revokedLongAgo)).isZero();
    }

    @Test
    void tokenValuesAreStoredOnlyAsKeyedHashes() {
        Instant now = Instant.now();
        String access = "visible-" + UUID.randomUUID();
        OAuth2Authorization authorization = base(now).token(bearer(access, now, now.plusSeconds(60))).build();
        service.save(authorization);
        List<String> hashes = jdbc.queryForList("SELECT token_hash FROM authorization_tokens WHERE authorization_id = ?",
                String.class, authorization.getId());
        assertThat(hashes).containsExactly(hasher.hash(access));
        assertThat(hashes.get(0)).hasSize(64).doesNotContain(access);
        assertThat(hasher.hash(access)).isNotEqualTo(org.springframework.util.DigestUtils.md5DigestAsHex(access.getBytes()));
    }

    private String saveWithAccessToken(Instant issuedAt, Instant expiresAt) {
        OAuth2Authorization authorization = base(issuedAt).token(bearer("t-" + UUID.randomUUID(), issuedAt, expiresAt)).build();
        service.save(authorization);
        return authorization.getId();
    }

    private boolean exists(String id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM authorizations WHERE id = ?", Integer.class, id) == 1;
    }

    private boolean introspect(String token) {
        return OAuth.isActive(browser, token);
    }

    private OAuth2Authorization.Builder base(Instant now) {
        return OAuth2Authorization.withRegisteredClient(client)
                .id(UUID.randomUUID().toString())
                .principalName("principal-" + UUID.randomUUID())
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizedScopes(Set.of("openid", "api.read"))
                .attribute("custom", "value");
    }

    /** Puts a token of {@code type} into the authorization being built; a new type must say how here. */
    private static void holding(OAuth2Authorization.Builder builder, StoredTokenType type, String value, Instant now) {
        switch (type) {
            case CODE -> builder.token(new OAuth2AuthorizationCode(value, now, now.plusSeconds(300)));
            case ACCESS_TOKEN -> builder.token(bearer(value, now, now.plusSeconds(900)));
            case REFRESH_TOKEN -> builder.refreshToken(new OAuth2RefreshToken(value, now, now.plus(Duration.ofDays(1))));
            case ID_TOKEN -> builder.token(new OidcIdToken(value, now, now.plusSeconds(1800), Map.of("sub", "user-1")));
            case STATE -> builder.attribute(OAuth2ParameterNames.STATE, value);
            case DEVICE_CODE -> builder.token(new OAuth2DeviceCode(value, now, now.plusSeconds(600)));
            case USER_CODE -> builder.token(new OAuth2UserCode(value, now, now.plusSeconds(600)));
            default -> throw new IllegalStateException("Add " + type + " to this test");
        }
    }

    private static OAuth2AccessToken bearer(String value, Instant issuedAt, Instant expiresAt) {
        return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, issuedAt, expiresAt, Set.of("api.read"));
    }
}
