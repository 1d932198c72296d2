package io.latchkey.http;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.latchkey.admission.BusyResponses;
import io.latchkey.ratelimit.RateLimitResponses;
import io.latchkey.ratelimit.Verdict;

/**
 * Test-only pages (under {@code /test-only/}, for signed-in users like every page) that fail the way the server fails
 * for real, through the same code: an unexpected exception (500), a busy server (503), a rate limit with a chosen
 * wait (429). The error pages' tests open them; nothing else does.
 */
@Controller
class ErrorTriggersForTests {

    @GetMapping("/test-only/failure")
    void failure() {
        throw new IllegalStateException("a failure the error page must not show");
    }

    @GetMapping("/test-only/busy")
    void busy(HttpServletRequest request, HttpServletResponse response) throws IOException {
        BusyResponses.write(request, response, Duration.ofSeconds(5));
    }

    @GetMapping("/test-only/rate-limited")
    void rateLimited(@RequestParam long seconds, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        RateLimitResponses.sendHostedPage(request, response,
                new Verdict(false, Duration.ofSeconds(seconds), Duration.ZERO));
    }
}
