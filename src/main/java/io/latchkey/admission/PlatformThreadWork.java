package io.latchkey.admission;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletException;

import org.slf4j.MDC;

import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Runs an admitted request's work on a platform thread when the request arrived on a virtual thread.
 *
 * <p>Virtual threads are good at waiting: for a connection to send its next request, for an admission turn.
 * The admitted work is CPU (signing, JSON, templates) and database I/O, at most one request per turn, so it gains
 * nothing from them, and on a saturated machine it suffers: Java 25's scheduler can leave a virtual thread that
 * was woken from outside its carriers (by the socket poller after a database reply, by the monitor unblocker
 * after a contended {@code synchronized}, such as the JDK's shared {@code SecureRandom}) unscheduled for seconds
 * while the carriers keep running other virtual threads (JDK-8373118; measured in docs/benchmarks.md). On
 * platform threads the operating system shares the cores fairly. So the request's virtual thread hands its
 * turn and its work to one of a pool of platform threads and waits; the pool's threads are bounded by the turns
 * plus the requests that gave theirs back while hashing ({@link Admission#outside}).
 *
 * <p>On Java 17, or with {@code latchkey.admission.work-on-platform-threads=false}, the work runs where it is.
 */
final class PlatformThreadWork {

    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private final Admission admission;
    private final ThreadPoolExecutor workers;

    PlatformThreadWork(Admission admission, boolean enabled) {
        this.admission = admission;
        this.workers = enabled && IS_VIRTUAL != null ? newWorkers(admission) : null;
    }

    interface Work {
        void run() throws ServletException, IOException;
    }

    /**
     * Runs {@code work}, which needs the current thread's admission turn; on a virtual thread, on a platform thread
     * that takes the turn over and gives it back when the work ends.
     */
    void run(Work work) throws ServletException, IOException {
        if (workers == null || !isVirtual(Thread.currentThread())) {
            work.run();
            return;
        }
        RequestAttributes requestAttributes = RequestContextHolder.getRequestAttributes();
        LocaleContext localeContext = LocaleContextHolder.getLocaleContext();
        // the logging context (the request id) goes along, so the work's log lines say which request they belong to
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        CompletableFuture<Void> done = new CompletableFuture<>();
        admission.handOver();
        try {
            workers.execute(() -> {
                admission.adopt();
                RequestContextHolder.setRequestAttributes(requestAttributes);
                LocaleContextHolder.setLocaleContext(localeContext);
                if (logContext != null) {
                    MDC.setContextMap(logContext);
                }
                try {
                    work.run();
                    done.complete(null);
                }
                catch (Throwable failure) {
                    done.completeExceptionally(failure);
                }
                finally {
                    RequestContextHolder.resetRequestAttributes();
                    LocaleContextHolder.resetLocaleContext();
                    MDC.clear();
                    admission.leave();
                }
            });
        }
        catch (RejectedExecutionException full) {
            admission.adopt();
            throw new AdmissionRefusedException(admission.retryAfter());
        }
        awaitUninterruptibly(done);
    }

    private static void awaitUninterruptibly(CompletableFuture<Void> done) throws ServletException, IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
                }
                catch (InterruptedException ex) {
                    // the platform thread holds the request: it must finish before the container reuses it
                    interrupted = true;
                }
            }
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof ServletException servlet) {
                throw servlet;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new ServletException(cause);
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void shutdown() {
        if (workers != null) {
            workers.shutdown();
        }
    }

    boolean handsOver() {
        return workers != null;
    }

    private static ThreadPoolExecutor newWorkers(Admission admission) {
        AtomicInteger count = new AtomicInteger();
        // turns, plus requests that gave their turn back while a password is hashed and may each come back in
        int most = admission.maxConcurrent() + admission.maxQueue();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(admission.maxConcurrent(), most, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "latchkey-work-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        return executor;
    }

    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        }
        catch (Throwable ex) {
            return false;
        }
    }

    /** {@code Thread.isVirtual()}, which Java 17 (the version this code is compiled for) does not have. */
    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        }
        catch (NoSuchMethodException | IllegalAccessException ex) {
            return null;
        }
    }
}
