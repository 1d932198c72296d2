package io.latchkey.admin;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import io.latchkey.support.AxeCore;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard (inline SVG charts), the signing keys and the audit trail (also with a refused filter) in a real
 * browser: no WCAG 2.2 A/AA violation found by axe-core, nothing refused by the Content-Security-Policy.
 */
@IntegrationTest
class KeysAuditDashboardAccessibilityTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "keys audit axe passphrase 5";

    @RegisterExtension
    static final BrowserSession chromium = new BrowserSession();

    @Test
    void theDashboardKeysAndAuditPagesHaveNoWcagViolationsAndNoCspErrors() {
        String email = TestUsers.uniqueEmail("axe-admin");
        UUID admin = createUser(email, PASSWORD);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'admin')", admin);
        chromium.open("/admin").signIn(email, PASSWORD).waitFor(By.id("sign-ins"));
        chromium.consoleErrors();
        for (String page : List.of("/admin", "/admin/keys", "/admin/audit", "/admin/audit?type=NOPE",
                "/admin?lang=de")) {
            chromium.open(page).waitFor(By.tagName("h1"));
            List<AxeCore.Violation> violations = AxeCore.violations(chromium.driver(), AxeCore.WCAG_22_A_AA);
            assertThat(violations).as(page + ":\n" + AxeCore.describe(violations)).isEmpty();
            assertThat(chromium.consoleErrors()).as(page).allSatisfy(error -> assertThat(error)
                    .doesNotContainIgnoringCase("Content Security Policy"));
        }
    }
}
