package io.latchkey.api;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import io.latchkey.ops.RequestIds;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's error answers: problem details (RFC 9457) with {@code type}, {@code title}, {@code status},
 * {@code detail}, {@code requestId} (the {@code X-Request-Id} of the request, as in the log) and, for invalid input,
 * {@code errors}: a list of {@code {field, message}}.
 */
final class ApiProblems {

    /** Invalid input: the {@code errors} member says which field is wrong and why. */
    static final URI VALIDATION = URI.create("urn:latchkey:problem:validation-error");
    /** The bearer token is missing, invalid, expired, or its user cannot use the API. */
    static final URI UNAUTHORIZED = URI.create("urn:latchkey:problem:unauthorized");
    /** The user lacks the permission the operation needs. */
    static final URI FORBIDDEN = URI.create("urn:latchkey:problem:forbidden");
    /** The operation is allowed, but needs a token from a stronger sign-in (RFC 9470). */
    static final URI INSUFFICIENT_USER_AUTHENTICATION = URI.create("urn:latchkey:problem:insufficient-user-authentication");

    /**
     * The password was right, but the account has a second factor (or must set one up): no tokens. The problem's
     * {@code secondStep} says what comes next ({@code code}: at the {@code authorizationChallengeEndpoint};
     * {@code set-up-in-browser}: the hosted pages first).
     */
    static final URI SECOND_FACTOR_REQUIRED = URI.create("urn:latchkey:problem:second-factor-required");

    /** The member with the request's id ({@link RequestIds}), to quote when reporting a problem. */
    static final String REQUEST_ID = "requestId";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiProblems() {
    }

    static ProblemDetail of(HttpStatus status, URI type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type == null ? URI.create("about:blank") : type);
        problem.setTitle(status.getReasonPhrase());
        String requestId = RequestIds.current();
        if (requestId != null) {
            problem.setProperty(REQUEST_ID, requestId);
        }
        return problem;
    }

    static ProblemDetail validation(String detail, List<FieldMessage> errors) {
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, VALIDATION, detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    /** Writes a problem from a filter, where no message converter is at hand. */
    static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.getWriter().write(JSON.writeValueAsString(body));
    }

    /** One invalid field and what is wrong with it, in the request's language. */
    record FieldMessage(String field, String message) {
    }
}
