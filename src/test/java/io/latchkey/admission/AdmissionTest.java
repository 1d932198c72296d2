package io.latchkey.admission;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.ServletException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The turns of {@link Admission} and the answers of {@link AdmissionFilter}, with real threads. */
class AdmissionTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void requestsBeyondTheTurnsWaitThenAreRefused() throws Exception {
        Admission admission = new Admission(2, 10, Duration.ofMillis(200), Duration.ofSeconds(3));
        CountDownLatch holding = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            threads.submit(() -> {
                assertThat(admission.enter()).isTrue();
                holding.countDown();
                release.await();
                admission.leave();
                return null;
            });
        }
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        assertThat(threads.submit(admission::enter).get()).as("no turn free within the wait").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(admission.refused()).isEqualTo(1);

        Future<Boolean> waiter = threads.submit(admission::enter);
        release.countDown();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).as("a turn given back goes to the waiter").isTrue();
    }

    @Test
    void aFullQueueIsRefusedAtOnce() throws Exception {
        Admission admission = new Admission(1, 1, Duration.ofSeconds(5), Duration.ofSeconds(1));
        assertThat(admission.enter()).isTrue();
        Future<Boolean> queued = threads.submit(admission::enter);
        while (admission.waiting() == 0) {
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        assertThat(threads.submit(admission::enter).get(1, TimeUnit.SECONDS)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        admission.leave();
        assertThat(queued.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void workOutsideGivesTheTurnBackAndReturnsWithoutWaiting() throws Exception {
        Admission admission = new Admission(1, 10, Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(admission.enter()).isTrue();
        CountDownLatch outside = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        Future<Boolean> other = threads.submit(() -> {
            outside.await();
            boolean entered = admission.enter();
            otherDone.countDown();
            return entered;
        });
        String result = admission.outside(() -> {
            outside.countDown();
            try {
                otherDone.await(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return "hashed";
        });
        assertThat(result).isEqualTo("hashed");
        assertThat(other.get()).as("the turn served another request meanwhile").isTrue();
        // back in at once although the other request holds the only turn: owed, settled by the next leave
        admission.leave();
        assertThat(threads.submit(admission::enter).get()).as("the owed turn was settled, not given out").isFalse();
    }

    @Test
    void overloadBecomes503InTheEndpointsFormatAndOtherFailuresPass() throws Exception {
        Admission admission = new Admission(1, 1, Duration.ofMillis(50), Duration.ofSeconds(2));
        AdmissionFilter filter = new AdmissionFilter(admission, new PlatformThreadWork(admission, true));

        MockHttpServletResponse token = run(filter, "/oauth2/token", new CannotGetJdbcConnectionException("pool empty"));
        assertThat(token.getStatus()).isEqualTo(503);
        assertThat(token.getHeader("Retry-After")).isEqualTo("2");
        assertThat(token.getContentType()).startsWith("application/json");
        assertThat(token.getContentAsString()).contains("\"error\":\"temporarily_unavailable\"");

        MockHttpServletResponse api = run(filter, "/api/v1/users/me", new QueryTimeoutException("lock wait"));
        assertThat(api.getStatus()).isEqualTo(503);
        assertThat(api.getContentType()).startsWith("application/problem+json");
        assertThat(api.getContentAsString()).contains("\"status\":503");

        MockHttpServletResponse page = run(filter, "/login", new AdmissionRefusedException(Duration.ofSeconds(2)));
        assertThat(page.getStatus()).isEqualTo(503);
        assertThat(page.getHeader("Retry-After")).isEqualTo("2");

        assertThatThrownBy(() -> run(filter, "/oauth2/token", new IllegalStateException("a bug")))
                .as("not overload: left to the error handling").hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(admission.enter()).as("every turn was given back").isTrue();
    }

    @Test
    void theGateAnswers503WhenNoTurnComesFree() throws Exception {
        Admission admission = new Admission(1, 5, Duration.ofMillis(50), Duration.ofSeconds(1));
        assertThat(admission.enter()).isTrue();
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/introspect");
        request.setServletPath("/oauth2/introspect");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        threads.submit(() -> {
            new AdmissionFilter(admission, new PlatformThreadWork(admission, true)).doFilter(request, response, chain);
            return null;
        }).get();
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(chain.getRequest()).as("the request never reached the application").isNull();
        admission.leave();
    }

    private static MockHttpServletResponse run(AdmissionFilter filter, String path, RuntimeException failure)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setServletPath(path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> {
            throw new ServletException("wrapped", failure);
        });
        return response;
    }

    @Test
    void onAVirtualThreadTheAdmittedWorkRunsOnAPlatformThreadThatHoldsTheTurn() throws Exception {
        try (OneTurnOnVirtualThreads gate = OneTurnOnVirtualThreads.orSkip()) {
            Admission admission = gate.admission;
            MockHttpServletRequest request = OneTurnOnVirtualThreads.userinfoRequest();
            MockHttpServletResponse response = new MockHttpServletResponse();
            AtomicReference<Boolean> workedOnVirtual = new AtomicReference<>();
            AtomicReference<Boolean> turnTakenMeanwhile = new AtomicReference<>();
            AtomicReference<String> outsideResult = new AtomicReference<>();
            gate.onVirtualThread(() -> {
                assertThat(PlatformThreadWork.isVirtual(Thread.currentThread())).isTrue();
                gate.filter.doFilter(request, response, (req, res) -> {
                    workedOnVirtual.set(PlatformThreadWork.isVirtual(Thread.currentThread()));
                    turnTakenMeanwhile.set(!enterAndLeaveElsewhere(admission));
                    // the adopted turn can be given back while hashing, as on the request's own thread
                    outsideResult.set(admission.outside(
                            () -> enterAndLeaveElsewhere(admission) ? "turn free while outside" : "no turn"));
                    ((MockHttpServletResponse) res).setStatus(204);
                });
                return null;
            });
            assertThat(workedOnVirtual.get()).as("the chain ran on a platform thread").isFalse();
            assertThat(turnTakenMeanwhile.get()).as("the platform thread held the only turn").isTrue();
            assertThat(outsideResult.get()).isEqualTo("turn free while outside");
            assertThat(response.getStatus()).isEqualTo(204);
            assertThat(admission.enter()).as("the turn was given back once the work ended").isTrue();
            admission.leave();

            MockHttpServletResponse failed = new MockHttpServletResponse();
            gate.onVirtualThread(() -> {
                gate.filter.doFilter(request, failed, (req, res) -> {
                    throw new ServletException("wrapped", new CannotGetJdbcConnectionException("pool empty"));
                });
                return null;
            });
            assertThat(failed.getStatus()).as("overload on the platform thread is still a 503").isEqualTo(503);
            assertThat(admission.enter()).as("and the turn came back").isTrue();
            admission.leave();
        }
    }

    /** Whether another request, on a thread of its own, gets a turn now. */
    private boolean enterAndLeaveElsewhere(Admission admission) {
        try {
            return threads.submit(() -> {
                boolean entered = admission.enter();
                admission.leave();
                return entered;
            }).get(10, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
