package io.latchkey.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.latchkey.account.AccountRuleViolation;
import io.latchkey.admission.AdmissionRefusedException;
import io.latchkey.admission.ServerOverloaded;
import io.latchkey.database.DatabaseAvailability;
import io.latchkey.database.UnavailableResponses;
import io.latchkey.ratelimit.RateLimitExceededException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * Every error of the API's controllers as problem details (RFC 9457). Scoped to this package, so the
 * hosted pages keep their HTML error pages. Invalid input is a 400 whose {@code errors} list says which
 * field is wrong, in the request's language; nothing is ever answered with a stack trace or an exception
 * message.
 */
@RestControllerAdvice(basePackageClasses = ApiExceptionHandler.class)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final MessageSource messages;
    private final ApiSecurityErrors securityErrors;
    private final DatabaseAvailability database;

    ApiExceptionHandler(MessageSource messages, ApiSecurityErrors securityErrors, DatabaseAvailability database) {
        this.messages = messages;
        this.securityErrors = securityErrors;
        this.database = database;
    }

    @ExceptionHandler(AccountRuleViolation.class)
    ResponseEntity<Object> accountRule(AccountRuleViolation violation) {
        return problem(invalid(violation.field(), violation.messageKey()));
    }

    /**
     * Allowed, but not on this sign-in (RFC 9470): audited like any denial, with the challenge that tells the
     * client which {@code acr_values} to ask for.
     */
    @ExceptionHandler(InsufficientUserAuthenticationException.class)
    ResponseEntity<Object> insufficientUserAuthentication(HttpServletRequest request,
            InsufficientUserAuthenticationException insufficient) {
        securityErrors.denied(request);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A sign-in with a second factor or a passkey is required\", acr_values=\""
                + insufficient.needed().acr() + "\"");
        ProblemDetail problem = ApiProblems.of(HttpStatus.FORBIDDEN, ApiProblems.INSUFFICIENT_USER_AUTHENTICATION,
                "This operation needs a sign-in with a second factor or a passkey: sign in again with acr_values="
                        + insufficient.needed().acr());
        problem.setProperty("acr_values", insufficient.needed().acr());
        return problem(problem, headers);
    }

    /** A denial by {@code @PreAuthorize}: audited and answered like a denial in the filter chain. */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> accessDenied(HttpServletRequest request) {
        return problem(securityErrors.denied(request));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException mismatch) {
        return problem(invalid(mismatch.getName(), "field.invalid"));
    }

    /** Over a rate limit (sign-in, current password, account mail): 429 with Retry-After. */
    @ExceptionHandler(RateLimitExceededException.class)
    ResponseEntity<Object> tooManyRequests(RateLimitExceededException limited) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(limited.verdict().retryAfterSeconds()));
        return problem(ApiProblems.of(HttpStatus.TOO_MANY_REQUESTS, null, "Too many attempts. Try again in "
                + limited.verdict().retryAfterSeconds() + " seconds."), headers);
    }

    /** Overload (no admission turn, no database connection in time, a lock that timed out): 503, never 500. */
    @ExceptionHandler({ AdmissionRefusedException.class, TransientDataAccessException.class,
            CannotGetJdbcConnectionException.class })
    ResponseEntity<Object> busy(Exception ex) {
        if (database.reportFailure(ex)) {
            return unavailable();
        }
        log.warn("Answered 503 in the API: {}", ex.getClass().getSimpleName());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return problem(ApiProblems.of(HttpStatus.SERVICE_UNAVAILABLE, null, "The server is busy. Try again in 1 second."),
                headers);
    }

    /** The database is unreachable: 503 with Retry-After; the outage itself is logged once, not per request. */
    private ResponseEntity<Object> unavailable() {
        long seconds = Math.max(1, database.retryAfter().toSeconds());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return problem(ApiProblems.of(HttpStatus.SERVICE_UNAVAILABLE, null, UnavailableResponses.description(seconds)),
                headers);
    }

    /**
     * The firewall checks a header or parameter when it is first read, which can be here, deep in a
     * controller: left to the firewall's own handler, which answers 400 in the API's format.
     */
    @ExceptionHandler(RequestRejectedException.class)
    void rejectedByFirewall(RequestRejectedException rejected) {
        throw rejected;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex) {
        if (database.reportFailure(ex)) {
            return unavailable();
        }
        if (ex instanceof ServerOverloaded) {
            // password hashing saturated (a registration, a password change): busy, not broken
            return busy(ex);
        }
        log.error("Unexpected error in the API", ex);
        return problem(ApiProblems.of(HttpStatus.INTERNAL_SERVER_ERROR, null,
                "The request could not be completed. Please try again later."));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Locale locale = LocaleContextHolder.getLocale();
        List<ApiProblems.FieldMessage> errors = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.add(new ApiProblems.FieldMessage(error.getField(), text(error.getDefaultMessage(), locale)));
        }
        return problem(ApiProblems.validation("The request has invalid fields", errors));
    }

    /**
     * Not JSON, JSON over a limit ({@code io.latchkey.http.JsonLimits}), the wrong JSON type for a field, or no
     * body: the field is named when it can be told.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (overJsonLimit(ex)) {
            return problem(ApiProblems.validation("The JSON in the request body is too long, too deep or too large",
                    List.of()));
        }
        String field = fieldOf(ex);
        if (field == null) {
            return problem(ApiProblems.validation("The request body is missing or is not valid JSON of the expected shape",
                    List.of()));
        }
        return problem(invalid(field, "field.invalid"));
    }

    /** Every other MVC error (wrong method, media type, ...): its status, in our problem format. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        HttpStatus status = HttpStatus.resolve(statusCode.value());
        if (status == null) {
            status = HttpStatus.BAD_REQUEST;
        }
        String detail = ex instanceof ErrorResponse response && response.getBody().getDetail() != null
                ? response.getBody().getDetail() : status.getReasonPhrase();
        HttpHeaders kept = new HttpHeaders();
        if (headers != null && headers.getAllow() != null && !headers.getAllow().isEmpty()) {
            kept.setAllow(headers.getAllow());
        }
        return problem(ApiProblems.of(status, null, detail), kept);
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Object> status(ResponseStatusException ex) {
        HttpStatus status = HttpStatus.resolve(ex.getStatusCode().value());
        status = status == null ? HttpStatus.BAD_REQUEST : status;
        return problem(ApiProblems.of(status, null, ex.getReason() == null ? status.getReasonPhrase() : ex.getReason()));
    }

    private ProblemDetail invalid(String field, String messageKey) {
        return ApiProblems.validation("The request has invalid fields", List.of(new ApiProblems.FieldMessage(field,
                messages.getMessage(messageKey, null, messageKey, LocaleContextHolder.getLocale()))));
    }

    /** A Bean Validation message: "{key}" when the interpolator left it, or text it already resolved. */
    private String text(String message, Locale locale) {
        if (message != null && message.startsWith("{") && message.endsWith("}")) {
            String key = message.substring(1, message.length() - 1);
            return messages.getMessage(key, null, key, locale);
        }
        return message;
    }

    private static boolean overJsonLimit(HttpMessageNotReadableException ex) {
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException) {
                return true;
            }
        }
        return false;
    }

    private static String fieldOf(HttpMessageNotReadableException ex) {
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                StringBuilder path = new StringBuilder();
                for (JacksonException.Reference reference : jackson.getPath()) {
                    if (reference.getPropertyName() != null) {
                        path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
                    }
                    else if (reference.getIndex() >= 0) {
                        path.append('[').append(reference.getIndex()).append(']');
                    }
                }
                return path.isEmpty() ? null : path.toString();
            }
        }
        return null;
    }

    private static ResponseEntity<Object> problem(ProblemDetail problem) {
        return problem(problem, new HttpHeaders());
    }

    private static ResponseEntity<Object> problem(ProblemDetail problem, HttpHeaders headers) {
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setCacheControl("no-store");
        return new ResponseEntity<>(problem, headers, HttpStatusCode.valueOf(problem.getStatus()));
    }
}
