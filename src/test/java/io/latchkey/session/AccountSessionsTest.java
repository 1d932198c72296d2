package io.latchkey.session;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.session.SessionTestSupport.CHROME_ON_LINUX;
import static io.latchkey.session.SessionTestSupport.FIREFOX_ON_WINDOWS;
import static io.latchkey.session.SessionTestSupport.recordEnded;
import static io.latchkey.session.SessionTestSupport.rows;
import static io.latchkey.session.SessionTestSupport.signIn;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

/** The account page lists the user's sessions and ends any of them. */
@IntegrationTest
class AccountSessionsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "my sessions, my choice";
    private static final Pattern END_BUTTON = Pattern.compile("id=\"end-session-([A-Za-z0-9_-]+)\"");

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void thePageListsEverySessionWithItsDeviceAndEndsTheOneChosen() {
        String email = TestUsers.uniqueEmail("my-sessions");
        UUID userId = createUser(email, PASSWORD);
        Browser laptop = new Browser();
        signIn(laptop, ISSUER, email, PASSWORD, CHROME_ON_LINUX);
        Browser desktop = new Browser();
        signIn(desktop, ISSUER, email, PASSWORD, FIREFOX_ON_WINDOWS);

        Browser.Response page = laptop.get("/account", "Accept", "text/html", "User-Agent", CHROME_ON_LINUX);
        assertThat(page.body()).contains("Active sessions").contains("Chrome on Linux").contains("Firefox on Windows")
                .contains("This device").contains("127.0.0.1").contains("Signed in ").contains("Last seen ");
        List<String> handles = handles(page.body());
        assertThat(handles).hasSize(2);
        // the page never shows a session id, only handles
        jdbc.queryForList("SELECT SESSION_ID FROM SPRING_SESSION WHERE PRINCIPAL_NAME = ?", String.class,
                userId.toString()).forEach(id -> assertThat(page.body()).doesNotContain(id.trim()));
        String desktopHandle = handleOf(page.body(), "Firefox on Windows");

        List<SessionEnded> ended = recordEnded(context);
        // without a CSRF token nothing ends
        assertThat(laptop.postForm("/account/sessions/end", Map.of("session", desktopHandle)).status()).isEqualTo(403);
        assertThat(rows(jdbc, userId)).isEqualTo(2);

        Browser.Response endedOther = laptop.postForm("/account/sessions/end",
                Map.of("session", desktopHandle, "_csrf", page.csrf()));
        assertThat(endedOther.location()).isEqualTo(ISSUER + "/account?saved=sessionEnded");
        assertThat(ended).hasSize(1);
        assertThat(rows(jdbc, userId)).isEqualTo(1);
        assertThat(desktop.get("/account").location()).isEqualTo(ISSUER + "/login");
        Browser.Response after = laptop.get(endedOther.location());
        assertThat(after.body()).contains("The session was ended.");
        // the session list no longer has it (the recent sign-ins below it still name that sign-in's device)
        assertThat(sessionList(after.body())).contains("Chrome on Linux").doesNotContain("Firefox on Windows");

        // an unknown handle, or another user's, ends nothing
        assertThat(laptop.postForm("/account/sessions/end", Map.of("session", "no-such-handle", "_csrf", after.csrf()))
                .location()).isEqualTo(ISSUER + "/account");
        assertThat(rows(jdbc, userId)).isEqualTo(1);

        // ending this device's session signs out
        Browser.Response endedCurrent = laptop.postForm("/account/sessions/end",
                Map.of("session", handles(after.body()).get(0), "_csrf", after.csrf()));
        assertThat(endedCurrent.location()).isEqualTo(ISSUER + "/login?logout");
        assertThat(ended).hasSize(2);
        assertThat(rows(jdbc, userId)).isZero();
        assertThat(laptop.get("/account").location()).isEqualTo(ISSUER + "/login");
    }

    @Test
    void signingOutAllOtherSessionsKeepsThisOne() {
        String email = TestUsers.uniqueEmail("others");
        UUID userId = createUser(email, PASSWORD);
        Browser here = new Browser();
        signIn(here, ISSUER, email, PASSWORD);
        Browser there = new Browser();
        signIn(there, ISSUER, email, PASSWORD);
        Browser third = new Browser();
        signIn(third, ISSUER, email, PASSWORD);
        Browser.Response page = here.get("/account");
        Browser.Response done = here.postForm("/account/sessions/end-others", Map.of("_csrf", page.csrf()));
        assertThat(done.location()).isEqualTo(ISSUER + "/account?saved=otherSessionsEnded");
        assertThat(rows(jdbc, userId)).isEqualTo(1);
        assertThat(here.get("/account").status()).isEqualTo(200);
        assertThat(there.get("/account").location()).isEqualTo(ISSUER + "/login");
        assertThat(third.get("/account").location()).isEqualTo(ISSUER + "/login");
    }

    @Test
    void theListIsInGermanToo() {
        String email = TestUsers.uniqueEmail("sitzungen");
        createUser(email, PASSWORD);
        Browser browser = new Browser();
        signIn(browser, ISSUER, email, PASSWORD, FIREFOX_ON_WINDOWS);
        Browser.Response page = browser.get("/account", "Accept", "text/html", "Accept-Language", "de");
        assertThat(page.body()).contains("Aktive Sitzungen").contains("Firefox unter Windows")
                .contains("Dieses Gerät").contains("Abmelden");
    }

    private static List<String> handles(String body) {
        Matcher matcher = END_BUTTON.matcher(body);
        List<String> handles = new java.util.ArrayList<>();
        while (matcher.find()) {
            handles.add(matcher.group(1));
        }
        return handles;
    }

    private static String sessionList(String body) {
        int start = body.indexOf("<ul class=\"sessions\">");
        assertThat(start).as("the session list in " + body).isNotNegative();
        return body.substring(start, body.indexOf("</ul>", start));
    }

    private static String handleOf(String body, String device) {
        Matcher matcher = Pattern.compile("id=\"session-([A-Za-z0-9_-]+)\"[^>]*>\\s*<strong>" + device).matcher(body);
        assertThat(matcher.find()).as(device + " in " + body).isTrue();
        return matcher.group(1);
    }
}
