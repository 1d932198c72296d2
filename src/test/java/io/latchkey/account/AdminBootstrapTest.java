package io.latchkey.account;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.ResourceBundleMessageSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configured first administrator's password meets the same policy as every other password. */
class AdminBootstrapTest {

    private final PasswordPolicy policy = new PasswordPolicy(12);
    private final ResourceBundleMessageSource messages = new ResourceBundleMessageSource();

    AdminBootstrapTest() {
        messages.setBasename("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
    }

    @Test
    void aPasswordOverBcryptsSeventyTwoBytesStopsStartUpWithTheReason() {
        assertThatThrownBy(() -> bootstrap("\u00e9".repeat(50))).isInstanceOf(IllegalStateException.class)
                .hasMessage("latchkey.bootstrap.admin-password: The password is too long: at most 72 bytes, which is "
                        + "72 plain letters, digits and symbols, fewer with accented letters, other scripts or emoji.");
    }

    @Test
    void everyOtherRuleOfThePolicyAppliesToo() {
        assertThatThrownBy(() -> bootstrap("short")).hasMessage("latchkey.bootstrap.admin-password: The password is too short.");
        assertThatThrownBy(() -> bootstrap("password12345")).hasMessageContaining("too common");
        assertThatThrownBy(() -> bootstrap("admin@example.com")).hasMessageContaining("must not be your email address");
    }

    @Test
    void aGoodPasswordOrNoneAtAllIsAccepted() {
        assertThatCode(() -> bootstrap("a long admin passphrase")).doesNotThrowAnyException();
        assertThatCode(() -> bootstrap("")).doesNotThrowAnyException();
    }

    /** Only the configuration is looked at when the bootstrap is made; nothing else is needed for that. */
    private AdminBootstrap bootstrap(String password) {
        return new AdminBootstrap(null, null, policy, messages, null, null, null, "admin@example.com", password);
    }
}
