package io.latchkey.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.JsonNode;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.OAuth;

import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** What the session tests share: signing in on a given instance, counting session rows, catching SessionEnded. */
final class SessionTestSupport {

    static final String CHROME_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/126.0.0.0 Safari/537.36";
    static final String FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 "
            + "Firefox/127.0";

    private SessionTestSupport() {
    }

    /** Signs in through the login form of the instance at {@code base}; asserts it worked. */
    static Browser.Response signIn(Browser browser, String base, String email, String password, String userAgent) {
        Browser.Response page = browser.get(base + "/login", "Accept", "text/html", "User-Agent", userAgent);
        Browser.Response signedIn = browser.postForm(base + "/login",
                Map.of("username", email, "password", password, "_csrf", page.csrf()), "Accept", "text/html",
                "User-Agent", userAgent);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.location()).doesNotContain("error");
        return signedIn;
    }

    static Browser.Response signIn(Browser browser, String base, String email, String password) {
        return signIn(browser, base, email, password, CHROME_ON_LINUX);
    }

    /** The session rows of the user, in the shared store. */
    static int rows(JdbcTemplate jdbc, UUID userId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM SPRING_SESSION WHERE PRINCIPAL_NAME = ?", Integer.class,
                userId.toString());
    }

    static Set<String> allSessionIds(JdbcTemplate jdbc) {
        return new HashSet<>(jdbc.queryForList("SELECT SESSION_ID FROM SPRING_SESSION", String.class));
    }

    /** Collects every SessionEnded the instance publishes from now on. */
    static List<SessionEnded> recordEnded(ConfigurableApplicationContext instance) {
        List<SessionEnded> ended = new CopyOnWriteArrayList<>();
        instance.addApplicationListener(ApplicationListener.<SessionEnded>forPayload(ended::add));
        return ended;
    }

    /** An access token for the first-party API (latchkey.account), from the code flow in a browser of its own. */
    static String apiToken(String email, String password) {
        String verifier = OAuth.randomVerifier();
        Browser own = new Browser();
        Browser.Response callback = CodeFlow.run(own, CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                "openid latchkey.account", "s", verifier), email, password);
        Browser.Response response = OAuth.post(own, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", TRUSTED_REDIRECT, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    static JsonNode claims(String jwt) {
        return OAuth.json(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
