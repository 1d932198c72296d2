package io.latchkey.admission;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.latchkey.ops.RequestIds;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admitted work that moves from a request's virtual thread to a platform thread ({@link PlatformThreadWork}) takes
 * the logging context along, so its log lines carry the request id; the platform thread keeps none of it afterwards.
 * Needs Java 21 or newer (skipped on 17, where nothing moves).
 */
class LogContextOnPlatformThreadsTest {

    @Test
    void theRequestIdGoesAlongToThePlatformThreadAndNoFurther() throws Exception {
        ExecutorService virtualThreads = virtualThreadPerTask();
        Assumptions.assumeTrue(virtualThreads != null, "virtual threads need Java 21 or newer");
        try {
            Admission admission = new Admission(1, 5, Duration.ofMillis(100), Duration.ofSeconds(1));
            PlatformThreadWork work = new PlatformThreadWork(admission, true);
            AdmissionFilter filter = new AdmissionFilter(admission, work);
            AtomicReference<String> idInWork = new AtomicReference<>();
            AtomicReference<Boolean> onVirtual = new AtomicReference<>();
            virtualThreads.submit(() -> {
                MDC.put(RequestIds.MDC_KEY, "carried-1");
                try {
                    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/userinfo");
                    request.setServletPath("/userinfo");
                    filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
                        onVirtual.set(PlatformThreadWork.isVirtual(Thread.currentThread()));
                        idInWork.set(MDC.get(RequestIds.MDC_KEY));
                    });
                }
                finally {
                    MDC.clear();
                }
                return null;
            }).get(10, TimeUnit.SECONDS);
            assertThat(onVirtual.get()).as("the work ran on a platform thread").isFalse();
            assertThat(idInWork.get()).isEqualTo("carried-1");

            AtomicReference<String> leftOver = new AtomicReference<>("unset");
            virtualThreads.submit(() -> {
                MockHttpServletRequest request = new MockHttpServletRequest("GET", "/userinfo");
                request.setServletPath("/userinfo");
                filter.doFilter(request, new MockHttpServletResponse(),
                        (req, res) -> leftOver.set(MDC.get(RequestIds.MDC_KEY)));
                return null;
            }).get(10, TimeUnit.SECONDS);
            assertThat(leftOver.get()).as("a later request without an id finds none left over").isNull();
            work.shutdown();
        }
        finally {
            virtualThreads.shutdownNow();
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} on Java 21+, null on Java 17 (the compile target). */
    private static ExecutorService virtualThreadPerTask() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        }
        catch (ReflectiveOperationException ex) {
            return null;
        }
    }
}
