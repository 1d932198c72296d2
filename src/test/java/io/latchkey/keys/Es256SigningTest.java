package io.latchkey.keys;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** ES256 keys, on H2 in PostgreSQL mode as evaluation mode runs: generated, published and used to sign. */
class Es256SigningTest {

    @Test
    void es256KeysSignTokensThatVerifyAgainstThePublishedKey() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:keys-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        SigningKeys keys = new SigningKeys(new SigningKeyRepository(JdbcClient.create(dataSource)),
                MasterKey.fromBase64(Base64.getEncoder().encodeToString(key)),
                new KeysProperties("es256", Duration.ofDays(30), Duration.ofHours(1), Duration.ofDays(2)),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), Clock.systemUTC());
        keys.afterSingletonsInstantiated();

        JWK published = keys.published().getKeys().get(0);
        assertThat(published).isInstanceOf(ECKey.class);
        assertThat(published.isPrivate()).isFalse();
        assertThat(published.getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(keys.active().algorithm()).isEqualTo(SignatureAlgorithm.ES256);

        Jwt jwt = new KeysConfiguration().jwtEncoder(keys).encode(JwtEncoderParameters.from(JwtClaimsSet.builder()
                .issuer("https://issuer.test").subject("someone").issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60)).build()));
        assertThat(jwt.getHeaders()).containsEntry("alg", SignatureAlgorithm.ES256).containsEntry("kid", published.getKeyID());

        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new KeysConfiguration().jwkSource(keys))
                .jwsAlgorithm(SignatureAlgorithm.ES256).build();
        assertThat(decoder.decode(jwt.getTokenValue()).getSubject()).isEqualTo("someone");
    }
}
