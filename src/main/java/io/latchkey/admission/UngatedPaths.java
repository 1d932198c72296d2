package io.latchkey.admission;

/**
 * Paths that pass the gates in front of the application (admission, the database-outage 503) untouched: theme files,
 * which a busy or degraded server needs to show its busy page; health probes and metrics, which read no database
 * table and must tell the truth exactly when the server is overloaded or has lost its database (an orchestrator must
 * see readiness go down, not a 503 page it cannot parse, and liveness stay up).
 */
public final class UngatedPaths {

    private UngatedPaths() {
    }

    public static boolean contains(String servletPath) {
        return servletPath.startsWith("/static/") || servletPath.equals("/favicon.ico")
                || servletPath.equals("/actuator/health") || servletPath.startsWith("/actuator/health/")
                || servletPath.equals("/actuator/prometheus");
    }
}
