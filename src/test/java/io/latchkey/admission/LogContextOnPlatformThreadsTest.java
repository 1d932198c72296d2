package io.latchkey.admission;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

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
        try (OneTurnOnVirtualThreads gate = OneTurnOnVirtualThreads.orSkip()) {
            AtomicReference<String> idInWork = new AtomicReference<>();
            AtomicReference<Boolean> onVirtual = new AtomicReference<>();
            gate.onVirtualThread(() -> {
                MDC.put(RequestIds.MDC_KEY, "carried-1");
                try {
                    gate.filter.doFilter(OneTurnOnVirtualThreads.userinfoRequest(), new MockHttpServletResponse(),
                            (req, res) -> {
                                onVirtual.set(PlatformThreadWork.isVirtual(Thread.currentThread()));
                                idInWork.set(MDC.get(RequestIds.MDC_KEY));
                            });
                }
                finally {
                    MDC.clear();
                }
                return null;
            });
            assertThat(onVirtual.get()).as("the work ran on a platform thread").isFalse();
            assertThat(idInWork.get()).isEqualTo("carried-1");

            AtomicReference<String> leftOver = new AtomicReference<>("unset");
            gate.onVirtualThread(() -> {
                gate.filter.doFilter(OneTurnOnVirtualThreads.userinfoRequest(), new MockHttpServletResponse(),
                        (req, res) -> leftOver.set(MDC.get(RequestIds.MDC_KEY)));
                return null;
            });
            assertThat(leftOver.get()).as("a later request without an id finds none left over").isNull();
        }
    }
}
