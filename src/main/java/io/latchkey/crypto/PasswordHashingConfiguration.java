package io.latchkey.crypto;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * One password encoder for user passwords and client secrets: bcrypt at cost 12 behind a delegating
 * encoder, so every stored hash names its algorithm and weaker hashes are upgraded at the next login.
 */
@Configuration(proxyBeanMethods = false)
public class PasswordHashingConfiguration {

    public static final int BCRYPT_COST = 12;

    @Bean
    PasswordEncoder passwordEncoder() {
        return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(BCRYPT_COST)));
    }
}
