package io.latchkey.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.latchkey.keys.SigningKeyAdministration;
import io.latchkey.keys.SigningKeyInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The signing keys: listed with their status and dates (never a private part), and rotated now. */
@RestController
@RequestMapping("/api/v1/admin/keys")
@Tag(name = "admin: signing keys", description = "Token signing keys (scope latchkey.admin, and the permissions "
        + "keys:read, keys:rotate)")
class AdminKeysController {

    private final SigningKeyAdministration keys;

    AdminKeysController(SigningKeyAdministration keys) {
        this.keys = keys;
    }

    @GetMapping
    @PreAuthorize(ApiAccessRules.KEYS_READ)
    @Operation(summary = "List the signing keys, newest first", description = "status: active (signs new tokens), "
            + "published (retired, still in the JWKS until publishedUntil) or retired (no longer published); "
            + "ageSeconds since it was created. No private key material is ever returned.")
    Keys list() {
        return Keys.of(keys.list(), keys.now());
    }

    @PostMapping("/rotate")
    @PreAuthorize(ApiAccessRules.KEYS_ROTATE)
    @Operation(summary = "Rotate the signing key now", description = "A new key signs from now on; the old one "
            + "stays in the JWKS until its publishedUntil, so tokens it signed keep verifying. Audited as "
            + "SIGNING_KEY_ROTATED.")
    Rotated rotate(Authentication authentication) {
        String active = keys.rotate(UUID.fromString(authentication.getName()));
        return new Rotated(active, Keys.of(keys.list(), keys.now()).keys());
    }

    record Key(String kid, String algorithm, String status, Instant createdAt, Instant retiredAt,
            Instant publishedUntil, long ageSeconds) {

        static Key of(SigningKeyInfo key, Instant now) {
            return new Key(key.kid(), key.algorithm(), key.status(now).name().toLowerCase(Locale.ROOT),
                    key.createdAt(), key.retiredAt(), key.publishedUntil(), key.age(now).toSeconds());
        }
    }

    record Keys(List<Key> keys) {

        static Keys of(List<SigningKeyInfo> keys, Instant now) {
            return new Keys(keys.stream().map(key -> Key.of(key, now)).toList());
        }
    }

    /** The new active key's id, and every key after the rotation. */
    record Rotated(String activeKid, List<Key> keys) {
    }
}
