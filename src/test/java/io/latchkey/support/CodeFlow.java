package io.latchkey.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the authorization code flow through the hosted pages, over HTTP, as a browser would. */
public final class CodeFlow {

    private static final Pattern HIDDEN_STATE = Pattern.compile("name=\"state\"\\s+value=\"([^\"]+)\"");
    private static final Pattern SCOPE_BOX = Pattern.compile("name=\"scope\"[^>]*value=\"([^\"]+)\"");

    private CodeFlow() {
    }

    public static String authorizeUrl(String clientId, String redirectUri, String scope, String state, String verifier,
            String... extra) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(TestServerInitializer.ISSUER + "/oauth2/authorize")
                .queryParam("response_type", "code")
                .queryParam("client_id", clientId)
                .queryParam("redirect_uri", redirectUri)
                .queryParam("scope", scope)
                .queryParam("state", state);
        if (verifier != null) {
            uri.queryParam("code_challenge", OAuth.challenge(verifier)).queryParam("code_challenge_method", "S256");
        }
        for (int i = 0; i < extra.length; i += 2) {
            uri.queryParam(extra[i], extra[i + 1]);
        }
        return uri.encode().build().toUriString();
    }

    /**
     * From an authorization request to the redirect back to the client: signs in when the login page
     * appears and approves every requested scope when the consent page does.
     */
    public static Browser.Response run(Browser browser, String authorizeUrl, String email, String password) {
        Browser.Response response = browser.get(authorizeUrl);
        for (int step = 0; step < 6; step++) {
            if (!response.isRedirect()) {
                throw new AssertionError("Flow stopped at " + response.uri() + " with " + response.status() + ": "
                        + response.body());
            }
            String location = response.location();
            if (!location.startsWith(TestServerInitializer.ISSUER)) {
                return response;
            }
            if (location.startsWith(TestServerInitializer.ISSUER + "/login")) {
                response = browser.signIn(email, password);
            }
            else if (location.startsWith(TestServerInitializer.ISSUER + "/oauth2/consent")) {
                response = approveAll(browser, browser.get(location));
            }
            else {
                response = browser.get(location);
            }
        }
        throw new AssertionError("Too many redirects");
    }

    public static Browser.Response approveAll(Browser browser, Browser.Response consentPage) {
        assertThat(consentPage.status()).isEqualTo(200);
        assertThat(consentPage.body()).contains("id=\"submit-consent\"");
        List<Map.Entry<String, String>> form = new ArrayList<>();
        form.add(Map.entry("client_id", UriComponentsBuilder.fromUri(consentPage.uri()).build().getQueryParams()
                .getFirst("client_id")));
        form.add(Map.entry("state", group(HIDDEN_STATE, consentPage.body())));
        Matcher scopes = SCOPE_BOX.matcher(consentPage.body());
        while (scopes.find()) {
            form.add(Map.entry("scope", scopes.group(1)));
        }
        form.add(Map.entry("_csrf", consentPage.csrf()));
        return browser.postForm("/oauth2/authorize", form);
    }

    private static String group(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new AssertionError("Pattern " + pattern + " not in page: " + body);
        }
        return matcher.group(1);
    }
}
