package io.latchkey.mfa;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.latchkey.account.AttemptOrigin;
import io.latchkey.account.SecondFactor;
import io.latchkey.account.SecondFactor.CodeCheck;
import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestMailbox;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.RATE_LIMIT_ACCOUNT_FAILURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The second factor's rules against the real database: the secret sealed, recovery codes hashed and single use,
 * a code accepted once per time step, wrong codes counted toward the lock, and fresh codes for every change.
 */
@IntegrationTest
class TotpSecondFactorTest extends UsersInDatabaseTest {

    @Autowired
    TotpSecondFactor totp;

    @Autowired
    SecondFactor secondFactor;

    @Test
    void enrolmentSealsTheSecretAndStoresOnlyHashesOfTheRecoveryCodesShownOnce() {
        String email = TestUsers.uniqueEmail("enrol");
        UUID user = createUser(email, "enrolment passphrase 1");
        assertThat(secondFactor).isSameAs(totp);
        assertThat(totp.isEnrolled(user)).isFalse();

        TotpSecondFactor.Enrolment enrolment = totp.beginEnrolment(user).orElseThrow();
        assertThat(TestTotp.decode(enrolment.secret())).hasSize(20);
        assertThat(enrolment.manualKey().replace(" ", "")).isEqualTo(enrolment.secret());
        assertThat(enrolment.uri()).startsWith("otpauth://totp/Latchkey:" + email.replace("@", "%40") + "?secret="
                + enrolment.secret() + "&issuer=Latchkey");
        assertThat(enrolment.qrCodeSvg()).startsWith("<svg").contains("<path").doesNotContain("style=")
                .doesNotContain("<script");
        assertThat(totp.pendingEnrolment(user).orElseThrow().secret()).isEqualTo(enrolment.secret());
        assertThat(totp.isEnrolled(user)).as("pending only").isFalse();
        assertThat(totp.check(user, TestTotp.current(enrolment.secret()), TestTotp.origin()))
                .as("a pending enrolment is no second factor").isEqualTo(CodeCheck.REFUSED);

        TotpSecondFactor.NewRecoveryCodes confirmed = totp.confirmEnrolment(user,
                TestTotp.previous(enrolment.secret()), TestTotp.origin());
        assertThat(confirmed.accepted()).isTrue();
        assertThat(confirmed.codes()).hasSize(10).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z2-9]{5}-[a-z2-9]{5}"));
        assertThat(totp.isEnrolled(user)).isTrue();
        assertThat(totp.beginEnrolment(user)).as("one authenticator at a time").isEmpty();

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM totp_factors WHERE user_id = ?", user);
        String sealed = (String) row.get("secret_sealed");
        assertThat(sealed).doesNotContain(enrolment.secret()).doesNotContain(enrolment.secret().toLowerCase())
                .matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(row.get("confirmed_at")).isNotNull();
        List<String> hashes = jdbc.queryForList("SELECT code_hash FROM recovery_codes WHERE user_id = ?",
                String.class, user);
        assertThat(hashes).hasSize(10).allMatch(hash -> hash.matches("[0-9a-f]{64}"));
        for (String code : confirmed.codes()) {
            assertThat(hashes).noneMatch(hash -> hash.contains(code.replace("-", "")));
        }
        assertThat(auditTypes(user)).contains("SECOND_FACTOR_ENROLLED");
        assertThat(TestMailbox.subject(TestMailbox.awaitMessage(email, 1)))
                .isEqualTo("A second factor was added to your account");
    }

    @Test
    void aCodeIsAcceptedOncePerTimeStepAndARecoveryCodeOnlyOnce() {
        UUID user = createUser(TestUsers.uniqueEmail("codes"), "code passphrase 1");
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);

        String current = TestTotp.current(enrolled.secret());
        assertThat(totp.check(user, current, TestTotp.origin())).isEqualTo(CodeCheck.TOTP_ACCEPTED);
        assertThat(totp.check(user, current, TestTotp.origin())).as("replayed").isEqualTo(CodeCheck.REFUSED);
        assertThat(totp.check(user, TestTotp.previous(enrolled.secret()), TestTotp.origin()))
                .as("an older step after a newer one").isEqualTo(CodeCheck.REFUSED);
        assertThat(totp.check(user, TestTotp.next(enrolled.secret()), TestTotp.origin()))
                .isEqualTo(CodeCheck.TOTP_ACCEPTED);

        String recovery = enrolled.recoveryCodes().get(3);
        assertThat(totp.check(user, " " + recovery.toUpperCase() + " ", TestTotp.origin()))
                .isEqualTo(CodeCheck.RECOVERY_CODE_ACCEPTED);
        assertThat(totp.check(user, recovery, TestTotp.origin())).as("spent").isEqualTo(CodeCheck.REFUSED);
        assertThat(totp.recoveryCodesLeft(user)).isEqualTo(9);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NOT NULL",
                Long.class, user)).isEqualTo(1);

        for (String garbage : new String[] { null, "", "12345", "1234567", "abc\u0000def", "'; DROP TABLE users; --",
                "<script>alert(1)</script>", "x".repeat(10_000), "１２３４５６" }) {
            assertThat(totp.check(user, garbage, TestTotp.origin())).isEqualTo(CodeCheck.REFUSED);
        }
        assertThat(auditTypes(user)).contains("RECOVERY_CODE_USED", "SECOND_FACTOR_CODE_REFUSED");
        assertThat(totp.check(UUID.randomUUID(), "123456", TestTotp.origin())).as("no such user")
                .isEqualTo(CodeCheck.REFUSED);
    }

    @Test
    void wrongCodesCountTowardTheLockAndALockedAccountRefusesEvenTheRightCode() {
        String email = TestUsers.uniqueEmail("guess");
        UUID user = createUser(email, "guessing passphrase 1");
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        String wrong = TestTotp.wrong(enrolled.secret());
        for (int i = 0; i < RATE_LIMIT_ACCOUNT_FAILURES; i++) {
            assertThat(totp.check(user, wrong, AttemptOrigin.untrusted("198.18.1." + (i + 1))))
                    .isEqualTo(CodeCheck.REFUSED);
        }
        assertThat(jdbc.queryForObject("SELECT locked_until FROM users WHERE id = ?", java.sql.Timestamp.class, user))
                .as("locked after the account's failures").isNotNull();
        assertThat(totp.check(user, TestTotp.current(enrolled.secret()), AttemptOrigin.untrusted("198.18.1.99")))
                .isEqualTo(CodeCheck.REFUSED);
        assertThat(totp.check(user, enrolled.recoveryCodes().get(0), AttemptOrigin.untrusted("198.18.1.98")))
                .isEqualTo(CodeCheck.REFUSED);
        assertThat(totp.recoveryCodesLeft(user)).as("no code spent while locked").isEqualTo(10);
        assertThat(auditTypes(user)).contains("ACCOUNT_LOCKED");
    }

    @Test
    void oneClientGuessingIsThrottled() {
        UUID user = createUser(TestUsers.uniqueEmail("throttle"), "throttle passphrase 1");
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        AttemptOrigin guesser = AttemptOrigin.untrusted("198.18.2.7");
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                totp.check(user, TestTotp.wrong(enrolled.secret()), guesser);
            }
        }).isInstanceOf(RateLimitExceededException.class);
        assertThat(auditTypes(user)).contains("SECOND_FACTOR_THROTTLED");
    }

    @Test
    void regeneratingAndDisablingNeedAFreshCode() {
        String email = TestUsers.uniqueEmail("manage");
        UUID user = createUser(email, "manage passphrase 1");
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, user);
        List<String> hashesBefore = jdbc.queryForList("SELECT code_hash FROM recovery_codes WHERE user_id = ?",
                String.class, user);

        assertThat(totp.regenerateRecoveryCodes(user, TestTotp.wrong(enrolled.secret()), TestTotp.origin()).accepted())
                .isFalse();
        String used = TestTotp.current(enrolled.secret());
        TotpSecondFactor.NewRecoveryCodes fresh = totp.regenerateRecoveryCodes(user, used, TestTotp.origin());
        assertThat(fresh.accepted()).isTrue();
        assertThat(fresh.codes()).hasSize(10).doesNotContainAnyElementsOf(enrolled.recoveryCodes());
        assertThat(jdbc.queryForList("SELECT code_hash FROM recovery_codes WHERE user_id = ?", String.class, user))
                .hasSize(10).doesNotContainAnyElementsOf(hashesBefore);
        assertThat(totp.check(user, enrolled.recoveryCodes().get(0), TestTotp.origin())).as("old codes are void")
                .isEqualTo(CodeCheck.REFUSED);

        assertThat(totp.disable(user, used, TestTotp.origin()))
                .as("not fresh: the code was used").isEqualTo(CodeCheck.REFUSED);
        assertThat(totp.isEnrolled(user)).isTrue();
        assertThat(totp.disable(user, fresh.codes().get(0), TestTotp.origin()))
                .isEqualTo(CodeCheck.RECOVERY_CODE_ACCEPTED);
        assertThat(totp.isEnrolled(user)).isFalse();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?", Long.class, user))
                .isZero();
        assertThat(auditTypes(user)).contains("RECOVERY_CODES_REGENERATED", "SECOND_FACTOR_DISABLED");
        // the mails go out after the answers
        TestMailbox.awaitMessage(email, 3);
        assertThat(TestMailbox.messagesTo(email)).extracting(TestMailbox::subject).contains(
                "A second factor was added to your account", "New recovery codes for your account",
                "The second factor of your account was removed");
    }

    private List<String> auditTypes(UUID user) {
        return jdbc.queryForList("SELECT type FROM audit_events WHERE user_id = ?", String.class, user);
    }
}
