package io.latchkey.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;

import org.springframework.stereotype.Component;

import io.latchkey.keys.MasterKey;

/**
 * Turns a token value into the key it is stored under: HMAC-SHA-256 with a key derived from the master
 * key. Without the master key, a database dump cannot even confirm a guessed token.
 */
@Component
public class TokenHasher {

    static final int HASH_LENGTH = 64;

    private final Mac prototype;

    TokenHasher(MasterKey masterKey) {
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(masterKey.deriveKey("latchkey token hash v1"));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is always available", ex);
        }
    }

    public String hash(String tokenValue) {
        try {
            Mac mac = (Mac) prototype.clone();
            return HexFormat.of().formatHex(mac.doFinal(tokenValue.getBytes(StandardCharsets.UTF_8)));
        }
        catch (CloneNotSupportedException ex) {
            throw new IllegalStateException("HmacSHA256 supports cloning", ex);
        }
    }
}
