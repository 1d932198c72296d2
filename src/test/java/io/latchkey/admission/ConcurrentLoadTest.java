package io.latchkey.admission;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 requests at once, over real HTTP, against a server with a pool of 10 connections, at each endpoint
 * alone and at all of them mixed. Every answer must be well formed and none a 500; endpoints that hash no
 * password must answer every request (they queue, they are not refused); the password endpoints may
 * refuse with 503 or 429, always with {@code Retry-After}; nothing hangs. Latency is not asserted here:
 * it belongs to the benchmark.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ConcurrentLoadTest extends UsersInDatabaseTest {

    static final int CONCURRENCY = 64;
    private static final String PASSWORD = "concurrent load passphrase";
    private static final int USERS = 8;
    private static final ExecutorService THREADS = Executors.newFixedThreadPool(CONCURRENCY);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).executor(THREADS).connectTimeout(Duration.ofSeconds(30)).build();

    @Autowired
    Admission admission;

    private final List<String> emails = new ArrayList<>();
    private Browser session;

    @AfterAll
    static void stopThreads() {
        THREADS.shutdownNow();
    }

    @BeforeEach
    void createUsers() {
        String hash = passwordEncoder.encode(PASSWORD);
        for (int i = 0; i < USERS; i++) {
            String email = "load-" + UUID.randomUUID().toString().substring(0, 8) + "@latchkey.test";
            UUID id = UUID.randomUUID();
            jdbc.update("INSERT INTO users (id, email, email_normalized, email_verified, password_hash) "
                    + "VALUES (?, ?, ?, TRUE, ?)", id, email, email, hash);
            jdbc.update("INSERT INTO user_roles (user_id, role_name) VALUES (?, 'user')", id);
            emails.add(email);
        }
        session = new Browser();
        session.signIn(emails.get(0), PASSWORD);
    }

    @Test
    void connectionPoolAndAdmissionAreSizedForTheTest() {
        assertThat(admission.maxConcurrent()).isEqualTo(10);
    }

    @Test
    void clientCredentials() {
        expectAllServed("client_credentials", fire(i -> form("/oauth2/token", OAuth.basic(CONFIDENTIAL_CLIENT,
                CONFIDENTIAL_SECRET), "grant_type=client_credentials&scope=api.read")), Kind.TOKEN);
    }

    @Test
    void codeRedemption() {
        List<String[]> codes = codes(CONCURRENCY);
        expectAllServed("code redemption", fire(i -> form("/oauth2/token", OAuth.basic(TRUSTED_CLIENT, TRUSTED_SECRET),
                "grant_type=authorization_code&code=" + codes.get(i)[0] + "&redirect_uri=" + enc(TRUSTED_REDIRECT)
                        + "&code_verifier=" + codes.get(i)[1])), Kind.TOKEN);
    }

    @Test
    void refreshWithRotation() {
        List<JsonNode> logins = logins(CONCURRENCY);
        expectAllServed("refresh", fire(i -> refresh(logins.get(i).get("refresh_token").asString())), Kind.TOKEN);
    }

    @Test
    void passwordGrant() {
        expectPasswordAnswers("password grant", fire(i -> form("/oauth2/token", OAuth.basic(FIRST_PARTY_CLIENT,
                FIRST_PARTY_SECRET), "grant_type=password&scope=openid&username=" + enc(emails.get(i % USERS))
                + "&password=" + enc(PASSWORD))), Kind.TOKEN);
    }

    @Test
    void introspectionRevocationAndUserInfo() {
        List<JsonNode> logins = logins(8);
        List<Answer> introspections = fire(i -> form("/oauth2/introspect", OAuth.basic(TRUSTED_CLIENT, TRUSTED_SECRET),
                "token=" + logins.get(i % 8).get("access_token").asString()));
        expectAllServed("introspection", introspections, Kind.JSON);
        introspections.forEach(answer -> assertThat(answer.json().get("active").asBoolean()).isTrue());

        expectAllServed("userinfo", fire(i -> get("/userinfo", "Bearer " + logins.get(i % 8).get("access_token").asString())),
                Kind.JSON);
        expectAllServed("users/me", fire(i -> get("/api/v1/users/me",
                "Bearer " + logins.get(i % 8).get("access_token").asString())), Kind.JSON);
        expectAllServed("JWKS", fire(i -> get("/oauth2/jwks", null)), Kind.JSON);

        List<JsonNode> revocable = logins(CONCURRENCY);
        expectAllServed("revocation", fire(i -> form("/oauth2/revoke", OAuth.basic(TRUSTED_CLIENT, TRUSTED_SECRET),
                "token=" + revocable.get(i).get("refresh_token").asString() + "&token_type_hint=refresh_token")), Kind.EMPTY);
        assertThat(OAuth.json(OAuth.post(new Browser(), "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", revocable.get(0).get("refresh_token").asString())))
                .get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void loginFormAndApiLogin() {
        List<Browser> browsers = new ArrayList<>();
        List<String> csrf = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            Browser browser = new Browser();
            csrf.add(browser.get("/login").csrf());
            browsers.add(browser);
        }
        // each request from its own browser session, with its own CSRF token
        List<Answer> forms = new ArrayList<>();
        List<CompletableFuture<Browser.Response>> pending = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            int n = i;
            pending.add(CompletableFuture.supplyAsync(() -> browsers.get(n).postForm("/login", Map.of("username",
                    emails.get(n % USERS), "password", PASSWORD, "_csrf", csrf.get(n))), THREADS));
        }
        pending.forEach(future -> {
            Browser.Response response = future.orTimeout(60, TimeUnit.SECONDS).join();
            forms.add(new Answer(response.status(), response.headers(), response.body()));
        });
        expectPasswordAnswers("login form", forms, Kind.PAGE);

        expectPasswordAnswers("API login", fire(i -> json("/api/v1/auth/login", "{\"username\":\"" + emails.get(i % USERS)
                + "\",\"password\":\"" + PASSWORD + "\"}")), Kind.PROBLEM_OR_JSON);
    }

    @Test
    void everythingMixed() {
        // logins 0-7 are used by their access tokens, 8-15 are refreshed (which replaces their access tokens)
        List<JsonNode> logins = logins(16);
        List<String[]> codes = codes(CONCURRENCY / 8);
        List<Answer> answers = fire(i -> switch (i % 8) {
            case 0 -> form("/oauth2/token", OAuth.basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET),
                    "grant_type=client_credentials");
            case 1 -> refresh(logins.get(8 + i / 8).get("refresh_token").asString());
            case 2 -> form("/oauth2/introspect", OAuth.basic(TRUSTED_CLIENT, TRUSTED_SECRET),
                    "token=" + logins.get(i / 8).get("access_token").asString());
            case 3 -> get("/userinfo", "Bearer " + logins.get(i / 8).get("access_token").asString());
            case 4 -> get("/oauth2/jwks", null);
            case 5 -> form("/oauth2/token", OAuth.basic(TRUSTED_CLIENT, TRUSTED_SECRET), "grant_type=authorization_code&code="
                    + codes.get(i / 8)[0] + "&redirect_uri=" + enc(TRUSTED_REDIRECT) + "&code_verifier=" + codes.get(i / 8)[1]);
            case 6 -> get("/api/v1/users/me", "Bearer " + logins.get(i / 8).get("access_token").asString());
            default -> form("/oauth2/token", OAuth.basic(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET),
                    "grant_type=password&username=" + enc(emails.get(i % USERS)) + "&password=" + enc(PASSWORD));
        });
        for (int i = 0; i < answers.size(); i++) {
            Answer answer = answers.get(i);
            if (i % 8 == 7) {
                checkPasswordAnswers("mixed password grant", List.of(answer), Kind.TOKEN);
            }
            else {
                expectAllServed("mixed #" + i, List.of(answer), i % 8 == 3 || i % 8 == 4 || i % 8 == 6 || i % 8 == 2
                        ? Kind.JSON : Kind.TOKEN);
            }
        }
    }

    @Test
    void oneRotatedRefreshTokenPresentedByManyAtOnce(CapturedOutput output) {
        JsonNode login = logins(1).get(0);
        String rotated = login.get("refresh_token").asString();
        Answer first = fire(1, i -> refresh(rotated)).get(0);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String current = first.json().get("refresh_token").asString();

        List<Answer> answers = fire(i -> refresh(rotated));
        for (Answer answer : answers) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.json().get("error").asString()).isEqualTo("invalid_grant");
        }
        Answer afterwards = fire(1, i -> refresh(current)).get(0);
        assertThat(afterwards.json().get("error").asString()).as("the family is revoked").isEqualTo("invalid_grant");
        assertThat(OAuth.isActive(new Browser(), first.json().get("access_token").asString())).isFalse();
        assertThat(output.getAll()).doesNotContainIgnoringCase("deadlock");
    }

    @Test
    void oneCurrentRefreshTokenPresentedByManyAtOnce(CapturedOutput output) {
        String token = logins(1).get(0).get("refresh_token").asString();
        List<Answer> answers = fire(i -> refresh(token));
        long successes = answers.stream().filter(answer -> answer.status() == 200).count();
        assertThat(successes).isLessThanOrEqualTo(1);
        for (Answer answer : answers) {
            if (answer.status() != 200) {
                assertThat(answer.status()).as(answer.body()).isEqualTo(400);
                assertThat(answer.json().get("error").asString()).isEqualTo("invalid_grant");
            }
        }
        assertThat(output.getAll()).doesNotContainIgnoringCase("deadlock");
    }

    // --- what the answers must look like -----------------------------------------------------------------

    enum Kind { TOKEN, JSON, EMPTY, PAGE, PROBLEM_OR_JSON }

    /** Endpoints that hash no password: every request answered, 2xx, well formed. */
    private static void expectAllServed(String what, List<Answer> answers, Kind kind) {
        assertThat(answers).isNotEmpty();
        for (Answer answer : answers) {
            assertThat(answer.status()).as(what + ": " + answer.body()).isBetween(200, 299);
            wellFormed(what, answer, kind);
        }
    }

    /** Password endpoints: served, or refused with 503/429 and Retry-After; never another 5xx; some served. */
    private static void expectPasswordAnswers(String what, List<Answer> answers, Kind kind) {
        assertThat(checkPasswordAnswers(what, answers, kind)).as(what + ": some requests are served").isPositive();
    }

    private static int checkPasswordAnswers(String what, List<Answer> answers, Kind kind) {
        int served = 0;
        for (Answer answer : answers) {
            if (answer.status() == 503 || answer.status() == 429) {
                assertThat(answer.header("Retry-After")).as(what + " refusal has Retry-After").isNotBlank();
                assertThat(Long.parseLong(answer.header("Retry-After"))).isPositive();
                refusalFormat(what, answer, kind);
                continue;
            }
            assertThat(answer.status()).as(what + ": " + answer.body()).isIn(200, 302);
            if (kind != Kind.PAGE) {
                wellFormed(what, answer, kind);
            }
            else {
                assertThat(answer.header("Location")).as(what + " goes on after signing in").doesNotContain("error");
            }
            served++;
        }
        return served;
    }

    private static void wellFormed(String what, Answer answer, Kind kind) {
        switch (kind) {
            case TOKEN -> {
                JsonNode json = answer.json();
                assertThat(json.get("access_token").asString()).as(what).isNotBlank();
                assertThat(json.get("token_type").asString()).isEqualTo("Bearer");
            }
            case JSON, PROBLEM_OR_JSON -> assertThat(answer.json().isObject()).as(what + ": " + answer.body()).isTrue();
            case EMPTY, PAGE -> assertThat(answer.status()).isLessThan(400);
        }
    }

    private static void refusalFormat(String what, Answer answer, Kind kind) {
        String type = answer.header("Content-Type");
        switch (kind) {
            case TOKEN -> {
                assertThat(type).as(what).startsWith("application/json");
                assertThat(answer.json().get("error").asString()).isIn("temporarily_unavailable");
            }
            case PROBLEM_OR_JSON -> {
                assertThat(type).as(what).startsWith("application/problem+json");
                assertThat(answer.json().get("status").asInt()).isEqualTo(answer.status());
            }
            default -> {
                assertThat(type).as(what).startsWith("text/html");
                assertThat(answer.body()).doesNotContain("Exception");
            }
        }
    }

    // --- requests and their answers ----------------------------------------------------------------------

    record Answer(int status, Map<String, List<String>> headers, String body) {

        JsonNode json() {
            return OAuth.json(body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static List<Answer> fire(IntFunction<HttpRequest> requests) {
        return fire(CONCURRENCY, requests);
    }

    /** Sends n requests at once and waits for every answer (60 s at most each: nothing may hang). */
    private static List<Answer> fire(int n, IntFunction<HttpRequest> requests) {
        List<HttpRequest> built = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            built.add(requests.apply(i));
        }
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        built.forEach(request -> pending.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())));
        List<Answer> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> future : pending) {
            HttpResponse<String> response = future.orTimeout(60, TimeUnit.SECONDS).join();
            answers.add(new Answer(response.statusCode(), response.headers().map(), response.body()));
        }
        return answers;
    }

    private static HttpRequest form(String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ISSUER + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static HttpRequest json(String path, String body) {
        return HttpRequest.newBuilder(URI.create(ISSUER + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpRequest get(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ISSUER + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static HttpRequest refresh(String refreshToken) {
        return form("/oauth2/token", OAuth.basic(TRUSTED_CLIENT, TRUSTED_SECRET),
                "grant_type=refresh_token&refresh_token=" + enc(refreshToken));
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Authorization codes (with their PKCE verifiers) from one signed-in browser session: no password hashed. */
    private List<String[]> codes(int n) {
        List<String[]> codes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String verifier = OAuth.randomVerifier();
            Browser.Response callback = CodeFlow.run(session, CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                    "openid email latchkey.account", "load", verifier), emails.get(0), PASSWORD);
            codes.add(new String[] { callback.locationParam("code"), verifier });
        }
        return codes;
    }

    /** Separate logins (each its own refresh-token family), redeemed one after another. */
    private List<JsonNode> logins(int n) {
        List<JsonNode> logins = new ArrayList<>();
        for (String[] code : codes(n)) {
            Browser.Response response = OAuth.post(session, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                    OAuth.form("grant_type", "authorization_code", "code", code[0], "redirect_uri", TRUSTED_REDIRECT,
                            "code_verifier", code[1]));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            logins.add(OAuth.json(response));
        }
        return logins;
    }
}
