package io.latchkey.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;

import org.springframework.stereotype.Component;

/**
 * Turns a token value into the key it is stored under: HMAC-SHA-256 with a key derived from the master
 * key. Without the master key, a database dump cannot even confirm a guessed token.
 *
 * <p>New values are hashed under the current master key, and the row records that key's id. A value
 * hashed under a previous master key ({@code latchkey.master-key-previous}) is still found: a lookup
 * tries the hash under every configured key, so tokens and links issued before a rotation of the master
 * key keep working until they expire, and stop working once their key is dropped from the settings.
 */
@Component
public class TokenHasher {

    private final List<Keyed> keys;

    TokenHasher(MasterKey masterKey) {
        List<Keyed> all = new ArrayList<>();
        for (MasterKey.DerivedKey key : masterKey.deriveAll("latchkey token hash v1")) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key.key());
                all.add(new Keyed(key.masterKeyId(), mac));
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException("HmacSHA256 is always available", ex);
            }
        }
        this.keys = List.copyOf(all);
    }

    /** The hash to store a new value under: under the current master key. */
    public String hash(String tokenValue) {
        return keys.get(0).hash(tokenValue);
    }

    /** The id of the master key that {@link #hash} uses, to be stored beside the hash. */
    public String currentKeyId() {
        return keys.get(0).keyId();
    }

    /** The value's hash under every configured master key, the current one first: what a lookup tries. */
    public List<KeyedHash> candidates(String tokenValue) {
        List<KeyedHash> hashes = new ArrayList<>(keys.size());
        for (Keyed key : keys) {
            hashes.add(new KeyedHash(key.keyId(), key.hash(tokenValue)));
        }
        return hashes;
    }

    /** Just the hashes of {@link #candidates}, for an {@code IN} list. */
    public List<String> candidateHashes(String tokenValue) {
        return candidates(tokenValue).stream().map(KeyedHash::hash).toList();
    }

    /** A hash and the id of the master key it was made under. */
    public record KeyedHash(String keyId, String hash) {
    }

    private record Keyed(String keyId, Mac prototype) {

        String hash(String value) {
            try {
                Mac mac = (Mac) prototype.clone();
                return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
            }
            catch (CloneNotSupportedException ex) {
                throw new IllegalStateException("HmacSHA256 supports cloning", ex);
            }
        }
    }
}
