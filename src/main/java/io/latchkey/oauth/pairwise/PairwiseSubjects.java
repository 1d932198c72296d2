package io.latchkey.oauth.pairwise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

/**
 * Pairwise subject identifiers (OpenID Connect Core 8.1): HMAC-SHA-256, under {@link PairwiseSubjectKey}, of the
 * client's {@link SectorIdentifier} and the user's internal subject, base64url. The same for every client of a
 * sector, different between sectors, stable across restarts and instances, and not reversible (nor linkable
 * between sectors) without the key.
 */
@Component
public class PairwiseSubjects {

    private final PairwiseSubjectKey key;

    PairwiseSubjects(PairwiseSubjectKey key) {
        this.key = key;
    }

    /** The pairwise identifier of the user with {@code internalSubject} for {@code client}'s sector. */
    public String of(RegisteredClient client, String internalSubject) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.key());
            byte[] hash = mac.doFinal((SectorIdentifier.of(client) + "\n" + internalSubject)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is always available", ex);
        }
    }
}
