package io.latchkey.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which redirect URIs a client may register (RFC 9700 section 2.1, RFC 8252 sections 7.1 and 7.3). */
class RedirectUriRuleTest {

    @ParameterizedTest
    @ValueSource(strings = { "https://app.example.com/callback", "https://app.example.com:8443/cb?tenant=1",
            "HTTPS://APP.EXAMPLE.COM/callback", "http://127.0.0.1/callback", "http://127.0.0.1:8080/callback",
            "http://[::1]/callback", "http://[::1]:51000/cb", "http://localhost/callback", "http://LocalHost:3000/",
            "com.example.app:/oauth2redirect", "com.example.app://callback", "io.latchkey.cli:/done" })
    void allowed(String uri) {
        assertThat(RedirectUriRule.violation(uri)).as(uri).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://app.example.com/callback", "http://127.0.0.2/callback", "http://10.0.0.1/cb",
            "http://localhost.example.com/cb", "http://127.0.0.1.nip.io/cb", "HTTP://app.example.com/" })
    void httpOnlyOnLoopback(String uri) {
        assertThat(RedirectUriRule.violation(uri)).as(uri).hasValue(
                "may use http only on 127.0.0.1, [::1] or localhost: use https");
    }

    @ParameterizedTest
    @ValueSource(strings = { "javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD4=",
            "file:///etc/passwd", "vbscript:msgbox", "ftp://files.example.com/", "myapp://callback", "about:blank" })
    void dangerousAndUnqualifiedSchemesAreRefused(String uri) {
        assertThat(RedirectUriRule.violation(uri)).as(uri).hasValueSatisfying(violation -> assertThat(violation)
                .startsWith("uses the scheme '").contains("private-use scheme in reverse domain notation"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://app.example.com/callback#section", "https://app.example.com/callback#",
            "com.example.app:/callback#x", "http://127.0.0.1/cb#" })
    void fragmentsAreRefused(String uri) {
        assertThat(RedirectUriRule.violation(uri)).as(uri).hasValue("must not have a fragment");
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://*.example.com/callback", "https://app.example.com/*", "com.example.*:/cb",
            "http://127.0.0.1:*/callback" })
    void wildcardsAreRefused(String uri) {
        assertThat(RedirectUriRule.violation(uri)).as(uri).hasValue("must not contain a wildcard");
    }

    @ParameterizedTest
    @ValueSource(strings = { "https:///callback", "https:/callback", "http:/callback",
            "https://user:pass@app.example.com/cb", "http://127.0.0.1@evil.example.com/cb",
            "http://attacker@127.0.0.1/cb" })
    void webUrisNeedAHostAndNoUser(String uri) {
        assertThat(RedirectUriRule.violation(uri)).as(uri).hasValue("must name a host, and no user");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/callback", "callback", "//app.example.com/callback" })
    void relativeUrisAreRefused(String uri) {
        assertThat(RedirectUriRule.violation(uri)).as(uri).hasValue("must be an absolute URI");
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://app.example.com/call back", "https://app.example.com/<script>", "https://[::1" })
    void unparseableUrisAreRefused(String uri) {
        assertThat(RedirectUriRule.violation(uri)).as(uri).hasValue("is not a valid URI");
    }
}
