package io.latchkey.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * What a browser and a client application do against the server, over one worker's connection: sign in
 * through the hosted login form, run the authorization code flow with PKCE, call the token endpoint.
 * Every step checks the answer it expects and throws {@link UnexpectedResponse} otherwise.
 */
final class OAuthFlows {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpAgent agent;
    private final BenchClients clients;

    OAuthFlows(HttpAgent agent, BenchClients clients) {
        this.agent = agent;
        this.clients = clients;
    }

    HttpAgent agent() {
        return agent;
    }

    /**
     * Signs in through the hosted form in the given browser: GET /login for the CSRF token, POST /login.
     * Succeeds on a redirect anywhere but back to the login page ({@code /login?error}).
     */
    HttpAgent.Reply signIn(CookieJar browser, String email) throws IOException, InterruptedException, UnexpectedResponse {
        HttpAgent.Reply page = agent.get("/login", browser, "Accept", "text/html");
        expectStatus("login page", page, 200);
        Matcher csrf = CSRF.matcher(page.body());
        if (!csrf.find()) {
            throw new UnexpectedResponse("login page without a _csrf field", page);
        }
        HttpAgent.Reply posted = agent.postForm("/login", HttpAgent.form("username", email, "password",
                BenchUsers.PASSWORD, "_csrf", csrf.group(1)), browser, null, "text/html");
        expectStatus("login form post", posted, 302);
        if (posted.location() == null || URI.create(posted.location()).getPath().startsWith("/login")) {
            throw new UnexpectedResponse("login rejected", posted);
        }
        return posted;
    }

    /** The whole login of a user into the web client in a new browser, ending with the code exchange. */
    Tokens codeFlow(String email) throws IOException, InterruptedException, UnexpectedResponse {
        CookieJar browser = new CookieJar();
        String verifier = randomToken();
        String state = randomToken();
        String authorize = UriComponentsBuilder.fromUriString(agent.baseUrl() + "/oauth2/authorize")
                .queryParam("response_type", "code")
                .queryParam("client_id", BenchClients.WEB)
                .queryParam("redirect_uri", BenchClients.WEB_REDIRECT)
                .queryParam("scope", BenchClients.WEB_SCOPES)
                .queryParam("state", state)
                .queryParam("code_challenge", challenge(verifier))
                .queryParam("code_challenge_method", "S256")
                .encode().build().toUriString();

        HttpAgent.Reply toLogin = agent.get(authorize, browser, "Accept", "text/html");
        expectStatus("authorization request", toLogin, 302);
        if (!URI.create(toLogin.location()).getPath().equals("/login")) {
            throw new UnexpectedResponse("authorization request did not ask to sign in", toLogin);
        }
        HttpAgent.Reply resumed = signIn(browser, email);
        if (!URI.create(resumed.location()).getPath().equals("/oauth2/authorize")) {
            throw new UnexpectedResponse("login did not return to the authorization request", resumed);
        }
        HttpAgent.Reply callback = agent.get(resumed.location(), browser, "Accept", "text/html");
        expectStatus("resumed authorization request", callback, 302);
        if (!callback.location().startsWith(BenchClients.WEB_REDIRECT + "?")
                || !state.equals(queryParam(callback.location(), "state"))) {
            throw new UnexpectedResponse("no code sent back to the client", callback);
        }
        String code = queryParam(callback.location(), "code");
        if (code == null) {
            throw new UnexpectedResponse("callback without a code", callback);
        }
        HttpAgent.Reply exchanged = agent.postForm("/oauth2/token", HttpAgent.form("grant_type", "authorization_code",
                "code", code, "redirect_uri", BenchClients.WEB_REDIRECT, "code_verifier", verifier), null,
                clients.webBasic(), "application/json");
        return tokens("code exchange", exchanged);
    }

    /** Redeems a refresh token; the answer carries the next one (rotation). */
    Tokens refresh(String refreshToken) throws IOException, InterruptedException, UnexpectedResponse {
        HttpAgent.Reply refreshed = agent.postForm("/oauth2/token",
                HttpAgent.form("grant_type", "refresh_token", "refresh_token", refreshToken), null, clients.webBasic(),
                "application/json");
        return tokens("refresh", refreshed);
    }

    void clientCredentials(String basicAuthorization) throws IOException, InterruptedException, UnexpectedResponse {
        HttpAgent.Reply reply = agent.postForm("/oauth2/token",
                HttpAgent.form("grant_type", "client_credentials", "scope", "api.read"), null, basicAuthorization,
                "application/json");
        expectStatus("client credentials", reply, 200);
        if (!reply.body().contains("\"access_token\"")) {
            throw new UnexpectedResponse("client credentials answer without an access token", reply);
        }
    }

    void introspectActive(String token) throws IOException, InterruptedException, UnexpectedResponse {
        HttpAgent.Reply reply = agent.postForm("/oauth2/introspect",
                HttpAgent.form("token", token, "token_type_hint", "access_token"), null, clients.webBasic(),
                "application/json");
        expectStatus("introspection", reply, 200);
        if (!reply.body().replace(" ", "").contains("\"active\":true")) {
            throw new UnexpectedResponse("introspection says the token is not active", reply);
        }
    }

    void userInfo(String accessToken) throws IOException, InterruptedException, UnexpectedResponse {
        HttpAgent.Reply reply = agent.get("/userinfo", null, "Authorization", "Bearer " + accessToken,
                "Accept", "application/json");
        expectStatus("userinfo", reply, 200);
        if (!reply.body().contains("\"sub\"")) {
            throw new UnexpectedResponse("userinfo without sub", reply);
        }
    }

    void jwks() throws IOException, InterruptedException, UnexpectedResponse {
        HttpAgent.Reply reply = agent.get("/oauth2/jwks", null, "Accept", "application/json");
        expectStatus("jwks", reply, 200);
    }

    private static Tokens tokens(String step, HttpAgent.Reply reply) throws UnexpectedResponse {
        expectStatus(step, reply, 200);
        JsonNode json = JSON.readTree(reply.body());
        JsonNode access = json.get("access_token");
        JsonNode refresh = json.get("refresh_token");
        if (access == null || refresh == null) {
            throw new UnexpectedResponse(step + " answer without access and refresh tokens", reply);
        }
        return new Tokens(access.asString(), refresh.asString());
    }

    private static void expectStatus(String step, HttpAgent.Reply reply, int expected) throws UnexpectedResponse {
        if (reply.status() != expected) {
            throw new UnexpectedResponse(step + ": expected " + expected, reply);
        }
    }

    private static String queryParam(String url, String name) {
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    record Tokens(String accessToken, String refreshToken) {
    }

    /** The server answered something other than what the step expects: counted as an error. */
    static final class UnexpectedResponse extends Exception {

        UnexpectedResponse(String what, HttpAgent.Reply reply) {
            super(what + ": " + reply.describe(), null, false, false);
        }
    }
}
