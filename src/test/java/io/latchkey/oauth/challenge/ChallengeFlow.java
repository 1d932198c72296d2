package io.latchkey.oauth.challenge;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.OAuth;

import static org.assertj.core.api.Assertions.assertThat;

/** A first-party client's side of the authorization challenge flow, for tests: the requests and their answers. */
final class ChallengeFlow {

    static final String PATH = AuthorizationChallenge.PATH;

    final Browser browser = new Browser();
    final String clientId;
    final String secret;
    final String verifier = OAuth.randomVerifier();
    private String clientIp;

    ChallengeFlow(String clientId, String secret) {
        this.clientId = clientId;
        this.secret = secret;
    }

    /** The first request: username, password, scope and a PKCE challenge. */
    Browser.Response start(String username, String password, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("response_type", "code");
        if (secret == null) {
            form.put("client_id", clientId);
        }
        form.put("username", username);
        form.put("password", password);
        if (scope != null) {
            form.put("scope", scope);
        }
        form.put("code_challenge", OAuth.challenge(verifier));
        form.put("code_challenge_method", "S256");
        return post(form);
    }

    /** A later request: the auth_session and a code. */
    Browser.Response proceed(String authSession, String otp) {
        Map<String, String> form = new LinkedHashMap<>();
        if (secret == null) {
            form.put("client_id", clientId);
        }
        form.put("auth_session", authSession);
        form.put("otp", otp);
        return post(form);
    }

    Browser.Response post(Map<String, String> form) {
        if (clientIp == null) {
            return OAuth.post(browser, PATH, clientId, secret, form);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", clientIp)
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(new ArrayList<>(form.entrySet()))));
        if (secret != null) {
            request.header("Authorization", OAuth.basic(clientId, secret));
        }
        return browser.send(request.build());
    }

    /** The same flow from another client IP (the test server trusts loopback as a proxy). */
    ChallengeFlow from(String ip) {
        this.clientIp = ip;
        return this;
    }

    /** The authorization code of a 200 answer. */
    static String code(Browser.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = OAuth.json(response);
        assertThat(body.size()).isEqualTo(1);
        return body.get("authorization_code").asString();
    }

    /** The token endpoint's answer to the code: no redirect_uri, the PKCE verifier. */
    Browser.Response redeem(String code) {
        return redeemAs(clientId, secret, code);
    }

    /** The code and this flow's verifier, presented by {@code clientId}. */
    Browser.Response redeemAs(String clientId, String secret, String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("code_verifier", verifier);
        if (secret == null) {
            form.put("client_id", clientId);
        }
        return OAuth.post(browser, "/oauth2/token", clientId, secret, form);
    }

    /** Asserts the answer is the error, in JSON, with the status the draft gives it; returns the body. */
    static JsonNode error(Browser.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = OAuth.json(response);
        assertThat(body.get("error").asString()).as(response.body()).isEqualTo(error);
        assertThat(body.get("error_description").asString()).isNotBlank();
        assertThat(body.has("authorization_code")).isFalse();
        assertThat(response.body()).doesNotContain("access_token");
        return body;
    }
}
