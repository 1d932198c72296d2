package io.latchkey.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.latchkey.account.AccountRuleViolation;
import io.latchkey.account.PasswordChangeRequiredException;
import io.latchkey.account.SecondFactorRequiredException;
import io.latchkey.oauth.FirstPartyTokens;
import io.latchkey.ratelimit.RateLimitExceededException;

/**
 * A first-party app's sign-in under {@code /api/v1/auth}: {@code login} (email and password for tokens),
 * {@code refresh} and {@code logout}. For apps that cannot redirect a browser: tokens for a password, like the
 * password grant at the token endpoint (and through the same code), on behalf of the client configured as
 * {@code latchkey.api.client-id}. Guessing is limited exactly as at the hosted login: the limits sit in the
 * password check that every sign-in shares. An account with a second factor gets no tokens here: the answer is a
 * {@code second-factor-required} problem naming the authorization challenge endpoint, which takes the code.
 */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "auth")
@SecurityRequirements
class SignInController {

    static final String INVALID_CREDENTIALS = "The username or password is not valid";
    static final String SECOND_FACTOR_REQUIRED = "This account has a second factor, so the password alone signs it "
            + "in nowhere: sign in at the authorization challenge endpoint (password, then the code; see "
            + "authorizationChallengeEndpoint), which answers with an authorization code for the token endpoint";
    static final String SET_UP_SECOND_FACTOR = "This account must set up a second factor before it signs in here: "
            + "sign in on the hosted pages in a browser to set it up";

    private final FirstPartyTokens tokens;

    SignInController(FirstPartyTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Sign in with email and password", description = "Returns access_token, token_type, "
            + "expires_in and refresh_token; 400 for every failed sign-in alike; 403 (second-factor-required) for an "
            + "account with a second factor, which signs in at the authorization challenge endpoint; 429 with "
            + "Retry-After when guessing")
    ResponseEntity<Object> loginJson(@Valid @RequestBody ApiRequests.Login body, HttpServletRequest request) {
        return login(body, request);
    }

    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @Operation(summary = "Sign in with email and password, as an OAuth 2 password form")
    ResponseEntity<Object> loginForm(@Valid @ModelAttribute ApiRequests.Login body, HttpServletRequest request) {
        return login(body, request);
    }

    @PostMapping(path = "/refresh", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Exchange a refresh token for new tokens",
            description = "The old refresh token stops working; presenting it again revokes the whole sign-in")
    ResponseEntity<Object> refresh(@Valid @RequestBody ApiRequests.RefreshToken body) {
        try {
            return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .body(response(tokens.refresh(body.refresh_token())));
        }
        catch (OAuth2AuthenticationException rejected) {
            return problem(HttpStatus.BAD_REQUEST, "The refresh token is not valid");
        }
    }

    @PostMapping(path = "/logout", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "End a sign-in", description = "Revokes every token issued from the refresh token's sign-in; "
            + "204 also for an unknown token (RFC 7009 style)")
    ResponseEntity<Void> logout(@Valid @RequestBody ApiRequests.RefreshToken body) {
        tokens.signOut(body.refresh_token());
        return ResponseEntity.noContent().build();
    }

    private ResponseEntity<Object> login(ApiRequests.Login body, HttpServletRequest request) {
        try {
            return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .body(response(tokens.signIn(body.username(), body.password(), scopes(body.scope()),
                            request.getRemoteAddr())));
        }
        catch (OAuth2AuthenticationException rejected) {
            if (rejected.getCause() instanceof RateLimitExceededException limited) {
                throw limited; // 429 with Retry-After (ApiExceptionHandler)
            }
            String code = rejected.getError().getErrorCode();
            if ("invalid_scope".equals(code)) {
                throw new AccountRuleViolation("scope", "scope.invalid");
            }
            if (rejected.getCause() instanceof SecondFactorRequiredException secondStep) {
                return secondFactorRequired(secondStep);
            }
            if (rejected.getCause() instanceof PasswordChangeRequiredException) {
                return problem(HttpStatus.BAD_REQUEST, PasswordChangeRequiredException.DESCRIPTION);
            }
            if ("unauthorized_client".equals(code)) {
                return problem(HttpStatus.NOT_FOUND, "Sign-in through the API is not configured (latchkey.api.client-id)");
            }
            return problem(HttpStatus.BAD_REQUEST, INVALID_CREDENTIALS);
        }
    }

    /** Never tokens on the password alone: the app is told that a second step is needed, and where. */
    private ResponseEntity<Object> secondFactorRequired(SecondFactorRequiredException secondStep) {
        ProblemDetail problem;
        if (secondStep.enrolled()) {
            problem = ApiProblems.of(HttpStatus.FORBIDDEN, ApiProblems.SECOND_FACTOR_REQUIRED, SECOND_FACTOR_REQUIRED);
            problem.setProperty("secondStep", "code");
            problem.setProperty("authorizationChallengeEndpoint", tokens.authorizationChallengeEndpoint());
        }
        else {
            problem = ApiProblems.of(HttpStatus.FORBIDDEN, ApiProblems.SECOND_FACTOR_REQUIRED, SET_UP_SECOND_FACTOR);
            problem.setProperty("secondStep", "set-up-in-browser");
        }
        problem.setTitle("Second factor required");
        return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(problem);
    }

    private static Set<String> scopes(String scope) {
        return scope == null || scope.isBlank() ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(scope.trim().split(" +")));
    }

    private static Map<String, Object> response(FirstPartyTokens.Issued issued) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.accessToken());
        body.put("token_type", issued.tokenType());
        body.put("expires_in", issued.expiresIn());
        if (issued.refreshToken() != null) {
            body.put("refresh_token", issued.refreshToken());
        }
        if (issued.idToken() != null) {
            body.put("id_token", issued.idToken());
        }
        return body;
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ApiProblems.of(status, null, detail));
    }
}
