package io.latchkey.crypto;

import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.admission.Admission;

/**
 * One password encoder for user passwords and client secrets: bcrypt at cost 12 behind a delegating
 * encoder, so every stored hash names its algorithm and weaker hashes are upgraded at the next login;
 * passwords over bcrypt's 72 bytes never match ({@link BcryptLengthLimit}); and at most
 * {@code latchkey.passwords.max-concurrent-hashes} hashes at once (default: one per core).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PasswordHashingProperties.class)
public class PasswordHashingConfiguration {

    public static final int BCRYPT_COST = 12;

    @Bean
    PasswordEncoder passwordEncoder(PasswordHashingProperties properties, Admission admission) {
        PasswordEncoder bcrypt = new DelegatingPasswordEncoder("bcrypt",
                Map.of("bcrypt", new BcryptLengthLimit(new BCryptPasswordEncoder(BCRYPT_COST))));
        return new BoundedPasswordEncoder(bcrypt, properties.maxConcurrentHashes(), properties.maxWaitMs(), admission);
    }
}
