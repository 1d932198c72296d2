package io.latchkey.clientregistration;

import java.net.http.HttpRequest;

import tools.jackson.databind.JsonNode;

import io.latchkey.support.Browser;
import io.latchkey.support.OAuth;

import static org.assertj.core.api.Assertions.assertThat;

/** Client-side calls of the registration and client configuration endpoints, for the tests. */
final class Registrations {

    static final String PATH = "/connect/register";

    private Registrations() {
    }

    static Browser.Response post(Browser browser, String bearer, String json) {
        return send(browser, "POST", PATH, bearer, json);
    }

    static Browser.Response send(Browser browser, String method, String path, String bearer, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(browser.resolve(path)).header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return browser.send(request.build());
    }

    /** A client-credentials access token of this client, with these scopes. */
    static String clientCredentialsToken(Browser browser, String clientId, String secret, String scope) {
        Browser.Response response = OAuth.post(browser, "/oauth2/token", clientId, secret,
                OAuth.form("grant_type", "client_credentials", "scope", scope));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response).get("access_token").asString();
    }

    /** Asserts the RFC 7591 section 3.2.2 error and returns its body. */
    static JsonNode error(Browser.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = OAuth.json(response);
        assertThat(body.get("error").asString()).as(response.body()).isEqualTo(error);
        assertThat(response.body()).doesNotContain("Exception", "at io.latchkey");
        return body;
    }
}
