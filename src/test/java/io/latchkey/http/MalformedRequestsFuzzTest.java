package io.latchkey.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import io.latchkey.http.FuzzRequests.Case;
import io.latchkey.http.FuzzRequests.Encoding;
import io.latchkey.http.FuzzRequests.Kind;
import io.latchkey.http.FuzzRequests.Target;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.LogCapture;
import io.latchkey.support.OAuth;
import io.latchkey.support.RawHttp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_CLIENT;
import static io.latchkey.support.TestServerInitializer.FIRST_PARTY_SECRET;
import static io.latchkey.support.TestServerInitializer.POST_LOGOUT_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * More than 10,000 malformed requests, generated from a fixed seed ({@link FuzzRequests}), over raw sockets so
 * that the malformed bytes really reach the server, at every endpoint: discovery, JWKS, authorization, token
 * (every grant), introspection, revocation, userinfo, end session, login, consent, registration, password
 * reset, email verification, the account page and its forms, every {@code /api/v1} route, the API's
 * documentation and the error page.
 *
 * <p>It asserts, for the whole run:
 * <ul>
 * <li>no answer of 500 or above, but 503 with {@code Retry-After} (admission), and every answer a complete
 * HTTP response;</li>
 * <li>every refusal (4xx) in the endpoint's format: RFC 6749 JSON on the OAuth endpoints that machines call,
 * problem details under {@code /api/v1}, an HTML page on the hosted pages (the servlet container's own
 * 400 page is accepted for requests it refuses before any application code runs: unparseable request
 * lines, headers or URLs);</li>
 * <li>no ERROR in the server log, and no logged stack trace at any level;</li>
 * <li>nothing half-written: the row counts of users, roles, account links, authorizations, their tokens,
 * consents, clients and signing keys are unchanged; every user row is unchanged, except the name of the
 * fuzzing user (the profile forms it can reach legitimately set it); and audit events are added only of the
 * types a refused request records: {@code LOGIN_FAILED}, {@code ACCESS_DENIED} and
 * {@code REFRESH_TOKEN_REUSED} (a replayed refresh token).</li>
 * </ul>
 * Requests come from loopback, which the per-IP limits exempt, four at a time.
 */
@IntegrationTest
class MalformedRequestsFuzzTest extends UsersInDatabaseTest {

    private static final long SEED = 0x1a7c_4e10L;
    private static final int REQUESTS_PER_ENDPOINT = 215;
    private static final int PARALLEL = 4;
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("JSESSIONID=([^;]+)");
    /** A browser without a session carries its CSRF token in this cookie instead (SessionOrCookieCsrfTokens). */
    private static final Pattern CSRF_COOKIE = Pattern.compile("latchkey-csrf=([^;]+)");
    private static final List<String> ROW_COUNTED = List.of("users", "user_roles", "roles", "role_permissions",
            "account_links", "authorizations", "authorization_tokens", "oauth2_authorization_consent",
            "oauth2_registered_client", "signing_keys", "revoked_access_tokens");
    /**
     * Events that record a refusal rather than a change. A wrong current password counts toward the lock even
     * when other fields of the same form are malformed (the form names every error at once), so the fuzzing
     * user may end up locked: that is the lock at work, not something half-written.
     */
    private static final List<String> AUDIT_TYPES_OF_REFUSALS = List.of("LOGIN_FAILED", "ACCESS_DENIED",
            "REFRESH_TOKEN_REUSED", "ACCOUNT_LOCKED");

    @Autowired
    @Qualifier("accountBackgroundWork")
    ExecutorService accountBackgroundWork;

    @Test
    void malformedRequestsAtEveryEndpointAreRefusedCleanly() throws Exception {
        Fixtures fixtures = fixtures();
        FuzzRequests generator = new FuzzRequests(new Random(SEED), fixtures.replays());
        List<Case> cases = new ArrayList<>();
        for (Target target : targets(fixtures)) {
            cases.addAll(generator.forTarget(target, REQUESTS_PER_ENDPOINT));
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(10_000);

        awaitIdle(accountBackgroundWork); // links and audit events that earlier tests queued are written by now
        Map<String, Long> countsBefore = rowCounts();
        Map<String, Long> auditBefore = auditCounts();
        String usersBefore = userRows(fixtures.userId());
        List<RawHttp.Answer> answers;
        List<String> errors;
        List<String> stackTraces;
        try (LogCapture log = LogCapture.open()) {
            answers = send(cases);
            awaitIdle(accountBackgroundWork);
            errors = List.of(LogCapture.describe(log.errors()));
            stackTraces = List.of(LogCapture.describe(log.withStackTraces()));
        }
        Map<String, Long> auditAfter = auditCounts();

        Set<String> endpointPaths = new java.util.HashSet<>();
        cases.forEach(fuzzCase -> endpointPaths.add(fuzzCase.target().path()));
        Map<String, List<String>> failures = new TreeMap<>();
        for (int i = 0; i < cases.size(); i++) {
            String problem = judge(cases.get(i), answers.get(i), endpointPaths);
            if (problem != null) {
                failures.computeIfAbsent(problem + ": " + cases.get(i).target().name() + " / " + cases.get(i).mutation()
                        + " -> " + answers.get(i).status(), kind -> new ArrayList<>()).add(describe(cases.get(i), answers.get(i)));
            }
        }
        System.out.println(summary(cases, answers, failures));

        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(failures.keySet()).as("answers that are server errors or not in the endpoint's format")
                    .isEmpty();
            softly.assertThat(errors.get(0)).as("ERROR lines in the server log").isEmpty();
            softly.assertThat(stackTraces.get(0)).as("stack traces in the server log").isEmpty();
            softly.assertThat(rowCounts()).as("row counts").isEqualTo(countsBefore);
            softly.assertThat(userRows(fixtures.userId())).as("user rows").isEqualTo(usersBefore);
            auditAfter.forEach((type, count) -> {
                if (!AUDIT_TYPES_OF_REFUSALS.contains(type)) {
                    softly.assertThat(count).as("audit events of type " + type)
                            .isEqualTo(auditBefore.getOrDefault(type, 0L));
                }
            });
        });
    }

    /**
     * Null when the answer is acceptable, else what is wrong with it. A refusal must be in the format of the
     * endpoint the request's path names (after decoding); a path that names no endpoint (a variant: an extra
     * slash or segment, a different case) may be refused in any of the three formats.
     */
    private static String judge(Case fuzzCase, RawHttp.Answer answer, Set<String> endpointPaths) {
        int status = answer.status();
        if (status == 0) {
            return "no HTTP answer";
        }
        if (status == 503) {
            return answer.header("Retry-After") == null ? "503 without Retry-After" : null;
        }
        if (status == 501 && refusedByContainer(answer) && isUnsupportedByHttpItself(fuzzCase)) {
            return null;
        }
        if (status >= 500) {
            return "server error";
        }
        if (status < 400 || refusedByContainer(answer)) {
            return null;
        }
        String path = decodedPath(fuzzCase.bytes());
        boolean head = new String(fuzzCase.bytes(), 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
        boolean oauth = isOAuthJson(answer, head);
        boolean problem = answer.contentType().startsWith("application/problem+json");
        boolean page = answer.contentType().startsWith("text/html");
        if (!endpointPaths.contains(path)) {
            return oauth || problem || page ? null : "not in any endpoint's format";
        }
        if (path.startsWith("/api/")) {
            return problem ? null : "not problem details";
        }
        if (OAUTH_JSON_PATHS.contains(path) || path.startsWith("/.well-known/")) {
            return oauth ? null : "not an OAuth JSON error";
        }
        return page ? null : "not an HTML page";
    }

    private static final Set<String> OAUTH_JSON_PATHS = Set.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke",
            "/oauth2/jwks", "/userinfo");

    private static boolean isOAuthJson(RawHttp.Answer answer, boolean head) {
        boolean json = answer.contentType().startsWith("application/json") && (head || answer.body().contains("\"error\""));
        boolean challenge = (answer.status() == 401 || answer.status() == 403) && answer.header("WWW-Authenticate") != null;
        return json || challenge;
    }

    /**
     * Tomcat's own answer: the request could not be parsed far enough to reach any application code. Either
     * its error report page, or (for a request line or header it cannot parse at all) a bare 400.
     */
    private static boolean refusedByContainer(RawHttp.Answer answer) {
        return answer.body().contains("<title>HTTP Status " + answer.status())
                || answer.status() == 400 && answer.header("Content-Type") == null && answer.body().isEmpty();
    }

    /**
     * CONNECT (this is no proxy) and a transfer coding the server does not know get 501 from the servlet
     * container itself, as HTTP requires (RFC 9110 section 15.6.2, RFC 9112 section 6.1).
     */
    private static boolean isUnsupportedByHttpItself(Case fuzzCase) {
        String head = new String(fuzzCase.bytes(), StandardCharsets.ISO_8859_1);
        return head.startsWith("CONNECT ") || fuzzCase.mutation().equals("unknown transfer coding");
    }

    /** The request's path as the server would route it: percent-decoded, without path parameters. */
    static String decodedPath(byte[] request) {
        String head = new String(request, StandardCharsets.ISO_8859_1);
        int start = head.indexOf(' ') + 1;
        int end = head.indexOf(" HTTP/1.1");
        if (start <= 0 || end < start) {
            return "";
        }
        String target = head.substring(start, end);
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        path = path.replaceAll(";[^/]*", "");
        try {
            return java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException undecodable) {
            return path;
        }
    }

    private List<RawHttp.Answer> send(List<Case> cases) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<RawHttp.Answer>> futures = new ArrayList<>();
            for (Case fuzzCase : cases) {
                futures.add(threads.submit(() -> RawHttp.exchange(fuzzCase.bytes())));
            }
            List<RawHttp.Answer> answers = new ArrayList<>();
            for (Future<RawHttp.Answer> future : futures) {
                answers.add(future.get());
            }
            return answers;
        }
        finally {
            threads.shutdownNow();
        }
    }

    /** Waits until mail and link work queued by the requests has run, so that its log lines are captured too. */
    private static void awaitIdle(ExecutorService background) throws InterruptedException {
        if (background instanceof ThreadPoolExecutor pool) {
            for (int i = 0; i < 600 && (pool.getActiveCount() > 0 || !pool.getQueue().isEmpty()); i++) {
                Thread.sleep(50);
            }
        }
    }

    private static String describe(Case fuzzCase, RawHttp.Answer answer) {
        String request = new String(fuzzCase.bytes(), 0, Math.min(300, fuzzCase.bytes().length), StandardCharsets.ISO_8859_1);
        String body = answer.body().substring(0, Math.min(300, answer.body().length()));
        return "  request: " + request.replace("\r\n", "\\r\\n ") + "\n  answer: " + answer.contentType() + " " + body;
    }

    private static String summary(List<Case> cases, List<RawHttp.Answer> answers, Map<String, List<String>> failures) {
        Map<String, Map<Integer, Integer>> perEndpoint = new TreeMap<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> mutations = new TreeMap<>();
        int refusedByContainer = 0;
        for (int i = 0; i < cases.size(); i++) {
            int status = answers.get(i).status();
            perEndpoint.computeIfAbsent(cases.get(i).target().name(), name -> new TreeMap<>()).merge(status, 1, Integer::sum);
            statuses.merge(status, 1, Integer::sum);
            mutations.merge(cases.get(i).mutation(), 1, Integer::sum);
            refusedByContainer += refusedByContainer(answers.get(i)) ? 1 : 0;
        }
        StringBuilder text = new StringBuilder("\n=== Malformed request fuzzing: ").append(cases.size())
                .append(" requests, seed ").append(SEED).append(" ===\n");
        perEndpoint.forEach((name, histogram) -> text.append(String.format(Locale.ROOT, "%-32s %4d  %s%n", name,
                histogram.values().stream().mapToInt(Integer::intValue).sum(), histogram)));
        text.append("status histogram: ").append(statuses).append('\n');
        text.append("refused by the servlet container before the application: ").append(refusedByContainer).append('\n');
        text.append("mutations: ").append(mutations).append('\n');
        text.append("failures: ").append(failures.values().stream().mapToInt(List::size).sum()).append('\n');
        failures.forEach((kind, examples) -> text.append(examples.size()).append(" x ").append(kind).append('\n')
                .append(examples.get(0)).append('\n'));
        return text.toString();
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : ROW_COUNTED) {
            counts.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
        }
        return counts;
    }

    private Map<String, Long> auditCounts() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.queryForList("SELECT type, COUNT(*) AS n FROM audit_events GROUP BY type")
                .forEach(row -> counts.put((String) row.get("type"), ((Number) row.get("n")).longValue()));
        return counts;
    }

    /** Every user row, the fuzzing user's name left out. */
    private String userRows(UUID fuzzUser) {
        return jdbc.queryForList("SELECT id, email, email_normalized, email_verified, password_hash, enabled, locked, "
                + "CASE WHEN id = ? THEN NULL ELSE name END AS name FROM users ORDER BY id", fuzzUser).toString();
    }

    /** Every endpoint, in its well-formed shape, with the credentials it needs. */
    private static List<Target> targets(Fixtures f) {
        List<Map.Entry<String, String>> none = List.of();
        List<Map.Entry<String, String>> anonymous = List.of(Map.entry("Cookie", f.anonymousSession()));
        List<Map.Entry<String, String>> signedIn = List.of(Map.entry("Cookie", f.signedInSession()));
        Map<String, String> anonymousCsrf = Map.of("_csrf", f.anonymousCsrf());
        Map<String, String> signedInCsrf = Map.of("_csrf", f.signedInCsrf());
        List<Map.Entry<String, String>> bearer = List.of(Map.entry("Authorization", "Bearer " + f.accessToken()));
        List<Map.Entry<String, String>> confidential = List.of(Map.entry("Authorization",
                OAuth.basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET)));
        int always = Integer.MAX_VALUE;
        String user = "/api/v1/users/" + f.otherUserId();
        String nobody = "nobody-fuzz@latchkey.test";
        List<Target> targets = new ArrayList<>();
        // OAuth 2 and OpenID Connect endpoints that machines call
        targets.add(target("discovery (OpenID)", "GET", "/.well-known/openid-configuration", Kind.OAUTH_JSON, Encoding.QUERY, Map.of()));
        targets.add(target("discovery (OAuth)", "GET", "/.well-known/oauth-authorization-server", Kind.OAUTH_JSON, Encoding.QUERY, Map.of()));
        targets.add(target("jwks", "GET", "/oauth2/jwks", Kind.OAUTH_JSON, Encoding.QUERY, Map.of()));
        targets.add(target("token: authorization_code", "POST", "/oauth2/token", Kind.OAUTH_JSON, Encoding.FORM,
                Map.of("grant_type", "authorization_code", "code", "not-a-code", "redirect_uri", TRUSTED_REDIRECT,
                        "code_verifier", "fuzz-verifier-0123456789-0123456789-0123456789"))
                .withCredentials(List.of(Map.entry("Authorization", OAuth.basic(TRUSTED_CLIENT, TRUSTED_SECRET))), Map.of(), always));
        targets.add(target("token: refresh_token", "POST", "/oauth2/token", Kind.OAUTH_JSON, Encoding.FORM,
                Map.of("grant_type", "refresh_token", "refresh_token", "not-a-refresh-token"))
                .withCredentials(List.of(Map.entry("Authorization", OAuth.basic(TRUSTED_CLIENT, TRUSTED_SECRET))), Map.of(), always));
        targets.add(target("token: client_credentials", "POST", "/oauth2/token", Kind.OAUTH_JSON, Encoding.FORM,
                Map.of("grant_type", "client_credentials", "scope", "not-a-scope")).withCredentials(confidential, Map.of(), always));
        targets.add(target("token: password", "POST", "/oauth2/token", Kind.OAUTH_JSON, Encoding.FORM,
                Map.of("grant_type", "password", "username", nobody, "password", "wrong password", "scope", "openid"))
                .withCredentials(List.of(Map.entry("Authorization", OAuth.basic(FIRST_PARTY_CLIENT, FIRST_PARTY_SECRET))),
                        Map.of(), 10));
        targets.add(target("introspect", "POST", "/oauth2/introspect", Kind.OAUTH_JSON, Encoding.FORM,
                Map.of("token", "not-a-token", "token_type_hint", "access_token")).withCredentials(confidential, Map.of(), always));
        targets.add(target("revoke", "POST", "/oauth2/revoke", Kind.OAUTH_JSON, Encoding.FORM,
                Map.of("token", "not-a-token", "token_type_hint", "refresh_token")).withCredentials(confidential, Map.of(), always));
        targets.add(target("userinfo (GET)", "GET", "/userinfo", Kind.OAUTH_JSON, Encoding.QUERY, Map.of())
                .withCredentials(bearer, Map.of(), always));
        targets.add(target("userinfo (POST)", "POST", "/userinfo", Kind.OAUTH_JSON, Encoding.FORM, Map.of("fuzz", "1"))
                .withCredentials(bearer, Map.of(), always));
        // OAuth endpoints a browser is sent to
        targets.add(target("authorize", "GET", "/oauth2/authorize", Kind.BROWSER_PROTOCOL, Encoding.QUERY,
                Map.of("response_type", "code", "client_id", CONFIDENTIAL_CLIENT, "redirect_uri", CONFIDENTIAL_REDIRECT,
                        "scope", "openid profile", "state", "fuzz-state", "nonce", "fuzz-nonce",
                        "code_challenge", OAuth.challenge("fuzz-verifier-0123456789-0123456789-0123456789"), "code_challenge_method", "S256"))
                .withCredentials(anonymous, Map.of(), always));
        targets.add(target("authorize (consent POST)", "POST", "/oauth2/authorize", Kind.BROWSER_PROTOCOL, Encoding.FORM,
                Map.of("client_id", CONFIDENTIAL_CLIENT, "state", "not-a-state", "scope", "openid"))
                .withCredentials(signedIn, signedInCsrf, always));
        targets.add(target("consent page", "GET", "/oauth2/consent", Kind.BROWSER_PROTOCOL, Encoding.QUERY,
                Map.of("client_id", CONFIDENTIAL_CLIENT, "scope", "openid profile", "state", "not-a-state"))
                .withCredentials(signedIn, Map.of(), always));
        targets.add(target("end session (GET)", "GET", "/connect/logout", Kind.BROWSER_PROTOCOL, Encoding.QUERY,
                Map.of("id_token_hint", "not.an.id-token", "post_logout_redirect_uri", POST_LOGOUT_REDIRECT, "state", "s",
                        "client_id", CONFIDENTIAL_CLIENT)).withCredentials(anonymous, Map.of(), always));
        targets.add(target("end session (POST)", "POST", "/connect/logout", Kind.BROWSER_PROTOCOL, Encoding.FORM,
                Map.of("id_token_hint", "not.an.id-token", "post_logout_redirect_uri", POST_LOGOUT_REDIRECT, "state", "s"))
                .withCredentials(anonymous, anonymousCsrf, always));
        // hosted pages
        targets.add(target("login page", "GET", "/login", Kind.PAGE, Encoding.QUERY, Map.of("error", "", "lang", "de"))
                .withCredentials(anonymous, Map.of(), always));
        targets.add(target("login", "POST", "/login", Kind.PAGE, Encoding.FORM, Map.of("username", nobody, "password", "wrong"))
                .withCredentials(anonymous, anonymousCsrf, 15));
        // a session of its own: the first logout that passes the CSRF check ends it
        targets.add(target("logout", "POST", "/logout", Kind.PAGE, Encoding.FORM, Map.of())
                .withCredentials(List.of(Map.entry("Cookie", f.logoutSession())),
                        Map.of("_csrf", f.logoutCsrf()), always));
        targets.add(target("home", "GET", "/", Kind.PAGE, Encoding.QUERY, Map.of()).withCredentials(signedIn, Map.of(), always));
        targets.add(target("register page", "GET", "/register", Kind.PAGE, Encoding.QUERY, Map.of("lang", "en")));
        targets.add(target("register", "POST", "/register", Kind.PAGE, Encoding.FORM,
                Map.of("email", f.email(), "password", "short", "confirmPassword", "short", "name", "Fuzz"))
                .withCredentials(anonymous, anonymousCsrf, always));
        targets.add(target("forgot-password page", "GET", "/forgot-password", Kind.PAGE, Encoding.QUERY, Map.of()));
        targets.add(target("forgot-password", "POST", "/forgot-password", Kind.PAGE, Encoding.FORM, Map.of("email", "not-an-email-{n}"))
                .withCredentials(anonymous, anonymousCsrf, always));
        targets.add(target("reset-password page", "GET", "/reset-password", Kind.PAGE, Encoding.QUERY, Map.of("token", "not-a-token")));
        targets.add(target("reset-password", "POST", "/reset-password", Kind.PAGE, Encoding.FORM,
                Map.of("token", "not-a-token", "password", "short", "confirmPassword", "short"))
                .withCredentials(anonymous, anonymousCsrf, always));
        targets.add(target("verify-email page", "GET", "/verify-email", Kind.PAGE, Encoding.QUERY, Map.of("token", "not-a-token")));
        targets.add(target("verify-email", "POST", "/verify-email", Kind.PAGE, Encoding.FORM, Map.of("token", "not-a-token"))
                .withCredentials(anonymous, anonymousCsrf, always));
        targets.add(target("verify-email resend", "POST", "/verify-email/resend", Kind.PAGE, Encoding.FORM,
                Map.of("email", "not-an-email-{n}")).withCredentials(anonymous, anonymousCsrf, always));
        targets.add(target("undo-email-change page", "GET", "/undo-email-change", Kind.PAGE, Encoding.QUERY,
                Map.of("token", "not-a-token")));
        targets.add(target("undo-email-change", "POST", "/undo-email-change", Kind.PAGE, Encoding.FORM,
                Map.of("token", "not-a-token")).withCredentials(anonymous, anonymousCsrf, always));
        targets.add(target("account page", "GET", "/account", Kind.PAGE, Encoding.QUERY, Map.of("saved", "profile"))
                .withCredentials(signedIn, Map.of(), always));
        targets.add(target("account profile", "POST", "/account/profile", Kind.PAGE, Encoding.FORM, Map.of("name", "Fuzz"))
                .withCredentials(signedIn, signedInCsrf, always));
        targets.add(target("account password", "POST", "/account/password", Kind.PAGE, Encoding.FORM,
                Map.of("currentPassword", "wrong", "newPassword", "short", "confirmPassword", "short"))
                .withCredentials(signedIn, signedInCsrf, 10));
        targets.add(target("account email", "POST", "/account/email", Kind.PAGE, Encoding.FORM,
                Map.of("newEmail", "not-an-email", "currentPassword", "wrong")).withCredentials(signedIn, signedInCsrf, always));
        targets.add(target("account apps revoke", "POST", "/account/apps/revoke", Kind.PAGE, Encoding.FORM,
                Map.of("clientId", "not-a-client")).withCredentials(signedIn, signedInCsrf, always));
        targets.add(target("error page", "GET", "/error", Kind.PAGE, Encoding.QUERY, Map.of()));
        targets.add(target("static file", "GET", "/static/latchkey.css", Kind.PAGE, Encoding.QUERY, Map.of()));
        // the first-party API
        targets.add(target("api auth register", "POST", "/api/v1/auth/register", Kind.API, Encoding.JSON,
                Map.of("email", f.email(), "password", "short", "name", "Fuzz")));
        targets.add(target("api auth verify-email", "POST", "/api/v1/auth/verify-email", Kind.API, Encoding.JSON,
                Map.of("token", "not-a-token")));
        targets.add(target("api auth resend-verification", "POST", "/api/v1/auth/resend-verification", Kind.API, Encoding.JSON,
                Map.of("email", "not-an-email-{n}")));
        targets.add(target("api auth reset request", "POST", "/api/v1/auth/password-reset/request", Kind.API, Encoding.JSON,
                Map.of("email", "not-an-email-{n}")));
        targets.add(target("api auth reset confirm", "POST", "/api/v1/auth/password-reset/confirm", Kind.API, Encoding.JSON,
                Map.of("token", "not-a-token", "password", "short")));
        targets.add(target("api auth login (JSON)", "POST", "/api/v1/auth/login", Kind.API, Encoding.JSON,
                Map.of("username", nobody, "password", "", "scope", "openid")));
        targets.add(target("api auth login (form)", "POST", "/api/v1/auth/login", Kind.API, Encoding.FORM,
                Map.of("username", nobody, "password", "", "scope", "openid")));
        targets.add(target("api auth refresh", "POST", "/api/v1/auth/refresh", Kind.API, Encoding.JSON,
                Map.of("refresh_token", "not-a-refresh-token")));
        targets.add(target("api auth logout", "POST", "/api/v1/auth/logout", Kind.API, Encoding.JSON,
                Map.of("refresh_token", "not-a-refresh-token")));
        targets.add(target("api me", "GET", "/api/v1/users/me", Kind.API, Encoding.QUERY, Map.of())
                .withCredentials(bearer, Map.of(), always));
        targets.add(target("api me update", "PATCH", "/api/v1/users/me", Kind.API, Encoding.JSON, Map.of("name", "Fuzz"))
                .withCredentials(bearer, Map.of(), always));
        targets.add(target("api me password", "POST", "/api/v1/users/me/password", Kind.API, Encoding.JSON,
                Map.of("currentPassword", "wrong", "newPassword", "short")).withCredentials(bearer, Map.of(), 10));
        targets.add(target("api users search", "GET", "/api/v1/users", Kind.API, Encoding.QUERY,
                Map.of("q", "fuzz", "page", "0", "size", "20")).withCredentials(bearer, Map.of(), always));
        targets.add(target("api user", "GET", user, Kind.API, Encoding.QUERY, Map.of()).withCredentials(bearer, Map.of(), always));
        targets.add(target("api user update", "PATCH", user, Kind.API, Encoding.JSON, Map.of("name", "Fuzz", "enabled", "false"))
                .withCredentials(bearer, Map.of(), always));
        targets.add(target("api user delete", "DELETE", user, Kind.API, Encoding.QUERY, Map.of())
                .withCredentials(bearer, Map.of(), always));
        targets.add(target("api user roles", "PUT", user + "/roles", Kind.API, Encoding.JSON,
                Map.of("roles", new FuzzRequests.RawJson("[\"admin\"]"))).withCredentials(bearer, Map.of(), always));
        targets.add(target("api user disable", "POST", user + "/disable", Kind.API, Encoding.QUERY, Map.of())
                .withCredentials(bearer, Map.of(), always));
        targets.add(target("api user enable", "POST", user + "/enable", Kind.API, Encoding.QUERY, Map.of())
                .withCredentials(bearer, Map.of(), always));
        targets.add(target("api user force reset", "POST", user + "/force-password-reset", Kind.API, Encoding.QUERY, Map.of())
                .withCredentials(bearer, Map.of(), always));
        targets.add(target("api docs", "GET", "/api/docs", Kind.API, Encoding.QUERY, Map.of()));
        targets.add(target("api docs (OpenAPI)", "GET", "/api/docs/openapi.json", Kind.API, Encoding.QUERY, Map.of()));
        return targets;
    }

    private static Target target(String name, String method, String path, Kind kind, Encoding encoding,
            Map<String, Object> fields) {
        return new Target(name, method, path, kind, encoding, fields, List.of(), Map.of(), 0);
    }

    /** Sessions, tokens and used values to put into the requests; made before the counts are taken. */
    private Fixtures fixtures() {
        String email = TestUsers.uniqueEmail("fuzz");
        String password = "fuzzing passphrase " + UUID.randomUUID();
        UUID userId = TestUsers.create(jdbc, passwordEncoder, email, password, "Fuzz");
        UUID otherUserId = TestUsers.create(jdbc, passwordEncoder, TestUsers.uniqueEmail("fuzz-other"), password, "Other");

        RawHttp.Answer anonymousPage = RawHttp.exchange(new RawHttp.Request("GET", "/login").noBody());
        String anonymousSession = session(anonymousPage);
        String anonymousCsrf = csrf(anonymousPage);
        RawHttp.Answer stalePage = RawHttp.exchange(new RawHttp.Request("GET", "/login").noBody());
        RawHttp.Answer logoutPage = RawHttp.exchange(new RawHttp.Request("GET", "/login").noBody());

        String signedInSession = signIn(email, password);
        RawHttp.Answer accountPage = RawHttp.exchange(new RawHttp.Request("GET", "/account")
                .header("Cookie", signedInSession).noBody());
        assertThat(accountPage.status()).as(accountPage.body()).isEqualTo(200);

        Browser browser = new Browser();
        String verifier = OAuth.randomVerifier();
        Browser.Response callback = CodeFlow.run(browser, CodeFlow.authorizeUrl(TRUSTED_CLIENT, TRUSTED_REDIRECT,
                "openid profile email", "s", verifier), email, password);
        String code = callback.locationParam("code");
        Browser.Response tokens = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET, OAuth.form(
                "grant_type", "authorization_code", "code", code, "redirect_uri", TRUSTED_REDIRECT, "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        String refreshToken = OAuth.json(tokens).get("refresh_token").asString();
        Browser.Response refreshed = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        String accessToken = OAuth.json(refreshed).get("access_token").asString();

        return new Fixtures(email, userId, otherUserId, anonymousSession, anonymousCsrf, session(logoutPage),
                csrf(logoutPage), signedInSession, csrf(accountPage), accessToken,
                new FuzzRequests.Replays(code, refreshToken, csrf(stalePage), session(stalePage)));
    }

    private static String signIn(String email, String password) {
        RawHttp.Answer page = RawHttp.exchange(new RawHttp.Request("GET", "/login").noBody());
        String form = "username=" + java.net.URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf(page);
        RawHttp.Answer signedIn = RawHttp.exchange(new RawHttp.Request("POST", "/login")
                .header("Cookie", session(page))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(form.getBytes(StandardCharsets.UTF_8)));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.header("Location")).doesNotContain("error");
        return session(signedIn);
    }

    /** The cookie that carries the browser's state: its session, or before sign-in its CSRF token. */
    private static String session(RawHttp.Answer answer) {
        String setCookie = String.valueOf(answer.headers().get("set-cookie"));
        Matcher matcher = SESSION.matcher(setCookie);
        if (matcher.find()) {
            return "JSESSIONID=" + matcher.group(1);
        }
        matcher = CSRF_COOKIE.matcher(setCookie);
        assertThat(matcher.find()).as("a session or CSRF cookie in " + answer.headers()).isTrue();
        return "latchkey-csrf=" + matcher.group(1);
    }

    private static String csrf(RawHttp.Answer answer) {
        Matcher matcher = CSRF.matcher(answer.body());
        assertThat(matcher.find()).as("a CSRF field in " + answer.body()).isTrue();
        return matcher.group(1);
    }

    private record Fixtures(String email, UUID userId, UUID otherUserId, String anonymousSession, String anonymousCsrf,
            String logoutSession, String logoutCsrf, String signedInSession, String signedInCsrf, String accessToken, FuzzRequests.Replays replays) {
    }
}
