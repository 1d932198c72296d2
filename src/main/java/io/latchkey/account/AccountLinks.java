package io.latchkey.account;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.latchkey.tokens.TokenHasher;

/**
 * Single-use links mailed to users. The token in the link is 256 random bits; only its keyed hash is
 * stored, and a link is used up atomically so that two clicks cannot both succeed.
 */
@Component
class AccountLinks {

    enum Purpose { VERIFY_EMAIL, RESET_PASSWORD, CHANGE_EMAIL }

    private static final int MAX_TOKEN_LENGTH = 100;
    private final JdbcClient jdbc;
    private final TokenHasher hasher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    AccountLinks(JdbcClient jdbc, TokenHasher hasher, Clock clock) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** Creates a link token; earlier unused links of the same purpose for the user stop working. */
    String create(UUID userId, Purpose purpose, Duration lifetime, String newEmail) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        jdbc.sql("UPDATE account_links SET used_at = :now WHERE user_id = :user AND purpose = :purpose AND used_at IS NULL")
                .param("now", Timestamp.from(now)).param("user", userId).param("purpose", purpose.name()).update();
        jdbc.sql("INSERT INTO account_links (token_hash, user_id, purpose, new_email, created_at, expires_at) "
                        + "VALUES (:hash, :user, :purpose, :email, :now, :expires)")
                .param("hash", hasher.hash(token))
                .param("user", userId)
                .param("purpose", purpose.name())
                .param("email", newEmail)
                .param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(now.plus(lifetime)))
                .update();
        return token;
    }

    /** The link if it exists, has this purpose, is unused and unexpired; does not use it up. */
    Optional<Link> peek(String token, Purpose purpose) {
        if (!plausible(token)) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT user_id, new_email FROM account_links WHERE token_hash = :hash AND purpose = :purpose "
                        + "AND used_at IS NULL AND expires_at > :now")
                .param("hash", hasher.hash(token))
                .param("purpose", purpose.name())
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, row) -> new Link(rs.getObject("user_id", UUID.class), rs.getString("new_email")))
                .optional();
    }

    /** Whether the user has a link of this purpose that can still be used. */
    boolean hasUsable(UUID userId, Purpose purpose) {
        return jdbc.sql("SELECT COUNT(*) FROM account_links WHERE user_id = :user AND purpose = :purpose "
                        + "AND used_at IS NULL AND expires_at > :now")
                .param("user", userId)
                .param("purpose", purpose.name())
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class).single() > 0;
    }

    /** Uses the link up; empty when it was not usable (already used, expired, unknown or tampered with). */
    Optional<Link> consume(String token, Purpose purpose) {
        Optional<Link> link = peek(token, purpose);
        if (link.isEmpty()) {
            return link;
        }
        int used = jdbc.sql("UPDATE account_links SET used_at = :now WHERE token_hash = :hash AND used_at IS NULL")
                .param("now", Timestamp.from(clock.instant()))
                .param("hash", hasher.hash(token))
                .update();
        return used == 1 ? link : Optional.empty();
    }

    private static boolean plausible(String token) {
        return token != null && !token.isEmpty() && token.length() <= MAX_TOKEN_LENGTH
                && token.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    record Link(UUID userId, String newEmail) {
    }
}
