package io.latchkey.runtime;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Collects the few lines a new user needs after start (URLs, a one-time admin password, a demo
 * curl command) and prints them once the server is ready. Printed to standard output, never to the
 * log, because some lines carry one-time secrets that must not end up in log aggregation.
 */
@Component
public class StartupSummary {

    private static final Logger log = LoggerFactory.getLogger(StartupSummary.class);

    private final List<String> lines = new ArrayList<>();
    private final RuntimeMode mode;
    private final String issuer;
    private PrintStream out = System.out;

    StartupSummary(RuntimeMode mode, Issuer issuer) {
        this.mode = mode;
        this.issuer = issuer.url();
    }

    /** Adds a line to the summary printed when the server is ready. */
    public synchronized void add(String line) {
        lines.add(line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    void printTo(PrintStream out) {
        this.out = out;
    }

    @EventListener(ApplicationReadyEvent.class)
    void print() {
        if (mode.isEmbedded()) {
            log.warn("Latchkey is running on its embedded H2 database under {}. This is for evaluation only: "
                    + "set LATCHKEY_DB_URL to a PostgreSQL database for real use.", mode.dataDir().toAbsolutePath());
        }
        StringBuilder text = new StringBuilder();
        text.append("\n================ Latchkey is ready ================\n");
        text.append("Mode:       ").append(mode.isProduction() ? "production" : "evaluation").append('\n');
        text.append("Issuer:     ").append(issuer).append('\n');
        text.append("Discovery:  ").append(issuer).append("/.well-known/openid-configuration\n");
        text.append("Login page: ").append(issuer).append("/login\n");
        for (String line : lines()) {
            text.append(line).append('\n');
        }
        text.append("===================================================\n");
        out.print(text);
        out.flush();
    }
}
