package io.latchkey.ratelimit;

import java.util.Optional;

import org.springframework.security.core.AuthenticationException;

/**
 * A request over one of the {@link CredentialGuard}'s limits: it is answered {@code 429 Too Many Requests} with
 * {@code Retry-After}, in the format of the entrance it came through ({@link RateLimitResponses}). It is an
 * {@link AuthenticationException} because most limits sit inside Spring Security's authentication, whose filters
 * hand only those to their failure handlers; Spring Security publishes no authentication event for it, so a refused
 * attempt is neither audited nor counted as a failed sign-in. Where an OAuth filter accepts only
 * {@code OAuth2AuthenticationException}, this one travels as its cause: see {@link #find}.
 */
public class RateLimitExceededException extends AuthenticationException {

    private final transient Verdict verdict;

    public RateLimitExceededException(Verdict verdict) {
        super("Too many attempts; try again in " + verdict.retryAfterSeconds() + " seconds");
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** The rejecting verdict when {@code failure} or one of its causes is a rate limit, else empty. */
    public static Optional<Verdict> find(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RateLimitExceededException limited) {
                return Optional.of(limited.verdict());
            }
        }
        return Optional.empty();
    }
}
