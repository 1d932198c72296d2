package io.latchkey.mfa;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import io.latchkey.ratelimit.RateLimitExceededException;
import io.latchkey.ratelimit.RateLimitResponses;

/** A second-factor page over a rate limit: 429 with Retry-After and the themed page that says how long to wait. */
@ControllerAdvice(basePackageClasses = SecondFactorPagesLimits.class)
class SecondFactorPagesLimits {

    @ExceptionHandler(RateLimitExceededException.class)
    void tooManyRequests(RateLimitExceededException limited, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        RateLimitResponses.sendHostedPage(request, response, limited.verdict());
    }
}
