package io.latchkey.admin;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.latchkey.support.AxeCore;
import io.latchkey.support.BrowserSession;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.PageScreenshots;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every section of the admin console in a real browser — the dashboard (inline SVG charts), clients (list, a client,
 * the registration form, also with every error shown), users, a user, roles, signing keys and the audit trail (also
 * with a refused filter), in English and one page in German: no WCAG 2.2 A/AA violation found by axe-core, nothing
 * refused by the Content-Security-Policy. Screenshots go to {@code target/screenshots/admin-*.png} for review.
 */
@IntegrationTest
class AdminConsoleAccessibilityTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "keys audit axe passphrase 5";

    @RegisterExtension
    static final BrowserSession chromium = new BrowserSession();

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void theDashboardKeysAndAuditPagesHaveNoWcagViolationsAndNoCspErrors() {
        String email = TestUsers.uniqueEmail("axe-admin");
        UUID admin = createUser(email, PASSWORD);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'admin')", admin);
        chromium.open("/admin").signIn(email, PASSWORD).waitFor(By.id("sign-ins"));
        chromium.consoleErrors();
        for (String page : List.of("/admin", "/admin/keys", "/admin/audit", "/admin/audit?type=NOPE",
                "/admin/clients", "/admin/clients/" + CONFIDENTIAL_CLIENT, "/admin/clients/new", "/admin/users",
                "/admin/users/" + admin, "/admin/roles", "/admin/clients/new?lang=de", "/admin?lang=de")) {
            chromium.open(page).waitFor(By.tagName("h1"));
            assertNoViolations(page);
        }
        chromium.open("/admin/clients/new?lang=en").waitFor(By.id("redirectUris"));
        chromium.driver().findElement(By.id("redirectUris")).sendKeys("javascript:alert(1)");
        chromium.submit("save-client").waitFor(By.tagName("h1"));
        assertThat(chromium.driver().getPageSource()).contains("javascript:alert(1)");
        assertNoViolations("/admin/clients/new with errors");
    }

    /**
     * As a user without admin permissions sees the console in Chromium: every page of it (from the handler mappings, as
     * in {@link AdminConsoleAccessTest}) is the "Not allowed" page, and nothing of the console shows.
     */
    @Test
    void aUserWithoutAdminPermissionsSeesTheForbiddenPageOnEveryConsolePage() {
        String email = TestUsers.uniqueEmail("axe-not-admin");
        createUser(email, PASSWORD);
        chromium.open("/account").signIn(email, PASSWORD).waitFor(By.id("account-email"));
        List<String> pages = AdminConsoleAccessTest.consolePages(mappings);
        assertThat(pages).contains("/admin", "/admin/clients", "/admin/users", "/admin/roles", "/admin/keys",
                "/admin/audit");
        for (String page : pages) {
            chromium.open(page + "?lang=en").waitFor(By.id("error-heading"));
            assertThat(chromium.driver().findElement(By.id("error-heading")).getText()).as(page).isEqualTo("Not allowed");
            assertThat(chromium.driver().findElements(By.className("admin-nav"))).as(page).isEmpty();
        }
    }

    private void assertNoViolations(String page) {
        StringBuilder violations = new StringBuilder();
        String name = page.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
        PageScreenshots.capture(chromium.driver(), name, width -> {
            List<AxeCore.Violation> found = AxeCore.violations(chromium.driver(), AxeCore.WCAG_22_A_AA);
            if (!found.isEmpty()) {
                violations.append("at ").append(width).append(" px:\n").append(AxeCore.describe(found));
            }
        });
        assertThat(violations).as(page).isEmpty();
        assertThat(chromium.consoleErrors()).as(page).allSatisfy(error -> assertThat(error)
                .doesNotContainIgnoringCase("Content Security Policy"));
    }
}
