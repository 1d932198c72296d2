package io.latchkey.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Audit details never carry secrets, and stored text is clean and fits its column. */
class AuditEventTest {

    @ParameterizedTest
    @ValueSource(strings = { "password", "newPassword", "PASSWORD_HASH", "client_secret", "clientSecret", "token",
            "refresh_TOKEN", "code", "authorizationCode", "error_code", "code_verifier", "PkceVerifier", "Secret" })
    void detailKeysThatNameASecretAreRefused(String key) {
        assertThatThrownBy(() -> AuditEvent.of(AuditEventType.LOGIN_FAILED).detail(key, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
        assertThatThrownBy(() -> new AuditEvent(AuditEventType.LOGIN_FAILED, null, null, Map.of(key, "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plainDetailsAreKeptInOrder() {
        UUID user = UUID.randomUUID();
        AuditEvent event = AuditEvent.of(AuditEventType.CONSENT_REVOKED).user(user).subject("my-app")
                .detail("client_id", "my-app").detail("scopes", "openid profile").detail("reason", "user request");
        assertThat(event.userId()).isEqualTo(user);
        assertThat(event.subject()).isEqualTo("my-app");
        assertThat(event.details()).containsExactly(Map.entry("client_id", "my-app"),
                Map.entry("scopes", "openid profile"), Map.entry("reason", "user request"));
        assertThatThrownBy(() -> event.details().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void detailsAreFewAndKeysAreShort() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i <= AuditEvent.MAX_DETAILS; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> new AuditEvent(AuditEventType.ACCESS_DENIED, null, null, many))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEvent.of(AuditEventType.ACCESS_DENIED).detail("k".repeat(65), "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEvent.of(AuditEventType.ACCESS_DENIED).detail(" ", "v"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void controlCharactersAreStrippedAndTextIsCutToSize() {
        assertThat(AuditText.clean("ali\u0000ce@exa\r\nmple.com\u001b[31m\u2028", 320)).isEqualTo("alice@example.com[31m");
        assertThat(AuditText.clean("x".repeat(400), 320)).hasSize(320);
        assertThat(AuditText.clean("\u0000\n ", 10)).isNull();
        assertThat(AuditText.clean(null, 10)).isNull();
        String emoji = "a".repeat(299) + "\uD83D\uDE00";
        assertThat(AuditText.clean(emoji, 300)).isEqualTo("a".repeat(299)).as("no half surrogate pair");
    }
}
