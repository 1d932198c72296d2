package io.latchkey.account;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.latchkey.keys.TokenHasher;

/**
 * Single-use links mailed to users. The token in the link is 256 random bits; only its keyed hash is
 * stored (under the current master key, whose id is stored beside it; a link hashed under a previous master
 * key is still found), and a link is used up atomically so that two clicks cannot both succeed.
 */
@Component
class AccountLinks {

    enum Purpose {
        VERIFY_EMAIL(true),
        RESET_PASSWORD(true),
        CHANGE_EMAIL(true),
        /**
         * Each email change's undo link stays usable beside the others: a later change, which may be the
         * attacker's, must not take away the way back that went to the owner's address.
         */
        UNDO_EMAIL_CHANGE(false);

        private final boolean replacesEarlier;

        Purpose(boolean replacesEarlier) {
            this.replacesEarlier = replacesEarlier;
        }
    }

    /** The links that whoever can use them could play against a reset, a completed email change or an undo. */
    static final Set<Purpose> PENDING_ACCOUNT_CHANGES = Set.of(Purpose.VERIFY_EMAIL, Purpose.RESET_PASSWORD,
            Purpose.CHANGE_EMAIL);

    static final int MAX_TOKEN_LENGTH = 100;
    private final JdbcClient jdbc;
    private final TokenHasher hasher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    AccountLinks(JdbcClient jdbc, TokenHasher hasher, Clock clock) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * Creates a link token. {@code newEmail} is the address the link sets (the new one of a change, the old
     * one of an undo), or null. Earlier unused links of the same purpose for the user stop working, except
     * undo links.
     */
    String create(UUID userId, Purpose purpose, Duration lifetime, String newEmail) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        if (purpose.replacesEarlier) {
            invalidate(userId, Set.of(purpose));
        }
        jdbc.sql("INSERT INTO account_links (token_hash, hash_key_id, user_id, purpose, new_email, "
                        + "new_email_normalized, created_at, expires_at) "
                        + "VALUES (:hash, :keyId, :user, :purpose, :email, :normalized, :now, :expires)")
                .param("hash", hasher.hash(token))
                .param("keyId", hasher.currentKeyId())
                .param("user", userId)
                .param("purpose", purpose.name())
                .param("email", newEmail)
                .param("normalized", newEmail == null ? null : UserRepository.normalize(newEmail))
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
        return jdbc.sql("SELECT user_id, new_email, created_at FROM account_links WHERE token_hash IN (:hashes) "
                        + "AND purpose = :purpose AND used_at IS NULL AND expires_at > :now")
                .param("hashes", hasher.candidateHashes(token))
                .param("purpose", purpose.name())
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, row) -> new Link(rs.getObject("user_id", UUID.class), rs.getString("new_email"),
                        rs.getTimestamp("created_at").toInstant()))
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
        int used = jdbc.sql("UPDATE account_links SET used_at = :now WHERE token_hash IN (:hashes) AND used_at IS NULL")
                .param("now", Timestamp.from(clock.instant()))
                .param("hashes", hasher.candidateHashes(token))
                .update();
        return used == 1 ? link : Optional.empty();
    }

    /** Makes the user's unused links of these purposes unusable. */
    void invalidate(UUID userId, Set<Purpose> purposes) {
        jdbc.sql("UPDATE account_links SET used_at = :now WHERE user_id = :user AND purpose IN (:purposes) "
                        + "AND used_at IS NULL")
                .param("now", Timestamp.from(clock.instant()))
                .param("user", userId)
                .param("purposes", purposes.stream().map(Purpose::name).toList())
                .update();
    }

    /**
     * Makes the user's unused undo links created after {@code createdAt} unusable: they undo changes made
     * after the state that an undo from {@code createdAt} restores.
     */
    void invalidateUndoLinksCreatedAfter(UUID userId, Instant createdAt) {
        jdbc.sql("UPDATE account_links SET used_at = :now WHERE user_id = :user AND purpose = :purpose "
                        + "AND used_at IS NULL AND created_at > :createdAt")
                .param("now", Timestamp.from(clock.instant()))
                .param("user", userId)
                .param("purpose", Purpose.UNDO_EMAIL_CHANGE.name())
                .param("createdAt", Timestamp.from(createdAt))
                .update();
    }

    /** Whether a usable undo link would restore this address, which therefore stays reserved for its account. */
    boolean isReservedForUndo(String email) {
        return jdbc.sql("SELECT COUNT(*) FROM account_links WHERE new_email_normalized = :normalized "
                        + "AND purpose = :purpose AND used_at IS NULL AND expires_at > :now")
                .param("normalized", UserRepository.normalize(email))
                .param("purpose", Purpose.UNDO_EMAIL_CHANGE.name())
                .param("now", Timestamp.from(clock.instant()))
                .query(Integer.class)
                .single() > 0;
    }

    private static boolean plausible(String token) {
        return token != null && !token.isEmpty() && token.length() <= MAX_TOKEN_LENGTH
                && token.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    /** newEmail: the address the link sets, or null; createdAt: when the link was made. */
    record Link(UUID userId, String newEmail, Instant createdAt) {
    }
}
