package io.latchkey.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
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
 * The key that encrypts secrets at rest (AES-256-GCM through JOSE's {@code dir} + {@code A256GCM}).
 * Production must supply it as {@code LATCHKEY_MASTER_KEY}; evaluation mode generates one under the
 * data directory. A database dump without this key reveals no private signing key.
 */
public final class MasterKey {

    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
    private static final int KEY_BYTES = 32;
    static final String FILE_NAME = "master.key";

    private final SecretKey key;

    MasterKey(byte[] keyBytes) {
        if (keyBytes.length != KEY_BYTES) {
            throw new InvalidMasterKeyException("LATCHKEY_MASTER_KEY must be the base64 of exactly 32 random bytes "
                    + "(for example the output of 'openssl rand -base64 32'); it decodes to " + keyBytes.length + " bytes");
        }
        this.key = new SecretKeySpec(keyBytes, "AES");
    }

    static MasterKey fromBase64(String encoded) {
        try {
            return new MasterKey(Base64.getDecoder().decode(encoded.trim()));
        }
        catch (IllegalArgumentException notBase64) {
            throw new InvalidMasterKeyException("LATCHKEY_MASTER_KEY is not valid base64: generate one with "
                    + "'openssl rand -base64 32'");
        }
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
        if (configured != null && !configured.isBlank()) {
            return fromBase64(configured);
        }
        if (!mode.isEmbedded()) {
            throw new InvalidMasterKeyException("LATCHKEY_MASTER_KEY is required when a database is configured. "
                    + "Generate one with 'openssl rand -base64 32', keep it secret and set it on every instance.");
        }
        return loadOrCreateEvaluationKey(mode.dataDir().resolve(FILE_NAME));
    }

    private static MasterKey loadOrCreateEvaluationKey(Path file) {
        try {
            if (Files.exists(file)) {
                try {
                    return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
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
            return new MasterKey(bytes);
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

    /**
     * A key for one purpose derived from the master key (HMAC-SHA-256 of the purpose, as HKDF-Expand with a
     * single block), so the master key itself is only ever used for encryption.
     */
    public SecretKey deriveKey(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(mac.doFinal(new byte[] { 1 }), "HmacSHA256");
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is always available", ex);
        }
    }

    /** Encrypts {@code plaintext}, binding it to {@code keyId} (authenticated in the JWE header). */
    String seal(String plaintext, String keyId) {
        try {
            JWEObject jwe = new JWEObject(
                    new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(keyId).build(),
                    new Payload(plaintext));
            jwe.encrypt(new DirectEncrypter(key));
            return jwe.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot encrypt with the master key", ex);
        }
    }

    /** Decrypts what {@link #seal} produced for the same {@code keyId}. */
    String open(String sealed, String keyId) {
        try {
            JWEObject jwe = JWEObject.parse(sealed);
            if (!keyId.equals(jwe.getHeader().getKeyID())) {
                throw new InvalidMasterKeyException("Encrypted key material for " + keyId + " is bound to another key id");
            }
            jwe.decrypt(new DirectDecrypter(key));
            return jwe.getPayload().toString();
        }
        catch (ParseException | JOSEException ex) {
            throw new InvalidMasterKeyException("LATCHKEY_MASTER_KEY does not decrypt the signing keys stored in the "
                    + "database. Start with the master key they were created with.");
        }
    }

    /** A missing, malformed or wrong master key: always a start-up error with a message saying what to do. */
    public static final class InvalidMasterKeyException extends IllegalStateException {

        InvalidMasterKeyException(String message) {
            super(message);
        }
    }
}
