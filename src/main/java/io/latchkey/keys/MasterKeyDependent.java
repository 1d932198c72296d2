package io.latchkey.keys;

import java.time.Instant;
import java.util.List;

/**
 * Something stored under the master key, that a rotation of the master key must account for: sealed secrets
 * (signing keys; TOTP secrets later), which {@link #resealUnderCurrentKey} re-encrypts under the current key,
 * and hashed values (tokens, links), which cannot be re-hashed without their value and stay readable through
 * the previous keys until they expire.
 *
 * <p>Implement it as a {@code @Component} that needs nothing but infrastructure ({@code JdbcClient},
 * {@code TransactionTemplate}, {@link MasterKey}, {@code java.time.Clock}) and its package's own small
 * repositories, declared as beans of the implementation's own {@code @Configuration} if need be: the re-seal
 * command ({@link MasterKeyCommand}) finds every implementation under {@code io.latchkey} and runs it in a
 * small application context of its own, without the web server or the rest of Latchkey.
 */
public interface MasterKeyDependent {

    /**
     * Re-seals under the current master key whatever is sealed under another one; safe while other instances
     * serve (each value is replaced only if unchanged since it was read). Returns how many values were re-sealed.
     * Hashed data has nothing to re-seal.
     */
    default int resealUnderCurrentKey() {
        return 0;
    }

    /** What is still stored, usable, under master keys other than the current one. */
    List<Remaining> remainingUnderOtherKeys();

    /**
     * {@code count} usable {@code what} stored under master key {@code masterKeyId} (null: written before master
     * keys had ids, under the key of that time), usable at most until {@code usableUntil} (null: until re-sealed).
     */
    record Remaining(String what, String masterKeyId, long count, Instant usableUntil) {
    }
}
