package io.latchkey.oauth.pairwise;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.latchkey.keys.MasterKey;
import io.latchkey.keys.MasterKeyDependent;

/**
 * The key pairwise subject identifiers are HMACs under: 256 random bits made by whichever instance needs it first,
 * stored sealed with the master key (one row), read once per instance. Not derived from the master key itself: the
 * identifiers would then change when the master key rotates, and every relying party would lose its users. A master
 * key rotation re-seals it ({@link MasterKeyDependent}).
 */
@Component
class PairwiseSubjectKey implements MasterKeyDependent {

    private static final String BOUND_TO = "pairwise-subject-key";

    private final JdbcClient jdbc;
    private final MasterKey masterKey;
    private volatile SecretKey key;

    PairwiseSubjectKey(JdbcClient jdbc, MasterKey masterKey) {
        this.jdbc = jdbc;
        this.masterKey = masterKey;
    }

    SecretKey key() {
        SecretKey known = key;
        if (known == null) {
            synchronized (this) {
                if (key == null) {
                    key = load();
                }
                known = key;
            }
        }
        return known;
    }

    private SecretKey load() {
        String sealed = stored().orElseGet(() -> {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            String made = masterKey.seal(Base64.getEncoder().encodeToString(fresh), BOUND_TO);
            try {
                jdbc.sql("INSERT INTO pairwise_subject_key (id, sealed_key) VALUES (1, :sealed)")
                        .param("sealed", made).update();
            }
            catch (DuplicateKeyException anotherInstanceWasFirst) {
                // theirs is the one every instance uses
            }
            return stored().orElseThrow();
        });
        return new SecretKeySpec(Base64.getDecoder().decode(masterKey.open(sealed, BOUND_TO)), "HmacSHA256");
    }

    private Optional<String> stored() {
        return jdbc.sql("SELECT sealed_key FROM pairwise_subject_key WHERE id = 1").query(String.class).optional();
    }

    @Override
    public int resealUnderCurrentKey() {
        Optional<String> sealed = stored();
        if (sealed.isEmpty() || isUnderCurrentKey(sealed.get())) {
            return 0;
        }
        String resealed = masterKey.seal(masterKey.open(sealed.get(), BOUND_TO), BOUND_TO);
        return jdbc.sql("UPDATE pairwise_subject_key SET sealed_key = :resealed WHERE id = 1 AND sealed_key = :old")
                .param("resealed", resealed).param("old", sealed.get()).update();
    }

    @Override
    public List<Remaining> remainingUnderOtherKeys() {
        return stored().filter(sealed -> !isUnderCurrentKey(sealed))
                .map(sealed -> List.of(new Remaining("pairwise subject key",
                        MasterKey.sealedUnder(sealed).orElse(null), 1, null)))
                .orElse(List.of());
    }

    private boolean isUnderCurrentKey(String sealed) {
        return MasterKey.sealedUnder(sealed).filter(masterKey.currentId()::equals).isPresent();
    }
}
