package io.latchkey.theme;

import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Pages follow the browser's language when there is a translation, and are English otherwise. */
@IntegrationTest
class PageLanguageTest {

    private final Browser browser = new Browser();

    @Test
    void loginPageSpeaksTheBrowsersLanguage() {
        assertThat(browser.get("/login", "Accept", "text/html", "Accept-Language", "de-DE,de;q=0.9").body())
                .contains("lang=\"de\"").contains("<h1>Anmelden</h1>").contains(">Passwort</label>");
        assertThat(browser.get("/login", "Accept", "text/html", "Accept-Language", "fr-FR").body())
                .contains("<h1>Sign in</h1>");
        assertThat(browser.get("/login").body()).contains("lang=\"en\"").contains("<h1>Sign in</h1>");
    }
}
