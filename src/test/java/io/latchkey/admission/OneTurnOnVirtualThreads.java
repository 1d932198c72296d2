package io.latchkey.admission;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import org.springframework.mock.web.MockHttpServletRequest;

/**
 * An admission gate with a single turn whose admitted work moves to platform threads, and requests sent into it
 * from virtual threads, as Tomcat does on Java 21+; a test using it is skipped on Java 17 (the compile target).
 */
final class OneTurnOnVirtualThreads implements AutoCloseable {

    final Admission admission = new Admission(1, 5, Duration.ofMillis(100), Duration.ofSeconds(1));
    final PlatformThreadWork work = new PlatformThreadWork(admission, true);
    final AdmissionFilter filter = new AdmissionFilter(admission, work);
    private final ExecutorService virtualThreads;

    private OneTurnOnVirtualThreads(ExecutorService virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    static OneTurnOnVirtualThreads orSkip() {
        ExecutorService virtualThreads = virtualThreadPerTask();
        Assumptions.assumeTrue(virtualThreads != null, "virtual threads need Java 21 or newer");
        return new OneTurnOnVirtualThreads(virtualThreads);
    }

    /** Runs the task on a new virtual thread and waits for it. */
    void onVirtualThread(Callable<?> task) throws Exception {
        virtualThreads.submit(task).get(10, TimeUnit.SECONDS);
    }

    static MockHttpServletRequest userinfoRequest() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/userinfo");
        request.setServletPath("/userinfo");
        return request;
    }

    @Override
    public void close() {
        work.shutdown();
        virtualThreads.shutdownNow();
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
