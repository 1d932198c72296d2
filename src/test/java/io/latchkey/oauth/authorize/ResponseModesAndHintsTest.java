package io.latchkey.oauth.authorize;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

import io.latchkey.mfa.TotpSecondFactor;
import io.latchkey.oauth.AuthorizationCodeFlowTest;
import io.latchkey.support.Browser;
import io.latchkey.support.CodeFlow;
import io.latchkey.support.IntegrationTest;
import io.latchkey.support.OAuth;
import io.latchkey.support.TestTotp;
import io.latchkey.support.TestUsers;
import io.latchkey.support.UsersInDatabaseTest;

import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_CLIENT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_REDIRECT;
import static io.latchkey.support.TestServerInitializer.CONFIDENTIAL_SECRET;
import static io.latchkey.support.TestServerInitializer.ISSUER;
import static io.latchkey.support.TestServerInitializer.TRUSTED_CLIENT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_REDIRECT;
import static io.latchkey.support.TestServerInitializer.TRUSTED_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Response modes (query, form_post; fragment refused), login_hint, id_token_hint, ui_locales and the claims
 * parameter at the authorization endpoint (OpenID Connect Core 3.1.2.1 and 5.5, OAuth 2.0 Form Post Response Mode).
 */
@IntegrationTest
class ResponseModesAndHintsTest extends UsersInDatabaseTest {

    private static final String PASSWORD = "hints test password 42";
    private static final String VERIFIER = OAuth.randomVerifier();
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final List<String> HOSTILE = List.of("' OR 1=1 --", "<script>alert(1)</script>", "\u0000",
            "caf\u00e9 \u2603 \ud83d\ude00", "x".repeat(5000));

    @Autowired
    private JwtEncoder encoder;

    @Autowired
    private TotpSecondFactor secondFactor;

    private final Browser browser = new Browser();
    private final JwtDecoder jwks = AuthorizationCodeFlowTest.verifierFromJwksEndpoint();
    /** Made once: hashing a password per test costs more than the tests. Consent tests make their own. */
    private static String email;
    private static String other;

    @BeforeEach
    void createUsers() {
        if (email == null) {
            email = TestUsers.uniqueEmail("hints");
            TestUsers.create(jdbc, passwordEncoder, email, PASSWORD, "Ada Lovelace");
            other = TestUsers.uniqueEmail("hints-other");
            TestUsers.create(jdbc, passwordEncoder, other, PASSWORD, null);
        }
    }

    private String ownUser() {
        String own = TestUsers.uniqueEmail("hints-consent");
        TestUsers.create(jdbc, passwordEncoder, own, PASSWORD, "Ada Lovelace");
        return own;
    }

    // --- response_mode ---

    @Test
    void formPostAnswersWithAFormPostedToTheRedirectUriCarryingCodeStateAndIssuer() {
        browser.signIn(email, PASSWORD);
        Browser.Response page = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "response_mode", "form_post"));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Cache-Control")).contains("no-store");
        assertThat(page.header("Location")).isNull();
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'").contains("form-action " + TRUSTED_REDIRECT);
        assertThat(page.body()).contains("<form method=\"post\" id=\"form-post\" action=\"" + TRUSTED_REDIRECT + "\">")
                .contains("/static/latchkey-form-post.js").contains("id=\"form-post-continue\"")
                .doesNotContain("<script>");
        Map<String, String> fields = hiddenFields(page.body());
        assertThat(fields).containsKeys("code", "state", "iss").doesNotContainKey("error");
        assertThat(fields.get("state")).isEqualTo("st");
        assertThat(fields.get("iss")).isEqualTo(ISSUER);
        assertThat(tokens(fields.get("code")).get("id_token").asString()).isNotBlank();
    }

    @Test
    void errorsGoAsAFormPostToo() {
        Browser.Response loginRequired = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "response_mode", "form_post", "prompt", "none"));
        assertThat(loginRequired.status()).isEqualTo(200);
        assertThat(loginRequired.header("Cache-Control")).contains("no-store");
        Map<String, String> fields = hiddenFields(loginRequired.body());
        assertThat(fields).containsEntry("error", "login_required").containsEntry("state", "st")
                .containsEntry("iss", ISSUER).doesNotContainKey("code");

        // an error the framework finds (a scope the client may not ask for) goes the same way
        browser.signIn(email, PASSWORD);
        Browser.Response badScope = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid not-a-scope",
                "response_mode", "form_post"));
        assertThat(hiddenFields(badScope.body())).containsEntry("error", "invalid_scope");
    }

    @Test
    void explicitQueryModeKeepsWorking() {
        browser.signIn(email, PASSWORD);
        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "response_mode", "query"));
        assertThat(response.location()).startsWith(TRUSTED_REDIRECT + "?code=");
        assertThat(response.locationParam("iss")).isEqualTo(ISSUER);
    }

    @Test
    void fragmentAndUnknownModesAreInvalidRequestsAnsweredInTheQuery() {
        browser.signIn(email, PASSWORD);
        List<String> modes = new ArrayList<>(List.of("fragment", "FORM_POST", "web_message", "query.jwt", ""));
        modes.addAll(HOSTILE);
        for (String mode : modes) {
            Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                    "response_mode", mode));
            assertThat(response.status()).as(mode).isLessThan(500);
            if (response.isRedirect()) {
                assertThat(response.location()).as(mode).startsWith(TRUSTED_REDIRECT + "?");
                assertThat(response.locationParam("error")).as(mode).isEqualTo("invalid_request");
                assertThat(response.locationParam("code")).as(mode).isNull();
            }
            else {
                // refused before it reached the endpoint (the container's limits): never a code, never a 500
                assertThat(response.status()).as(mode).isBetween(400, 499);
            }
        }
    }

    @Test
    void formPostCarriesOnThroughTheConsentPageForRefusalAndApproval() {
        String email = ownUser();
        browser.signIn(email, PASSWORD);
        String request = authorize(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid email", "response_mode",
                "form_post");
        Browser.Response consent = browser.get(browser.get(request).location());
        assertThat(consent.body()).contains("name=\"response_mode\" value=\"form_post\"");
        Browser.Response refused = browser.postForm("/oauth2/authorize", consentForm(consent));
        assertThat(refused.status()).isEqualTo(200);
        assertThat(hiddenFields(refused.body())).containsEntry("error", "access_denied").containsEntry("state", "st")
                .doesNotContainKey("code");

        Browser.Response consentAgain = browser.get(browser.get(request).location());
        Browser.Response approved = browser.postForm("/oauth2/authorize", consentForm(consentAgain, "email"));
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.header("Cache-Control")).contains("no-store");
        assertThat(approved.body()).contains("action=\"" + CONFIDENTIAL_REDIRECT + "\"");
        assertThat(hiddenFields(approved.body())).containsKeys("code", "iss").containsEntry("state", "st");
    }

    @Test
    void discoveryAdvertisesWhatIsBuilt() {
        JsonNode discovery = OAuth.json(browser.get("/.well-known/openid-configuration", "Accept", "application/json"));
        assertThat(discovery.get("response_modes_supported").toString()).isEqualTo("[\"query\",\"form_post\"]");
        assertThat(discovery.get("ui_locales_supported").toString()).isEqualTo("[\"en\",\"de\"]");
        assertThat(discovery.get("claims_parameter_supported").asBoolean()).isTrue();
    }

    // --- login_hint ---

    @Test
    void loginHintPrefillsTheEmailOnTheLoginPage() {
        Browser.Response toLogin = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "login_hint", email));
        assertThat(toLogin.location()).startsWith(ISSUER + "/login");
        assertThat(browser.get("/login").body()).contains("value=\"" + email + "\"");

        // it decides nothing: signing in as whoever still works
        Browser.Response afterLogin = browser.follow(browser.signIn(email, PASSWORD));
        assertThat(afterLogin.location()).startsWith(TRUSTED_REDIRECT + "?code=");
    }

    @Test
    void unicodeLoginHintIsPrefilledEscaped() {
        Browser fresh = new Browser();
        fresh.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "login_hint", "j\u00fcrgen&co@example.de"));
        assertThat(fresh.get("/login").body()).contains("value=\"j\u00fcrgen&amp;co@example.de\"");
    }

    @Test
    void hostileOrOversizedLoginHintsAreIgnoredAndNeverEchoed() {
        List<String> hints = new ArrayList<>(HOSTILE);
        hints.addAll(List.of("\"><script>alert(1)</script>@x.example", "a@b\u0000c", "not an email",
                "x".repeat(400) + "@example.com"));
        for (String hint : hints) {
            Browser fresh = new Browser();
            Browser.Response toLogin = fresh.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                    "login_hint", hint));
            assertThat(toLogin.status()).as(hint).isLessThan(500);
            Browser.Response login = fresh.get("/login");
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.body()).as(hint).doesNotContain("<script>alert(1)")
                    .doesNotContain("value=\"" + HtmlUtils.htmlEscape(hint) + "\"");
        }
    }

    // --- id_token_hint ---

    @Test
    void idTokenHintOfTheSignedInUserIssuesACodeEvenWithPromptNone() {
        String hint = idTokenFor(browser, email);
        Browser.Response silent = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "prompt", "none", "id_token_hint", hint));
        assertThat(silent.locationParam("code")).isNotBlank();
        Browser.Response interactive = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "id_token_hint", hint));
        assertThat(interactive.locationParam("code")).isNotBlank();
    }

    @Test
    void idTokenHintOfAnotherUserIsLoginRequiredWithPromptNoneAndWithoutASession() {
        String hint = idTokenFor(new Browser(), email);

        Browser.Response noSession = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "prompt", "none", "id_token_hint", hint));
        assertThat(noSession.locationParam("error")).isEqualTo("login_required");

        browser.signIn(other, PASSWORD);
        Browser.Response otherUser = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "prompt", "none", "id_token_hint", hint));
        assertThat(otherUser.location()).startsWith(TRUSTED_REDIRECT + "?");
        assertThat(otherUser.locationParam("error")).isEqualTo("login_required");
        assertThat(otherUser.locationParam("state")).isEqualTo("st");
    }

    @Test
    void idTokenHintOfAnotherUserAsksToSignInAgainAndTheHintedUserThenGetsACode() {
        String hint = idTokenFor(new Browser(), email);
        browser.signIn(other, PASSWORD);

        Browser.Response mismatch = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "id_token_hint", hint));
        assertThat(mismatch.location()).isEqualTo(ISSUER + "/login");
        Browser.Response afterLogin = browser.follow(browser.signIn(email, PASSWORD));
        assertThat(afterLogin.location()).startsWith(TRUSTED_REDIRECT + "?code=");
        Jwt idToken = jwks.decode(tokens(afterLogin.locationParam("code")).get("id_token").asString());
        assertThat(idToken.getSubject()).isEqualTo(jwks.decode(hint).getSubject());
    }

    @Test
    void signingInAgainAsSomeoneElseThanTheHintedUserIsLoginRequired() {
        String hint = idTokenFor(new Browser(), email);

        Browser.Response toLogin = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "id_token_hint", hint));
        assertThat(toLogin.location()).startsWith(ISSUER + "/login");
        Browser.Response afterLogin = browser.follow(browser.signIn(other, PASSWORD));
        assertThat(afterLogin.location()).startsWith(TRUSTED_REDIRECT + "?");
        assertThat(afterLogin.locationParam("error")).isEqualTo("login_required");
    }

    @Test
    void forgedMalformedForeignOrOtherClientsHintsAreInvalidRequests() {
        String hint = idTokenFor(browser, email);
        JsonNode tokens = tokensAfterFlow(new Browser(), email, "openid");
        String[] parts = hint.split("\\.");
        String forgedSignature = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A")
                + parts[2].substring(1);
        String otherPayload = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"someone\",\"aud\":\"trusted-app\",\"iss\":\"x\"}".getBytes()) + "."
                + parts[2];
        String unsigned = "eyJhbGciOiJub25lIn0." + parts[1] + ".";
        List<String> bad = new ArrayList<>(List.of(forgedSignature, otherPayload, unsigned, "not.a.jwt", "abc",
                tokens.get("access_token").asString()));
        bad.addAll(HOSTILE);
        for (String value : bad) {
            Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                    "id_token_hint", value));
            assertThat(response.status()).as(value).isLessThan(500);
            if (response.isRedirect()) {
                assertThat(response.locationParam("error")).as(value).isEqualTo("invalid_request");
            }
        }
        // a hint issued to another client: its aud does not name the requesting one
        Browser.Response otherClient = browser.get(authorize(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT, "openid",
                "id_token_hint", hint, "prompt", "none"));
        assertThat(otherClient.location()).startsWith(CONFIDENTIAL_REDIRECT + "?");
        assertThat(otherClient.locationParam("error")).isEqualTo("invalid_request");
    }

    @Test
    void anExpiredIdTokenHintOfLatchkeyStillCounts() {
        String own = ownUser();
        String hint = idTokenFor(browser, own);
        Jwt issued = jwks.decode(hint);
        Instant past = Instant.now().minus(Duration.ofDays(2));
        String expired = encoder.encode(JwtEncoderParameters.from(JwtClaimsSet.builder()
                .issuer(ISSUER).subject(issued.getSubject()).audience(List.of(TRUSTED_CLIENT))
                .issuedAt(past).expiresAt(past.plusSeconds(300)).build())).getTokenValue();
        assertThat(jwks.decode(hint).getExpiresAt()).isAfter(Instant.now());

        Browser.Response silent = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "prompt", "none", "id_token_hint", expired));
        assertThat(silent.locationParam("code")).isNotBlank();

        // signed by Latchkey, but for another issuer: not one of its ID tokens
        String otherIssuer = encoder.encode(JwtEncoderParameters.from(JwtClaimsSet.builder()
                .issuer("https://elsewhere.example").subject(issued.getSubject()).audience(List.of(TRUSTED_CLIENT))
                .issuedAt(past).expiresAt(past.plusSeconds(300)).build())).getTokenValue();
        assertThat(browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "id_token_hint", otherIssuer))
                .locationParam("error")).isEqualTo("invalid_request");
    }

    // --- ui_locales ---

    @Test
    void uiLocalesChoosesTheLanguageOfTheLoginPageWhenTheUserChoseNone() {
        Browser fresh = new Browser();
        Browser.Response toLogin = fresh.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "ui_locales", "fr-CA de en"));
        assertThat(fresh.get(toLogin.location()).body()).contains("lang=\"de\"");

        Browser chosen = new Browser();
        chosen.get("/login?lang=en");
        Browser.Response chosenLogin = chosen.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "ui_locales", "de"));
        assertThat(chosen.get(chosenLogin.location()).body()).contains("lang=\"en\"");

        for (String hostile : HOSTILE) {
            Browser other = new Browser();
            assertThat(other.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid", "ui_locales", hostile))
                    .status()).as(hostile).isLessThan(500);
        }
    }

    // --- claims ---

    @Test
    void claimsParameterReleasesRequestedClaimsInTheIdTokenAndAtUserInfoWithoutTheirScopes() {
        String claims = "{\"id_token\":{\"email\":{\"essential\":true},\"shoe_size\":null},"
                + "\"userinfo\":{\"name\":null,\"email_verified\":{\"value\":true}},\"unknown_member\":1}";
        JsonNode tokens = tokensAfterFlow(browser, email, "openid", "claims", claims);

        Jwt idToken = jwks.decode(tokens.get("id_token").asString());
        assertThat(idToken.getClaimAsString("email")).isEqualTo(email);
        assertThat(idToken.hasClaim("name")).isFalse();
        assertThat(idToken.hasClaim("shoe_size")).isFalse();

        JsonNode userinfo = userInfo(tokens.get("access_token").asString());
        assertThat(userinfo.get("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(userinfo.get("email_verified").asBoolean()).isTrue();
        assertThat(userinfo.has("email")).isFalse();

        // a refresh keeps what the authorization asked for
        Browser.Response refreshed = OAuth.post(browser, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asString()));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(userInfo(OAuth.json(refreshed).get("access_token").asString()).get("name").asString())
                .isEqualTo("Ada Lovelace");
    }

    @Test
    void theConsentPageShowsRequestedClaimsAndApprovingReleasesThem() {
        String email = ownUser();
        browser.signIn(email, PASSWORD);
        Browser.Response consent = browser.get(browser.get(authorize(CONFIDENTIAL_CLIENT, CONFIDENTIAL_REDIRECT,
                "openid", "claims", "{\"userinfo\":{\"email\":null,\"name\":null}}")).location());
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("id=\"claims-requested\"").contains("<strong>email</strong>")
                .contains("<strong>name</strong>");

        Browser.Response approved = browser.postForm("/oauth2/authorize", consentForm(consent, "openid"));
        assertThat(approved.location()).startsWith(CONFIDENTIAL_REDIRECT + "?code=");
        Browser.Response token = OAuth.post(browser, "/oauth2/token", CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", approved.locationParam("code"),
                        "redirect_uri", CONFIDENTIAL_REDIRECT, "code_verifier", VERIFIER));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        JsonNode userinfo = userInfo(OAuth.json(token).get("access_token").asString());
        assertThat(userinfo.get("email").asString()).isEqualTo(email);
        assertThat(userinfo.get("name").asString()).isEqualTo("Ada Lovelace");
    }

    @Test
    void anAcrAskedForInTheClaimsParameterStepsUpAsAcrValuesDoes() {
        String own = TestUsers.uniqueEmail("hints-acr");
        UUID id = TestUsers.create(jdbc, passwordEncoder, own, PASSWORD, null);
        browser.signIn(own, PASSWORD);
        TestTotp.enrol(secondFactor, id);
        String claims = "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"urn:latchkey:acr:mfa\"]}}}";
        Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "claims", claims));
        assertThat(response.location()).isEqualTo(ISSUER + StepUpRequiredException.SECOND_FACTOR_PAGE);
        Browser.Response silent = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                "claims", claims, "prompt", "none"));
        assertThat(silent.locationParam("error")).isEqualTo("interaction_required");
    }

    @Test
    void malformedOrOversizedClaimsAreInvalidRequests() {
        browser.signIn(email, PASSWORD);
        List<String> bad = new ArrayList<>(List.of("{", "[]", "\"email\"", "null", "{\"id_token\":\"email\"}",
                "{\"userinfo\":[\"email\"]}", "{\"id_token\":{\"email\":true}}",
                "{\"id_token\":{\"email\":{\"essential\":\"yes\"}}}", "{\"id_token\":{\"acr\":{\"values\":\"x\"}}}",
                "{\"id_token\":{\"email\":null,\"" + "a".repeat(4100) + "\":null}}", "[".repeat(1500)));
        bad.addAll(HOSTILE);
        for (String claims : bad) {
            Browser.Response response = browser.get(authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, "openid",
                    "claims", claims));
            assertThat(response.status()).as(claims).isLessThan(500);
            if (response.isRedirect()) {
                assertThat(response.locationParam("error")).as(claims).isEqualTo("invalid_request");
            }
        }
    }

    // --- helpers ---

    /** An authorization request; the extra parameters form-encoded here, as JSON and hostile values need. */
    private static String authorize(String clientId, String redirectUri, String scope, String... extra) {
        StringBuilder url = new StringBuilder(CodeFlow.authorizeUrl(clientId, redirectUri, scope, "st", VERIFIER));
        for (int i = 0; i < extra.length; i += 2) {
            url.append('&').append(extra[i]).append('=').append(URLEncoder.encode(extra[i + 1], StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    private String idTokenFor(Browser session, String user) {
        return tokensAfterFlow(session, user, "openid").get("id_token").asString();
    }

    private JsonNode tokensAfterFlow(Browser session, String user, String scope, String... extra) {
        Browser.Response callback = CodeFlow.run(session, authorize(TRUSTED_CLIENT, TRUSTED_REDIRECT, scope, extra),
                user, PASSWORD);
        return tokens(session, callback.locationParam("code"));
    }

    private JsonNode tokens(String code) {
        return tokens(browser, code);
    }

    private static JsonNode tokens(Browser session, String code) {
        Browser.Response response = OAuth.post(session, "/oauth2/token", TRUSTED_CLIENT, TRUSTED_SECRET,
                OAuth.form("grant_type", "authorization_code", "code", code, "redirect_uri", TRUSTED_REDIRECT,
                        "code_verifier", VERIFIER));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    private JsonNode userInfo(String accessToken) {
        Browser.Response response = browser.get("/userinfo", "Authorization", "Bearer " + accessToken,
                "Accept", "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return OAuth.json(response);
    }

    /** The consent form as the page has it: client_id, state, its hidden fields, and the scopes named. */
    private static List<Map.Entry<String, String>> consentForm(Browser.Response consent, String... scopes) {
        List<Map.Entry<String, String>> form = new ArrayList<>();
        form.add(Map.entry("client_id", UriComponentsBuilder.fromUri(consent.uri()).build().getQueryParams()
                .getFirst("client_id")));
        Matcher state = Pattern.compile("name=\"state\"\\s+value=\"([^\"]+)\"").matcher(consent.body());
        assertThat(state.find()).isTrue();
        form.add(Map.entry("state", state.group(1)));
        if (consent.body().contains("name=\"response_mode\" value=\"form_post\"")) {
            form.add(Map.entry("response_mode", "form_post"));
        }
        for (String scope : scopes) {
            form.add(Map.entry("scope", scope));
        }
        form.add(Map.entry("_csrf", consent.csrf()));
        return form;
    }

    private static Map<String, String> hiddenFields(String page) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(page);
        while (matcher.find()) {
            fields.put(matcher.group(1), HtmlUtils.htmlUnescape(matcher.group(2)));
        }
        return fields;
    }
}
