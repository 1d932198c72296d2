package io.latchkey.ops;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request has an id: the caller's {@code X-Request-Id} when it is sane (at most {@value #MAX_LENGTH} of
 * letters, digits and {@code - _ . : = + /}), so that a proxy's id follows the request through, otherwise a new
 * random one. It is sent back in the {@code X-Request-Id} response header, is in the logging MDC under
 * {@value #MDC_KEY} for every log line written while the request runs (admitted work on another thread carries it
 * over), and is shown on the error page and in problem details so that a user's report can be matched to the log.
 *
 * <p>The filter runs first of all, and again on the container's error dispatch, which happens after the first
 * pass has returned and cleared the MDC.
 */
public final class RequestIds extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    static final int MAX_LENGTH = 128;

    private static final String ATTRIBUTE = RequestIds.class.getName() + ".ID";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:=+/-]{1," + MAX_LENGTH + "}");

    /** The id of the request this thread works for, or null outside a request. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    /** The id of {@code request}, or null if it did not pass the filter. */
    public static String of(ServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id instanceof String text ? text : current();
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = request.getAttribute(ATTRIBUTE) instanceof String known ? known : accepted(request.getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        String outer = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            response.setHeader(HEADER, id);
            chain.doFilter(request, request.getDispatcherType() == DispatcherType.REQUEST
                    ? new KeepingHeader(response, id) : response);
        }
        finally {
            if (outer == null) {
                MDC.remove(MDC_KEY);
            }
            else {
                MDC.put(MDC_KEY, outer);
            }
        }
    }

    /** The caller's id if it is sane, else a new one. */
    static String accepted(String header) {
        if (header != null && SANE.matcher(header).matches()) {
            return header;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // not a secret: it only has to be unique, and the JDK's shared SecureRandom is contended under load
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }

    /** A response reset (as the busy answer does) would drop the header; it is put back. */
    private static final class KeepingHeader extends HttpServletResponseWrapper {

        private final String id;

        KeepingHeader(HttpServletResponse response, String id) {
            super(response);
            this.id = id;
        }

        @Override
        public void reset() {
            super.reset();
            setHeader(HEADER, id);
        }
    }
}
