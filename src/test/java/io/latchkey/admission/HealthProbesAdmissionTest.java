package io.latchkey.admission;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A busy instance is still alive, and its metrics are wanted most then: health probes and the Prometheus scrape are
 * answered when every admission turn is taken.
 */
class HealthProbesAdmissionTest {

    @Test
    void healthProbesNeedNoTurnAndOtherRequestsDo() throws Exception {
        Admission admission = new Admission(1, 0, Duration.ofMillis(20), Duration.ofSeconds(1));
        AdmissionFilter filter = new AdmissionFilter(admission, new PlatformThreadWork(admission, true));
        assertThat(admission.enter()).as("the only turn is taken").isTrue();
        try {
            for (String path : new String[] { "/actuator/health", "/actuator/health/liveness",
                    "/actuator/health/readiness", "/actuator/prometheus" }) {
                assertThat(status(filter, path)).as(path).isEqualTo(200);
            }
            assertThat(status(filter, "/actuator/env")).isEqualTo(503);
            assertThat(status(filter, "/actuator/healthy")).isEqualTo(503);
            assertThat(status(filter, "/oauth2/token")).isEqualTo(503);
        }
        finally {
            admission.leave();
        }
    }

    private static int status(AdmissionFilter filter, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setServletPath(path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicInteger served = new AtomicInteger();
        filter.doFilter(request, response, (req, res) -> served.incrementAndGet());
        return served.get() == 1 ? 200 : response.getStatus();
    }
}
