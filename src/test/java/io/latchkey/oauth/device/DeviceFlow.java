package io.latchkey.oauth.device;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestServerInitializer;

import static org.assertj.core.api.Assertions.assertThat;

/** The device flow over HTTP, as a device and as the user's browser on the activation page. */
final class DeviceFlow {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    private static final Pattern HIDDEN = Pattern.compile("name=\"(state|scope|client_id|user_code)\"\\s+value=\"([^\"]*)\"");

    private final Browser device = new Browser();
    private final String clientId;
    private final String secret;
    private final String clientIp;

    DeviceFlow(String clientId, String secret, String clientIp) {
        this.clientId = clientId;
        this.secret = secret;
        this.clientIp = clientIp;
    }

    /** The device authorization request; {@code extra} are more form fields (key, value, ...). */
    Browser.Response start(String scope, String... extra) {
        List<String> fields = new ArrayList<>();
        if (scope != null) {
            fields.add("scope");
            fields.add(scope);
        }
        fields.addAll(List.of(extra));
        return post("/oauth2/device_authorization", fields);
    }

    JsonNode started(String scope) {
        Browser.Response response = start(scope);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    Browser.Response poll(String deviceCode) {
        return post("/oauth2/token", List.of("grant_type", GRANT_TYPE, "device_code", deviceCode));
    }

    private Browser.Response post(String path, List<String> fields) {
        List<Map.Entry<String, String>> form = new ArrayList<>();
        for (int i = 0; i < fields.size(); i += 2) {
            form.add(Map.entry(fields.get(i), fields.get(i + 1)));
        }
        List<String> headers = new ArrayList<>(List.of("Accept", "application/json", "X-Forwarded-For", clientIp));
        if (secret != null) {
            headers.addAll(List.of("Authorization", OAuth.basic(clientId, secret)));
        }
        else {
            form.add(Map.entry("client_id", clientId));
        }
        return device.postForm(path, form, headers.toArray(String[]::new));
    }

    static String error(Browser.Response response) {
        return OAuth.json(response).get("error").asString();
    }

    /**
     * The user's browser from {@code verification_uri_complete} to the consent step: signs in when asked, checks the
     * code is filled in (never approved by arriving), submits it, and answers the page the verification endpoint
     * sends it to, which must be the consent step.
     */
    static Browser.Response consentPage(Browser browser, String verificationUriComplete, String email, String password,
            String clientIp) {
        Browser.Response page = browser.get(verificationUriComplete, "Accept", "text/html", "X-Forwarded-For", clientIp);
        if (page.isRedirect() && page.location().contains("/login")) {
            Browser.Response signedIn = browser.signIn(email, password);
            assertThat(signedIn.location()).as("back to the activation page after sign-in")
                    .startsWith(TestServerInitializer.ISSUER + "/activate");
            page = browser.get(signedIn.location(), "Accept", "text/html", "X-Forwarded-For", clientIp);
        }
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        String userCode = verificationUriComplete.substring(verificationUriComplete.indexOf("user_code=") + 10);
        assertThat(page.body()).contains("value=\"" + userCode + "\"");
        Browser.Response submitted = submitCode(browser, page, userCode, clientIp);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(302);
        Browser.Response consent = browser.follow(submitted);
        assertThat(consent.uri().getPath()).isEqualTo("/activate/consent");
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        return consent;
    }

    static Browser.Response submitCode(Browser browser, Browser.Response page, String typed, String clientIp) {
        return browser.postForm("/activate", List.of(Map.entry("user_code", typed), Map.entry("_csrf", page.csrf())),
                "X-Forwarded-For", clientIp);
    }

    /** Approves ({@code approve}) or denies on the consent step; answers the page the browser ends on. */
    static Browser.Response answer(Browser browser, Browser.Response consent, boolean approve) {
        List<Map.Entry<String, String>> form = new ArrayList<>();
        Matcher hidden = HIDDEN.matcher(consent.body());
        while (hidden.find()) {
            if (approve || !"scope".equals(hidden.group(1))) {
                Map.Entry<String, String> field = Map.entry(hidden.group(1), unescape(hidden.group(2)));
                if (!form.contains(field)) {
                    form.add(field);
                }
            }
        }
        form.add(Map.entry("_csrf", consent.csrf()));
        Browser.Response answered = browser.postForm("/oauth2/device_verification", form);
        assertThat(answered.status()).as(answered.body()).isEqualTo(302);
        return browser.follow(answered);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#39;", "'");
    }
}
