package io.latchkey.passkey;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.support.SecondInstance;

/**
 * A second Latchkey whose issuer is {@code http://localhost:<port>}, for the passkey browser tests: a secure context
 * for Chromium and a host name WebAuthn accepts as relying party id (the shared test server's issuer is an IP
 * address, which switches passkeys off). Registered as a static extension, it starts before a test class's tests and
 * stops after them: each class has its own (users, authenticators and rate-limit buckets stay apart).
 */
final class LocalhostPasskeyServer implements BeforeAllCallback, AfterAllCallback {

    private ConfigurableApplicationContext context;
    private String base;
    private JdbcTemplate jdbc;
    private PasswordEncoder passwordEncoder;

    @Override
    public void beforeAll(ExtensionContext extension) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://localhost:" + port;
        context = SecondInstance.start(Map.of("server.port", port, "latchkey.issuer", base));
        jdbc = context.getBean(JdbcTemplate.class);
        passwordEncoder = context.getBean("passwordEncoder", PasswordEncoder.class);
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        if (context != null) {
            context.close();
        }
    }

    /** {@code http://localhost:<port>}, the issuer. */
    String base() {
        return base;
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    PasswordEncoder passwordEncoder() {
        return passwordEncoder;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The base64url id of the (one) passkey of the account {@code userId}. */
    String credentialIdOf(UUID userId) {
        byte[] id = jdbc.queryForObject("SELECT credential_id FROM passkey_credentials WHERE user_id = ?", byte[].class,
                userId);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    int count(String sql, Object... args) {
        Integer count = jdbc.queryForObject(sql, Integer.class, args);
        return count == null ? 0 : count;
    }
}
