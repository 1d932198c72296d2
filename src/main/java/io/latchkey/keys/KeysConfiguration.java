package io.latchkey.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

import io.latchkey.jobs.ClusterJobs;
import io.latchkey.runtime.RuntimeMode;

@Configuration(proxyBeanMethods = false)
class KeysConfiguration {

    @Bean
    MasterKey masterKey(MasterKeySettings settings, RuntimeMode mode) {
        return MasterKey.resolve(settings.masterKey(), settings.masterKeyPrevious(), mode);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Everything published in the JWKS; used by the JWKS endpoint and to verify Latchkey's own tokens. */
    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
        return (selector, context) -> {
            var keyIds = selector.getMatcher().getKeyIDs();
            String kid = keyIds == null || keyIds.isEmpty() ? null : keyIds.iterator().next();
            return selector.select(keys.publishedIncluding(kid));
        };
    }

    /** Signs every token with the active key, whatever algorithm the caller asked for. */
    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        return parameters -> {
            SigningKeys.ActiveKey active = keys.active();
            JwsHeader.Builder header = parameters.getJwsHeader() == null ? JwsHeader.with(active.algorithm())
                    : JwsHeader.from(parameters.getJwsHeader()).algorithm(active.algorithm());
            header.keyId(active.kid());
            return active.encoder().encode(JwtEncoderParameters.from(header.build(), parameters.getClaims()));
        };
    }

    /**
     * {@code latchkey_signing_key_age_seconds}: how old the active signing key is (as this instance last loaded
     * the key ring, at most 30 seconds stale while tokens are issued). It should stay below
     * {@code latchkey.keys.rotation} plus the check interval; older means rotation is failing.
     */
    @Bean
    MeterBinder signingKeyMetrics(SigningKeys keys, Clock clock) {
        return registry -> TimeGauge.builder("latchkey.signing_key.age", keys, TimeUnit.SECONDS, signing -> {
            Instant created = signing.activeKeyCreatedAt();
            return created == null ? Double.NaN : Duration.between(created, clock.instant()).toMillis() / 1000.0;
        }).description("Age of the active signing key").register(registry);
    }

    /** Every rotation-check-interval, one instance checks whether the active key is due for rotation. */
    @Bean
    SigningKeyRotationSchedule signingKeyRotationSchedule(SigningKeys keys, KeysProperties properties, ClusterJobs jobs) {
        return new SigningKeyRotationSchedule(keys, properties, jobs);
    }
}
