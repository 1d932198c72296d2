package io.latchkey.passkey;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.support.SecondInstance;

/**
 * A second Latchkey whose issuer is {@code http://localhost:<port>}, for the passkey browser tests: a secure context
 * for Chromium and a host name WebAuthn accepts as relying party id (the shared test server's issuer is an IP
 * address, which switches passkeys off). Each test class starts its own (users, authenticators and rate-limit buckets
 * stay apart) and closes it after its tests.
 */
final class LocalhostPasskeyServer implements AutoCloseable {

    final ConfigurableApplicationContext context;
    final String base;
    final JdbcTemplate jdbc;
    final PasswordEncoder passwordEncoder;

    private LocalhostPasskeyServer(ConfigurableApplicationContext context, String base) {
        this.context = context;
        this.base = base;
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.passwordEncoder = context.getBean("passwordEncoder", PasswordEncoder.class);
    }

    static LocalhostPasskeyServer start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://localhost:" + port;
        return new LocalhostPasskeyServer(SecondInstance.start(Map.of("server.port", port, "latchkey.issuer", base)),
                base);
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

    @Override
    public void close() {
        context.close();
    }
}
