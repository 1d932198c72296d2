package io.latchkey.oauth.authorize;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The form-action source of a form post page: as narrow as CSP can write the redirect URI. */
class FormPostResponseTest {

    @Test
    void theRedirectUriWithoutItsQueryWhereCspCanWriteIt() {
        assertThat(FormPostResponse.formAction("https://app.example/cb?tenant=1")).isEqualTo("https://app.example/cb");
        assertThat(FormPostResponse.formAction("http://127.0.0.1:53123/callback"))
                .isEqualTo("http://127.0.0.1:53123/callback");
    }

    @Test
    void itsOriginOrSchemeWhereCspCannot() {
        assertThat(FormPostResponse.formAction("https://app.example/a;b,c")).isEqualTo("https://app.example");
        assertThat(FormPostResponse.formAction("http://[::1]:8080/callback")).isEqualTo("http:");
        assertThat(FormPostResponse.formAction("com.example.app:/callback")).isEqualTo("com.example.app:");
    }
}
