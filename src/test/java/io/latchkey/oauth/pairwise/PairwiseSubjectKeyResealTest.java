package io.latchkey.oauth.pairwise;

import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.latchkey.keys.MasterKey;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestServerInitializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pairwise subject key survives a master key rotation: re-sealed under the new master key, it is the same key,
 * so every pairwise identifier stays what relying parties know.
 */
@IntegrationTest
class PairwiseSubjectKeyResealTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MasterKey masterKey;

    @Test
    void aMasterKeyRotationReSealsTheSameKey() {
        byte[] before = new PairwiseSubjectKey(jdbc, masterKey).key().getEncoded();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String newKey = Base64.getEncoder().encodeToString(random);

        MasterKey rotated = MasterKey.fromSettings(newKey, TestServerInitializer.MASTER_KEY);
        PairwiseSubjectKey afterRotation = new PairwiseSubjectKey(jdbc, rotated);
        assertThat(afterRotation.remainingUnderOtherKeys()).hasSize(1);
        try {
            assertThat(afterRotation.resealUnderCurrentKey()).isEqualTo(1);
            assertThat(afterRotation.remainingUnderOtherKeys()).isEmpty();
            assertThat(afterRotation.resealUnderCurrentKey()).isZero();
            assertThat(new PairwiseSubjectKey(jdbc, rotated).key().getEncoded()).isEqualTo(before);
        }
        finally {
            new PairwiseSubjectKey(jdbc, MasterKey.fromSettings(TestServerInitializer.MASTER_KEY, newKey))
                    .resealUnderCurrentKey();
        }
        assertThat(new PairwiseSubjectKey(jdbc, masterKey).key().getEncoded()).isEqualTo(before);
    }
}
