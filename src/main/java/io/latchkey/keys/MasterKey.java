package io.latchkey.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.latchkey.runtime.RuntimeMode;

/**
 * The keys that protect secrets at rest: the current master key ({@code LATCHKEY_MASTER_KEY}), which seals and
 * hashes everything new, and previous master keys ({@code LATCHKEY_MASTER_KEY_PREVIOUS}), still accepted for
 * reading what was sealed or hashed under them until it has been re-sealed or has expired. Each master key has a
 * key id derived from it (a truncated HMAC, never the key itself); sealed values carry it as their JWE {@code kid}
 * and hashed rows store it beside the hash, so a reader picks the right key and an operator can tell when an old
 * key is no longer needed. Production must supply the key; evaluation mode generates one under the data directory.
 */
public final class MasterKey {

    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
    private static final int KEY_BYTES = 32;
    static final String FILE_NAME = "master.key";
    static final String CURRENT_SETTING = "LATCHKEY_MASTER_KEY";
    static final String PREVIOUS_SETTING = "LATCHKEY_MASTER_KEY_PREVIOUS";
    /**
     * The id the sealed value is bound to (a signing key's kid), authenticated with the ciphertext. Values sealed
     * before master keys had ids carry that id in {@code kid} instead, and no master key id.
     */
    static final String BOUND_TO_HEADER = "latchkey_bound_to";

    private final Entry current;
    private final List<Entry> previous;

    MasterKey(byte[] keyBytes) {
        this(new Entry(keyBytes, CURRENT_SETTING), List.of());
    }

    private MasterKey(Entry current, List<Entry> previous) {
        this.current = current;
        this.previous = List.copyOf(previous);
    }

    /**
     * The master key from its two settings' values: {@code current} (required) and {@code previous} (a
     * comma-separated list, may be empty), with the same checks and messages as at start-up. Never generates a key.
     */
    public static MasterKey fromSettings(String current, String previous) {
        if (current == null || current.isBlank()) {
            throw new InvalidMasterKeyException(CURRENT_SETTING + " is required");
        }
        return resolve(current, previous, null);
    }

    static MasterKey fromBase64(String encoded) {
        return new MasterKey(new Entry(decode(encoded, CURRENT_SETTING), CURRENT_SETTING), List.of());
    }

    /**
     * What is wrong with a configured master key ({@code LATCHKEY_MASTER_KEY}), if anything, so that production mode
     * can report it with every other unsafe setting at once; empty for a usable key. Names the setting, never the key.
     */
    public static Optional<String> problemWith(String configured) {
        if (configured == null || configured.isBlank()) {
            return Optional.of("latchkey.master-key (LATCHKEY_MASTER_KEY) is not set: production needs a master key "
                    + "of its own, never one generated under the data directory. Generate one with 'openssl rand "
                    + "-base64 32', keep it secret and set it on every instance");
        }
        try {
            fromBase64(configured);
            return Optional.empty();
        }
        catch (InvalidMasterKeyException invalid) {
            return Optional.of(invalid.getMessage());
        }
    }

    static MasterKey resolve(String configured, RuntimeMode mode) {
        return resolve(configured, null, mode);
    }

    /**
     * The master key from its setting (or evaluation mode's file), with the previous keys: a comma-separated list
     * of base64 keys. A malformed previous key stops start-up naming the setting and its position in the list; a
     * previous key equal to the current one is ignored.
     */
    static MasterKey resolve(String configured, String previousKeys, RuntimeMode mode) {
        Entry current = resolveCurrent(configured, mode);
        List<Entry> previous = new ArrayList<>();
        if (previousKeys != null && !previousKeys.isBlank()) {
            String[] parts = previousKeys.split(",");
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isBlank()) {
                    continue;
                }
                String setting = PREVIOUS_SETTING + ", entry " + (i + 1);
                Entry entry = new Entry(decode(parts[i], setting), setting);
                if (entry.id.equals(current.id)) {
                    log.warn("{} is the current master key; it is ignored there", setting);
                }
                else if (previous.stream().noneMatch(known -> known.id.equals(entry.id))) {
                    previous.add(entry);
                }
            }
        }
        MasterKey key = new MasterKey(current, previous);
        if (!previous.isEmpty()) {
            log.info("Master key {} is current; previous master key(s) {} are accepted for reading", key.currentId(),
                    key.previousIds());
        }
        return key;
    }

    private static Entry resolveCurrent(String configured, RuntimeMode mode) {
        if (configured != null && !configured.isBlank()) {
            return new Entry(decode(configured, CURRENT_SETTING), CURRENT_SETTING);
        }
        if (!mode.isEmbedded()) {
            throw new InvalidMasterKeyException("LATCHKEY_MASTER_KEY is required when a database is configured. "
                    + "Generate one with 'openssl rand -base64 32', keep it secret and set it on every instance.");
        }
        return loadOrCreateEvaluationKey(mode.dataDir().resolve(FILE_NAME));
    }

    private static byte[] decode(String encoded, String setting) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.trim());
        }
        catch (IllegalArgumentException notBase64) {
            throw new InvalidMasterKeyException(setting + " is not valid base64: generate a key with "
                    + "'openssl rand -base64 32'");
        }
        if (bytes.length != KEY_BYTES) {
            throw new InvalidMasterKeyException(setting + " must be the base64 of exactly 32 random bytes "
                    + "(for example the output of 'openssl rand -base64 32'); it decodes to " + bytes.length + " bytes");
        }
        return bytes;
    }

    private static Entry loadOrCreateEvaluationKey(Path file) {
        try {
            if (Files.exists(file)) {
                try {
                    return new Entry(decode(Files.readString(file, StandardCharsets.US_ASCII), CURRENT_SETTING),
                            CURRENT_SETTING);
                }
                catch (InvalidMasterKeyException corrupt) {
                    throw new InvalidMasterKeyException("The evaluation master key " + file.toAbsolutePath()
                            + " is damaged. Restore it, or delete the whole data directory to start afresh.");
                }
            }
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(bytes);
            createOwnerOnly(file);
            Files.writeString(file, Base64.getEncoder().encodeToString(bytes), StandardCharsets.US_ASCII);
            log.warn("Generated an evaluation master key in {}. Set LATCHKEY_MASTER_KEY for real use.",
                    file.toAbsolutePath());
            return new Entry(bytes, CURRENT_SETTING);
        }
        catch (IOException ex) {
            throw new InvalidMasterKeyException("Cannot read or create the evaluation master key " + file + ": "
                    + ex.getMessage());
        }
    }

    /** Creates the file readable by its owner only before anything is written to it. */
    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (UnsupportedOperationException notPosix) {
            // Windows: the file inherits the data directory's ACL.
            Files.createFile(file);
        }
    }

    /** The id of the current master key: what new sealed values and hashes are recorded under. */
    public String currentId() {
        return current.id;
    }

    /** The ids of the previous master keys, still accepted for reading. */
    public List<String> previousIds() {
        return previous.stream().map(entry -> entry.id).toList();
    }

    /** Whether {@code keyId} is the current or a previous master key's id. */
    public boolean knows(String keyId) {
        return entry(keyId).isPresent();
    }

    /**
     * A key for one purpose derived from the current master key (HMAC-SHA-256 of the purpose, as HKDF-Expand with
     * a single block), so the master key itself is only ever used for encryption. Use {@link #deriveAll} for
     * anything that must still read what was written under a previous master key.
     */
    public SecretKey deriveKey(String purpose) {
        return current.derive(purpose);
    }

    /** The current master key's key for {@code purpose}, with the master key's id. */
    public DerivedKey deriveCurrent(String purpose) {
        return new DerivedKey(current.id, current.derive(purpose));
    }

    /** The key for {@code purpose} under every master key: the current one first, then the previous ones in order. */
    public List<DerivedKey> deriveAll(String purpose) {
        List<DerivedKey> keys = new ArrayList<>();
        keys.add(deriveCurrent(purpose));
        previous.forEach(entry -> keys.add(new DerivedKey(entry.id, entry.derive(purpose))));
        return keys;
    }

    /** The key for {@code purpose} under the master key with this id, if it is configured. */
    public Optional<DerivedKey> derive(String purpose, String keyId) {
        return entry(keyId).map(entry -> new DerivedKey(entry.id, entry.derive(purpose)));
    }

    /**
     * Encrypts {@code plaintext} under the current master key, binding it to {@code boundTo} (authenticated): the
     * id of what it belongs to, such as a signing key's kid, so that a sealed value cannot be moved to another row.
     */
    public String seal(String plaintext, String boundTo) {
        try {
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                    .keyID(current.id).customParam(BOUND_TO_HEADER, boundTo).build(), new Payload(plaintext));
            jwe.encrypt(new DirectEncrypter(current.secret));
            return jwe.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot encrypt with the master key", ex);
        }
    }

    /**
     * The id of the master key {@code sealed} was sealed under, or empty for a value sealed before master keys
     * had ids (or not a sealed value at all).
     */
    public static Optional<String> sealedUnder(String sealed) {
        try {
            JWEHeader header = JWEObject.parse(sealed).getHeader();
            return header.getCustomParam(BOUND_TO_HEADER) == null ? Optional.empty()
                    : Optional.ofNullable(header.getKeyID());
        }
        catch (ParseException notSealed) {
            return Optional.empty();
        }
    }

    /** Decrypts what {@link #seal} produced for the same {@code boundTo}, under whichever master key sealed it. */
    public String open(String sealed, String boundTo) {
        JWEObject jwe;
        try {
            jwe = JWEObject.parse(sealed);
        }
        catch (ParseException ex) {
            throw new InvalidMasterKeyException("Encrypted key material for " + boundTo + " is damaged: not a JWE");
        }
        Object bound = jwe.getHeader().getCustomParam(BOUND_TO_HEADER);
        String masterKeyId = bound == null ? null : jwe.getHeader().getKeyID();
        if (!boundTo.equals(bound == null ? jwe.getHeader().getKeyID() : bound)) {
            throw new InvalidMasterKeyException("Encrypted key material for " + boundTo + " is bound to another key id");
        }
        List<Entry> candidates;
        if (masterKeyId == null) {
            // sealed before master keys had ids: under one of them, and AES-GCM tells which
            candidates = new ArrayList<>();
            candidates.add(current);
            candidates.addAll(previous);
        }
        else {
            candidates = entry(masterKeyId).map(List::of).orElseThrow(() -> new InvalidMasterKeyException(
                    "Key material for " + boundTo + " is sealed under master key id " + masterKeyId + ", which is "
                            + "neither " + CURRENT_SETTING + " (id " + current.id + ") nor in " + PREVIOUS_SETTING
                            + (previous.isEmpty() ? " (empty)" : " (ids " + String.join(", ", previousIds()) + ")")
                            + ". Add the master key it was sealed under to " + PREVIOUS_SETTING + "."));
        }
        for (Entry candidate : candidates) {
            try {
                JWEObject attempt = JWEObject.parse(sealed);
                attempt.decrypt(new DirectDecrypter(candidate.secret));
                return attempt.getPayload().toString();
            }
            catch (ParseException | JOSEException wrongKey) {
                // try the next one
            }
        }
        throw new InvalidMasterKeyException(masterKeyId == null
                ? "Neither " + CURRENT_SETTING + " nor " + PREVIOUS_SETTING + " decrypts the key material for "
                        + boundTo + " stored in the database. Start with the master key it was created with."
                : "LATCHKEY_MASTER_KEY does not decrypt the key material for " + boundTo + " sealed under master key id "
                        + masterKeyId + ": it was tampered with, or another key has that id.");
    }

    private Optional<Entry> entry(String keyId) {
        if (current.id.equals(keyId)) {
            return Optional.of(current);
        }
        return previous.stream().filter(entry -> entry.id.equals(keyId)).findFirst();
    }

    /** A key derived for one purpose, and the id of the master key it was derived from. */
    public record DerivedKey(String masterKeyId, SecretKey key) {

        /** HMAC-SHA-256 of {@code value} under this key. */
        public byte[] mac(byte[] value) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac.doFinal(value);
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException("HmacSHA256 is always available", ex);
            }
        }

        @Override
        public String toString() {
            return "DerivedKey[" + masterKeyId + "]";
        }
    }

    private static final class Entry {

        private static final int ID_BYTES = 9;

        private final SecretKey secret;
        private final String id;

        Entry(byte[] keyBytes, String setting) {
            if (keyBytes.length != KEY_BYTES) {
                throw new InvalidMasterKeyException(setting + " must be the base64 of exactly 32 random bytes "
                        + "(for example the output of 'openssl rand -base64 32'); it decodes to " + keyBytes.length
                        + " bytes");
            }
            this.secret = new SecretKeySpec(keyBytes, "AES");
            this.id = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Arrays.copyOf(hmac(keyBytes, "latchkey master key id v1"), ID_BYTES));
        }

        SecretKey derive(String purpose) {
            return new SecretKeySpec(hmac(secret.getEncoded(), purpose), "HmacSHA256");
        }

        private static byte[] hmac(byte[] key, String purpose) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.update(purpose.getBytes(StandardCharsets.UTF_8));
                return mac.doFinal(new byte[] { 1 });
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException("HmacSHA256 is always available", ex);
            }
        }
    }

    /** A missing, malformed or wrong master key: always a start-up error with a message saying what to do. */
    public static final class InvalidMasterKeyException extends IllegalStateException {

        InvalidMasterKeyException(String message) {
            super(message);
        }
    }
}
