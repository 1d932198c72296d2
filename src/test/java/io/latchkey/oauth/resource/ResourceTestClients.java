package io.latchkey.oauth.resource;

import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import io.latchkey.client.ClientAdministration;
import io.latchkey.client.ClientDraft;
import io.latchkey.client.ClientExtensions;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.OAuth;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients made for the tests of resource indicators and token exchange, each with a unique id. */
public final class ResourceTestClients {

    public static final String REDIRECT = "http://127.0.0.1/resource-test-callback";

    private ResourceTestClients() {
    }

    /** A confidential client: its id and secret. */
    public record Client(String id, String secret, String resourceIndicator) {
    }

    /** A confidential web app with code, refresh and client credentials grants, no consent page. */
    public static Client app(ClientAdministration administration, String prefix, String scopes) {
        return app(administration, prefix, scopes, null);
    }

    /** {@link #app} with access tokens that live {@code accessTokenTtl}. */
    public static Client app(ClientAdministration administration, String prefix, String scopes,
            java.time.Duration accessTokenTtl) {
        String id = prefix + "-" + UUID.randomUUID();
        var issued = administration.create(id, new ClientDraft("App " + id, true,
                List.of("authorization_code", "refresh_token", "client_credentials"), List.of(REDIRECT), null,
                List.of(scopes.split(" ")), null, false, accessTokenTtl, null, null, null, null),
                ClientAdministration.ADMINISTERED, "test");
        return new Client(id, issued.secret(), null);
    }

    /**
     * A confidential resource server with a resource indicator of its own; with {@code exchangeTargets} it may
     * also exchange tokens for those.
     */
    public static Client resourceServer(ClientAdministration administration, String prefix, List<String> exchangeTargets) {
        String id = prefix + "-" + UUID.randomUUID();
        String indicator = "https://" + id + ".latchkey.test/api";
        List<String> grants = exchangeTargets.isEmpty() ? List.of("client_credentials")
                : List.of("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange");
        var issued = administration.create(id, new ClientDraft("Service " + id, true, grants, null, null,
                List.of("orders.read"), null, false, null, null, null, null, null)
                .withExtensions(new ClientExtensions(null, null, null, null, null, null, null, indicator,
                        exchangeTargets)),
                ClientAdministration.ADMINISTERED, "test");
        return new Client(id, issued.secret(), indicator);
    }

    /** The code flow of {@code app} for the user, with the extra authorization parameters; the token response. */
    public static JsonNode signIn(Browser browser, Client app, String email, String password, String scope,
            String... extra) {
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(app.id(), REDIRECT, scope, "s",
                verifier, extra), email, password);
        Browser.Response response = OAuth.post(browser, "/oauth2/token", app.id(), app.secret(),
                OAuth.form("grant_type", "authorization_code", "code", callback.locationParam("code"),
                        "redirect_uri", REDIRECT, "code_verifier", verifier));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    /** The JOSE header (0) or claims (1) of a JWT. */
    public static JsonNode part(String jwt, int index) {
        return OAuth.json(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[index]),
                java.nio.charset.StandardCharsets.UTF_8));
    }
}
