package io.latchkey.production;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** HSTS survives whatever happens to the response further down, a reset for a late 503 included. */
class StrictTransportSecurityTest {

    @Test
    void aResponseThatIsResetAndWrittenAgainKeepsHsts() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        new StrictTransportSecurity().doFilter(new MockHttpServletRequest(), response, (req, res) -> {
            var http = (jakarta.servlet.http.HttpServletResponse) res;
            http.setHeader("X-Half-Written", "yes");
            http.reset();
            http.setStatus(503);
        });

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("X-Half-Written")).isNull();
        assertThat(response.getHeaders(StrictTransportSecurity.HEADER)).containsExactly(StrictTransportSecurity.VALUE);
    }
}
