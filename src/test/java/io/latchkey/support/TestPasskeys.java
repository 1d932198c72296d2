package io.latchkey.support;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A stored passkey for a user, written straight into the tables (as Spring Security's WebAuthn support stores one),
 * for tests that list and delete passkeys without a browser's authenticator. It cannot sign anyone in: its public
 * key is random bytes.
 */
public final class TestPasskeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPasskeys() {
    }

    /** Stores a passkey named {@code name} for the user; its credential id, base64url (as the pages and API name it). */
    public static String add(JdbcTemplate jdbc, UUID userId, String name) {
        List<byte[]> handles = jdbc.queryForList("SELECT user_handle FROM passkey_user_entities WHERE user_id = ?",
                byte[].class, userId);
        byte[] handle;
        if (handles.isEmpty()) {
            handle = random(32);
            jdbc.update("INSERT INTO passkey_user_entities (user_handle, user_id) VALUES (?, ?)", handle, userId);
        }
        else {
            handle = handles.get(0);
        }
        byte[] credentialId = random(16);
        jdbc.update("INSERT INTO passkey_credentials (credential_id, user_id, user_handle, name, public_key, "
                + "signature_count, uv_initialized, backup_eligible, backup_state, transports, credential_type) "
                + "VALUES (?, ?, ?, ?, ?, 0, TRUE, TRUE, FALSE, 'internal', 'public-key')",
                credentialId, userId, handle, name, random(77));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(credentialId);
    }

    public static int count(JdbcTemplate jdbc, UUID userId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM passkey_credentials WHERE user_id = ?", Integer.class, userId);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
