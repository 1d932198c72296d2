package io.latchkey.keys;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code latchkey.master-key} and {@code latchkey.master-key-previous} (see {@link MasterKey}). Both are secrets:
 * no default, never logged.
 *
 * @param masterKey base64 of 32 random bytes; empty: generated in evaluation mode, refused with a database
 * @param masterKeyPrevious comma-separated earlier master keys, accepted for reading only
 */
@ConfigurationProperties("latchkey")
record MasterKeySettings(String masterKey, String masterKeyPrevious) {

    MasterKeySettings {
        masterKey = masterKey == null ? "" : masterKey;
        masterKeyPrevious = masterKeyPrevious == null ? "" : masterKeyPrevious;
    }

    @Override
    public String toString() {
        return "MasterKeySettings[secrets not shown]";
    }
}
