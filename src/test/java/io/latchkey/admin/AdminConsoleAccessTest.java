package io.latchkey.admin;

import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.latchkey.account.Passkeys;
import io.latchkey.account.Permissions;
import io.latchkey.account.SecondFactor;
import io.latchkey.audit.AuditLog;
import io.latchkey.mfa.TotpSecondFactor;
import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

/**
 * Who may open the console: every {@code /admin} page and form, found in the handler mappings (so a page added
 * later is covered without being listed here), refuses a signed-in user without admin permissions with the 403
 * page; an admin with a second factor must have proved it in the session; a change needs a fresh sign-in.
 */
@IntegrationTest
class AdminConsoleAccessTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "admin console passphrase 31";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Autowired
    private Permissions permissions;

    @Autowired
    private SecondFactor secondFactor;

    @Autowired
    private Passkeys passkeys;

    @Autowired
    private AuditLog audit;

    @Autowired
    private TotpSecondFactor totp;

    @Test
    void aUserWithoutAdminPermissionsGetsTheForbiddenPageOnEveryConsolePageAndForm() {
        String email = TestUsers.uniqueEmail("not-admin");
        UUID user = createUser(email, PASSWORD);
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        String csrf = browser.get("/account").csrf();
        List<String> refused = new ArrayList<>();
        for (Route route : consoleRoutes()) {
            Browser.Response response = "GET".equals(route.method()) ? browser.get(route.path())
                    : browser.postForm(route.path(), Map.of("_csrf", csrf));
            assertThat(response.status()).as(route + " " + response.body()).isEqualTo(403);
            assertThat(response.header("Content-Type")).as(route.toString()).startsWith("text/html");
            assertThat(response.body()).as(route.toString()).contains("<h1").doesNotContain("Exception");
            refused.add(route.toString());
        }
        assertThat(refused).as("the console has pages").contains("GET /admin");
        Integer denials = jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE type = 'ACCESS_DENIED' "
                + "AND user_id = ? AND details LIKE '%permission%'", Integer.class, user);
        assertThat(denials).as("each refusal is in the audit trail").isGreaterThanOrEqualTo(refused.size());
    }

    @Test
    void everyConsoleFormRefusesARequestWithoutTheCsrfTokenEvenFromAnAdmin() {
        String email = admin("csrf-admin");
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        List<Route> forms = consoleRoutes().stream().filter(route -> "POST".equals(route.method())).toList();
        assertThat(forms).as("the console has forms").isNotEmpty();
        for (Route form : forms) {
            Browser.Response response = browser.postForm(form.path(), Map.of("name", "x"));
            assertThat(response.status()).as(form + " " + response.body()).isEqualTo(403);
        }
    }

    @Test
    void aSignedOutVisitorIsSentToSignIn() {
        Browser.Response response = new Browser().get("/admin");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.location()).isEqualTo(ISSUER + "/login");
    }

    @Test
    void anAdminSignedInWithAPasswordOpensTheConsole() {
        String email = admin("password-admin");
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        Browser.Response home = browser.get("/admin");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("id=\"admin-nav-clients\"");
    }

    @Test
    void anAdminWithASecondFactorMustProveItBeforeTheConsoleOpens() {
        String email = admin("totp-admin");
        UUID id = jdbc.queryForObject("SELECT id FROM users WHERE email = ?", UUID.class, email);
        Browser browser = new Browser();
        browser.signIn(email, PASSWORD);
        // enrolled after this session signed in: the session proved a password only
        TestTotp.Enrolled enrolled = TestTotp.enrol(totp, id);
        Browser.Response refused = browser.get("/admin");
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.location()).isEqualTo(ISSUER + "/login/second-factor");
        Browser.Response stepUp = browser.postForm("/login/second-factor",
                Map.of("code", TestTotp.current(enrolled.secret()), "_csrf", browser.get("/login/second-factor").csrf()));
        assertThat(stepUp.location()).as("back to the page that asked").isEqualTo(ISSUER + "/admin");
        assertThat(browser.get("/admin").status()).isEqualTo(200);
    }

    @Test
    void aChangeNeedsASignInNewerThanTheFreshSignInPeriod() {
        String email = admin("stale-admin");
        UUID id = jdbc.queryForObject("SELECT id FROM users WHERE email = ?", UUID.class, email);
        Duration fresh = Duration.ofMinutes(15);
        Instant signedIn = Instant.now();
        TestingAuthenticationToken session = new TestingAuthenticationToken(id.toString(), null,
                List.of(FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
                        .issuedAt(signedIn).build()));
        AdminConsoleAccess now = access(Clock.systemUTC(), fresh);
        AdminConsoleAccess later = access(Clock.offset(Clock.systemUTC(), fresh.plusMinutes(1)), fresh);

        assertThat(now.allowsChange(session, Permissions.CLIENTS_WRITE)).isTrue();
        assertThat(later.allows(session, Permissions.CLIENTS_READ)).as("reading needs no fresh sign-in").isTrue();
        assertThatThrownBy(() -> later.allowsChange(session, Permissions.CLIENTS_WRITE))
                .isInstanceOfSatisfying(StrongerSignInNeeded.class,
                        needed -> assertThat(needed.step()).isEqualTo(StrongerSignInNeeded.Step.FRESH_SIGN_IN));
    }

    private AdminConsoleAccess access(Clock clock, Duration fresh) {
        return new AdminConsoleAccess(permissions, secondFactor, passkeys, audit, new AdminProperties(fresh), clock);
    }

    private String admin(String prefix) {
        String email = TestUsers.uniqueEmail(prefix);
        UUID id = createUser(email, PASSWORD);
        jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'admin')", id);
        return email;
    }

    /** Every console page (GET), with each path variable filled in with a value that names nothing. */
    static List<String> consolePages(RequestMappingHandlerMapping mappings) {
        return consoleRoutes(mappings).stream().filter(route -> "GET".equals(route.method())).map(Route::path).toList();
    }

    private Set<Route> consoleRoutes() {
        return consoleRoutes(mappings);
    }

    /** Every console route, with each path variable filled in with a value that names nothing. */
    private static Set<Route> consoleRoutes(RequestMappingHandlerMapping mappings) {
        Set<Route> routes = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.equals("/admin") && !pattern.startsWith("/admin/")) {
                    continue;
                }
                String path = pattern.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
                if (methods.isEmpty() || methods.contains(RequestMethod.GET)) {
                    routes.add(new Route("GET", path));
                }
                if (methods.contains(RequestMethod.POST)) {
                    routes.add(new Route("POST", path));
                }
            }
        });
        return routes;
    }

    private record Route(String method, String path) implements Comparable<Route> {

        @Override
        public int compareTo(Route other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }
}
