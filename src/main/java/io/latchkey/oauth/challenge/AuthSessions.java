package io.latchkey.oauth.challenge;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.stereotype.Repository;

import io.latchkey.account.SignInFactors;
import io.latchkey.keys.TokenHasher;

/**
 * The {@code auth_session}s of users who gave the right password and still owe a second factor. The value handed to
 * the client is 256 random bits; only its keyed hash ({@link TokenHasher}) is stored, with the client, the user,
 * the scopes and PKCE challenge of the first request and when the password was proved. A session is found only
 * before it expires, and ends when the code is accepted ({@link #end}: exactly one request wins), after too many
 * wrong codes, or when another client presents it. Expired rows are deleted whenever a new session starts.
 */
@Repository
class AuthSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TokenHasher hasher;

    AuthSessions(JdbcClient jdbc, TokenHasher hasher) {
        this.jdbc = jdbc;
        this.hasher = hasher;
    }

    /** Starts a session for the password step; returns the value to give the client. */
    String start(String clientId, UUID userId, Set<String> scopes, String codeChallenge, Authentication passwordStep,
            Instant now, Instant expiresAt) {
        jdbc.sql("DELETE FROM authorization_challenge_sessions WHERE expires_at < :now")
                .param("now", Timestamp.from(now)).update();
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        List<String> authorities = new ArrayList<>();
        Instant passwordAt = now;
        for (GrantedAuthority authority : passwordStep.getAuthorities()) {
            if (authority instanceof FactorGrantedAuthority factor) {
                if (SignInFactors.PASSWORD.equals(factor.getAuthority())) {
                    passwordAt = factor.getIssuedAt();
                }
            }
            else if (authority.getAuthority() != null && !authority.getAuthority().contains(" ")) {
                authorities.add(authority.getAuthority());
            }
        }
        jdbc.sql("""
                INSERT INTO authorization_challenge_sessions (session_hash, hash_key_id, client_id, user_id, scopes,
                    authorities, code_challenge, password_at, failed_codes, expires_at)
                VALUES (:hash, :keyId, :clientId, :userId, :scopes, :authorities, :codeChallenge, :passwordAt, 0,
                    :expiresAt)
                """)
                .param("hash", hasher.hash(value)).param("keyId", hasher.currentKeyId())
                .param("clientId", clientId).param("userId", userId)
                .param("scopes", String.join(" ", scopes)).param("authorities", String.join(" ", authorities))
                .param("codeChallenge", codeChallenge).param("passwordAt", Timestamp.from(passwordAt))
                .param("expiresAt", Timestamp.from(expiresAt))
                .update();
        return value;
    }

    /** The unexpired session the value names. */
    Optional<Pending> find(String value, Instant now) {
        return jdbc.sql("""
                SELECT session_hash, client_id, user_id, scopes, authorities, code_challenge, password_at, failed_codes
                FROM authorization_challenge_sessions
                WHERE session_hash IN (:hashes) AND expires_at > :now
                """)
                .param("hashes", hasher.candidateHashes(value)).param("now", Timestamp.from(now))
                .query((rs, row) -> new Pending(rs.getString("session_hash"), rs.getString("client_id"),
                        rs.getObject("user_id", UUID.class), words(rs.getString("scopes")),
                        List.copyOf(words(rs.getString("authorities"))), rs.getString("code_challenge"),
                        rs.getTimestamp("password_at").toInstant(), rs.getInt("failed_codes")))
                .optional();
    }

    /** Counts a wrong code; true when that was the last one the session takes (it is then ended). */
    boolean wrongCode(Pending session, int maxWrongCodes) {
        jdbc.sql("UPDATE authorization_challenge_sessions SET failed_codes = failed_codes + 1 WHERE session_hash = :hash")
                .param("hash", session.hash()).update();
        Integer failed = jdbc.sql("SELECT failed_codes FROM authorization_challenge_sessions WHERE session_hash = :hash")
                .param("hash", session.hash()).query(Integer.class).optional().orElse(maxWrongCodes);
        if (failed >= maxWrongCodes) {
            end(session);
            return true;
        }
        return false;
    }

    /** Ends the session; true for the one caller that ended it, false when it had already ended. */
    boolean end(Pending session) {
        return jdbc.sql("DELETE FROM authorization_challenge_sessions WHERE session_hash = :hash")
                .param("hash", session.hash()).update() == 1;
    }

    private static Set<String> words(String text) {
        return text == null || text.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(text.trim().split(" +")));
    }

    /** A session waiting for its second factor. */
    record Pending(String hash, String clientId, UUID userId, Set<String> scopes, List<String> authorities,
            String codeChallenge, Instant passwordAt, int failedCodes) {
    }
}
