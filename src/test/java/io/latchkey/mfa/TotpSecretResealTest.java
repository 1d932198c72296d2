package io.latchkey.mfa;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import io.latchkey.account.SecondFactor.CodeCheck;
import io.latchkey.keys.MasterKey;
import io.latchkey.keys.MasterKeyDependent;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestServerInitializer;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TOTP secrets under a master-key rotation: reported while sealed under a previous key, re-sealed under the current
 * one (the secret itself unchanged), and bound to their user so that a sealed value moved to another row does not
 * open. The test rotates to a new key and back, leaving the shared database as it found it.
 */
@IntegrationTest
class TotpSecretResealTest extends UsersInDatabaseTest {

    @Autowired
    TotpSecondFactor totp;

    @Autowired
    JdbcClient jdbcClient;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void secretsAreResealedUnderTheCurrentMasterKeyAndStayBoundToTheirUser() {
        UUID user = createUser(TestUsers.uniqueEmail("reseal"), "reseal passphrase 1");
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        String before = sealed(user);
        String newKey = randomKey();

        MasterKey rotated = MasterKey.fromSettings(newKey, TestServerInitializer.MASTER_KEY);
        TotpSecretReseal afterRotation = new TotpSecretReseal(jdbcClient, rotated, transactions);
        assertThat(afterRotation.remainingUnderOtherKeys()).extracting(MasterKeyDependent.Remaining::what)
                .contains("TOTP secrets (re-seal them)", "recovery codes (until their users regenerate them)");
        try {
            assertThat(afterRotation.resealUnderCurrentKey()).isPositive();
            String after = sealed(user);
            assertThat(after).isNotEqualTo(before);
            assertThat(MasterKey.sealedUnder(after)).contains(rotated.currentId());
            assertThat(rotated.open(after, TotpSecretReseal.boundTo(user))).isEqualTo(enrolled.secret());
            assertThat(afterRotation.remainingUnderOtherKeys()).extracting(MasterKeyDependent.Remaining::what)
                    .doesNotContain("TOTP secrets (re-seal them)");
            assertThatThrownBy(() -> rotated.open(after, TotpSecretReseal.boundTo(UUID.randomUUID())))
                    .as("bound to its user").isInstanceOf(MasterKey.InvalidMasterKeyException.class);
        }
        finally {
            MasterKey back = MasterKey.fromSettings(TestServerInitializer.MASTER_KEY, newKey);
            new TotpSecretReseal(jdbcClient, back, transactions).resealUnderCurrentKey();
        }
        assertThat(totp.check(user, TestTotp.current(enrolled.secret()), TestTotp.origin()))
                .as("the server's key opens it again").isEqualTo(CodeCheck.TOTP_ACCEPTED);
    }

    private String sealed(UUID user) {
        return jdbc.queryForObject("SELECT secret_sealed FROM totp_factors WHERE user_id = ?", String.class, user);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
