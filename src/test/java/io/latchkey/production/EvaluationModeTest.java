package io.latchkey.production;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.latchkey.support.Browser;
import io.latchkey.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Evaluation mode (the test server's) stays what it was: plain HTTP on loopback works, cookies keep their names. */
@IntegrationTest
class EvaluationModeTest {

    @Test
    void noHstsAndPlainCookieNamesOverPlainHttp() {
        Browser.Response page = new Browser().get("/login?lang=de");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers()).doesNotContainKey("strict-transport-security");
        List<String> cookies = page.headers().getOrDefault("set-cookie", List.of());
        assertThat(cookies).isNotEmpty().anySatisfy(cookie -> assertThat(cookie).startsWith("latchkey-lang=de;"))
                .allSatisfy(cookie -> assertThat(cookie).doesNotStartWith("__Host-").doesNotContain("Secure"));
    }
}
