package io.latchkey.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Markdown report of one run: what was measured, and the ratios the project targets. */
final class Report {

    private final List<String> header = new ArrayList<>();
    private final List<FloorRun> floorRuns = new ArrayList<>();
    private Floors.Result floors;
    private final List<ScenarioResult> scenarios = new ArrayList<>();
    private final List<Seeder.Timing> seedings = new ArrayList<>();
    private final List<ScenarioResult[]> seededPairs = new ArrayList<>();
    private ScenarioResult clientCredentials;
    private ScenarioResult passwordLogin;
    private ScenarioResult mixedClientCredentials;
    private ServerProcess.Memory memory;
    private BenchDatabase.StoreStats store;
    private ServerLog.Summary serverLog;
    private final List<String> failures = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    void header(String line) {
        header.add(line);
    }

    /** One measurement of the floors; the ratios use the best figures of all of them. */
    void floors(String when, Floors.Result result, CpuMeter.Usage cpu) {
        floorRuns.add(new FloorRun(when, result, cpu));
        floors = floors == null ? result : floors.best(result);
    }

    private record FloorRun(String when, Floors.Result result, CpuMeter.Usage cpu) {
    }

    void scenario(ScenarioResult result) {
        scenarios.add(result);
    }

    void seeding(Seeder.Timing timing) {
        seedings.add(timing);
    }

    /** The same scenario measured with the small and with the large seeded store. */
    void seededPair(ScenarioResult small, ScenarioResult large) {
        seededPairs.add(new ScenarioResult[] {small, large});
    }

    void targets(ScenarioResult clientCredentials, ScenarioResult passwordLogin, ScenarioResult mixedClientCredentials) {
        this.clientCredentials = clientCredentials;
        this.passwordLogin = passwordLogin;
        this.mixedClientCredentials = mixedClientCredentials;
    }

    void memory(ServerProcess.Memory memory) {
        this.memory = memory;
    }

    void store(BenchDatabase.StoreStats stats) {
        store = stats;
    }

    void serverLog(ServerLog.Summary summary) {
        serverLog = summary;
    }

    /** Something that kept a part of the run from being measured at all. */
    void failure(String what) {
        failures.add(what);
    }

    /** Something that went wrong outside the measured phases, such as errors in the server warm-up. */
    void warning(String what) {
        warnings.add(what);
    }

    boolean hasFailures() {
        return !failures.isEmpty();
    }

    String render() {
        StringBuilder md = new StringBuilder("# Latchkey benchmark\n\n");
        header.forEach(line -> md.append(line).append("  \n"));
        disturbance(md);
        md.append('\n');
        renderFailures(md);
        renderFloors(md);
        if (!scenarios.isEmpty()) {
            renderScenarios(md);
            renderSeeded(md);
            renderTargets(md);
        }
        renderServer(md);
        if (!scenarios.isEmpty()) {
            renderProblems(md);
            renderCpu(md);
            renderDrift(md);
        }
        return md.toString();
    }

    /** How much CPU processes outside the benchmark took while it measured: the trust to put in the numbers. */
    private void disturbance(StringBuilder md) {
        List<ScenarioResult> measured = scenarios.stream().filter(result -> result.cpu() != null).toList();
        if (measured.isEmpty()) {
            return;
        }
        double average = measured.stream().mapToDouble(result -> result.cpu().other()).average().orElse(0);
        ScenarioResult worst = measured.stream()
                .max(java.util.Comparator.comparingDouble(result -> result.cpu().other())).orElseThrow();
        md.append(String.format(Locale.ROOT, "Disturbance: processes outside the benchmark (neither the server, "
                + "this JVM nor PostgreSQL) kept %.2f cores busy on average during the timed phases, at most %.2f "
                + "(in \"%s\")%s  %n", average, worst.cpu().other(), worst.name(),
                worst.cpu().other() > 0.2 ? ": **other load skewed this run**" : ""));
    }

    private void renderFailures(StringBuilder md) {
        if (failures.isEmpty() && warnings.isEmpty()) {
            return;
        }
        md.append("## Problems\n\n");
        failures.forEach(failure -> md.append("- ").append(failure).append('\n'));
        warnings.forEach(warning -> md.append("- ").append(warning).append('\n'));
        md.append('\n');
    }

    private void renderFloors(StringBuilder md) {
        if (floors == null) {
            return;
        }
        int threads = floors.threads();
        md.append("## Floors (benchmark JVM alone, server stopped)\n\n")
                .append("Measured before the server starts and again after it stopped; other load can only lower a ")
                .append("floor, so the ratios below use the best of the two.\n\n")
                .append("| measured | RS256 signatures/s, 1 thread | RS256, ").append(threads).append(" threads ")
                .append("| bcrypt-12 checks/s, 1 thread | bcrypt-12, ").append(threads).append(" threads ")
                .append("| other processes, cores |\n|---|---:|---:|---:|---:|---:|\n");
        for (FloorRun run : floorRuns) {
            floorRow(md, run.when(), run.result(), run.cpu() == null ? "n/a" : ratio(run.cpu().other()));
        }
        if (floorRuns.size() > 1) {
            floorRow(md, "**best**", floors, "");
        }
        md.append("\nRS256: 2048-bit key, a typical access token (Nimbus RSASSASigner). bcrypt: ")
                .append("BCryptPasswordEncoder(12).matches.\n\n");
    }

    private static void floorRow(StringBuilder md, String when, Floors.Result result, String other) {
        md.append("| ").append(when).append(" | ").append(rate(result.rs256One())).append(" | ")
                .append(rate(result.rs256All())).append(" | ").append(rate(result.bcryptOne())).append(" | ")
                .append(rate(result.bcryptAll())).append(" | ").append(other).append(" |\n");
    }

    private void renderScenarios(StringBuilder md) {
        md.append("## Scenarios\n\n")
                .append("Closed loop, one HTTP/1.1 connection per worker. requests/s counts successful operations ")
                .append("per second; an operation is one request except for logins (2: GET and POST /login) and the ")
                .append("code flow (5: authorize, login page, login post, resumed authorize, code exchange). ")
                .append("Latencies are per operation, errors included.\n\n")
                .append("| scenario | workers | requests/s | p50 ms | p99 ms | errors | operations | HTTP requests/op |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioResult result : scenarios) {
            md.append("| ").append(result.name()).append(" | ").append(result.concurrency()).append(" | ")
                    .append(rate(result.throughput())).append(" | ").append(millis(result.p50())).append(" | ")
                    .append(millis(result.p99())).append(" | ").append(errorsCell(result)).append(" | ")
                    .append(result.operations()).append(" | ").append(result.requestsPerOperation()).append(" |\n");
        }
        md.append('\n');
    }

    private void renderSeeded(StringBuilder md) {
        if (seedings.isEmpty()) {
            return;
        }
        md.append("## Store size: 1k vs 1M authorizations\n\n");
        for (Seeder.Timing timing : seedings) {
            md.append(String.format(Locale.ROOT, "- seeded up to %,d authorizations (%,d added, %,d token rows): "
                    + "insert %.1f s, ANALYZE %.1f s%n", timing.total(), timing.added(), 2 * timing.added(),
                    timing.insertSeconds(), timing.analyzeSeconds()));
        }
        if (!seededPairs.isEmpty()) {
            md.append("\n| scenario | p50 ms @ small | p50 ms @ large | ratio | p99 ms @ small | p99 ms @ large |\n")
                    .append("|---|---:|---:|---:|---:|---:|\n");
            for (ScenarioResult[] pair : seededPairs) {
                md.append("| ").append(pair[0].name().replaceFirst(" @ .*", "")).append(" | ")
                        .append(millis(pair[0].p50())).append(" | ").append(millis(pair[1].p50())).append(" | ")
                        .append(ratio(pair[1].p50() / pair[0].p50())).append(" | ").append(millis(pair[0].p99()))
                        .append(" | ").append(millis(pair[1].p99())).append(" |\n");
            }
        }
        md.append('\n');
    }

    private void renderTargets(StringBuilder md) {
        if (floors == null || clientCredentials == null) {
            return;
        }
        md.append("## Ratios the project targets\n\n")
                .append("| ratio | value |\n|---|---:|\n");
        md.append("| client-credentials throughput / RS256 signatures per second (").append(floors.threads())
                .append(" threads) | ").append(ratio(clientCredentials.throughput() / floors.rs256All())).append(" |\n");
        if (passwordLogin != null) {
            md.append("| password-login throughput / bcrypt checks per second (").append(floors.threads())
                    .append(" threads) | ").append(ratio(passwordLogin.throughput() / floors.bcryptAll())).append(" |\n");
        }
        if (mixedClientCredentials != null) {
            md.append("| client-credentials p99 under a login flood / unloaded p99 (")
                    .append(millis(mixedClientCredentials.p99())).append(" ms / ").append(millis(clientCredentials.p99()))
                    .append(" ms) | ").append(ratio(mixedClientCredentials.p99() / clientCredentials.p99())).append(" |\n");
        }
        md.append('\n');
    }

    private void renderServer(StringBuilder md) {
        if (memory == null && serverLog == null && store == null) {
            return;
        }
        md.append("## Server\n\n");
        if (memory != null) {
            md.append(String.format(Locale.ROOT, "- resident memory after the load: %.0f MiB (VmRSS; peak VmHWM %.0f MiB)%n",
                    memory.rssKilobytes() / 1024.0, memory.peakRssKilobytes() / 1024.0));
        }
        if (store != null) {
            md.append(String.format(Locale.ROOT, "- authorization store at the end: %,d authorizations, %,d token rows, "
                    + "%,d of them replaced (kept for refresh-token reuse detection); the longest chain of refreshes "
                    + "left %,d token rows under one authorization%n", store.authorizations(), store.tokenRows(),
                    store.retiredTokenRows(), store.mostRowsInOneAuthorization()));
        }
        if (serverLog != null) {
            md.append("- server log: ").append(serverLog.errors()).append(" ERROR and ").append(serverLog.warnings())
                    .append(" WARN lines\n");
            serverLog.distinct().forEach((message, count) -> md.append("  - ").append(count).append(" x `")
                    .append(message.replace('`', '\'')).append("`\n"));
        }
        md.append('\n');
    }

    private void renderProblems(StringBuilder md) {
        List<ScenarioResult> withProblems = scenarios.stream().filter(ScenarioResult::hasProblems).toList();
        if (withProblems.isEmpty()) {
            return;
        }
        md.append("## Errors\n\n");
        for (ScenarioResult result : withProblems) {
            md.append("- ").append(result.name()).append(": ").append(result.errors()).append(" in the timed phase, ")
                    .append(result.warmupErrors()).append(" in warm-up, ").append(result.setupFailures())
                    .append(" workers not set up\n");
            for (Map.Entry<String, Integer> sample : result.errorSamples().entrySet()) {
                md.append("  - ").append(sample.getValue()).append(" x `").append(sample.getKey().replace('`', '\''))
                        .append("`\n");
            }
        }
        md.append('\n');
    }

    private void renderCpu(StringBuilder md) {
        md.append("## Where the CPU went (average busy cores in the timed phase)\n\n")
                .append("Loads run together (the mixed load) share one measurement. \"other\" is everything else on ")
                .append("the machine: well above zero means the run was disturbed.\n\n")
                .append("| scenario | server | benchmark JVM | PostgreSQL | other |\n|---|---:|---:|---:|---:|\n");
        for (ScenarioResult result : scenarios) {
            CpuMeter.Usage cpu = result.cpu();
            md.append("| ").append(result.name()).append(" | ");
            if (cpu == null) {
                md.append("n/a | n/a | n/a | n/a |\n");
            }
            else {
                md.append(ratio(cpu.server())).append(" | ").append(ratio(cpu.bench())).append(" | ")
                        .append(ratio(cpu.postgres())).append(" | ").append(ratio(cpu.other())).append(" |\n");
            }
        }
        md.append('\n');
    }

    /** Whether latency moved during the timed phase, which a growing table or a leak would show. */
    private void renderDrift(StringBuilder md) {
        md.append("## Drift within the timed phase\n\n")
                .append("| scenario | p50 ms, first quarter | p50 ms, last quarter | ratio |\n|---|---:|---:|---:|\n");
        for (ScenarioResult result : scenarios) {
            md.append("| ").append(result.name()).append(" | ").append(millis(result.p50FirstQuarter())).append(" | ")
                    .append(millis(result.p50LastQuarter())).append(" | ")
                    .append(ratio(result.p50LastQuarter() / result.p50FirstQuarter())).append(" |\n");
        }
        md.append('\n');
    }

    private static String errorsCell(ScenarioResult result) {
        String cell = Long.toString(result.errors());
        if (result.warmupErrors() > 0 || result.setupFailures() > 0) {
            cell += " (+" + result.warmupErrors() + " warm-up, " + result.setupFailures() + " setup)";
        }
        return cell;
    }

    static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "n/a";
        }
        return perSecond >= 100 ? String.format(Locale.ROOT, "%,.0f", perSecond)
                : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String millis(double millis) {
        if (Double.isNaN(millis)) {
            return "n/a";
        }
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis)
                : millis >= 10 ? String.format(Locale.ROOT, "%.1f", millis) : String.format(Locale.ROOT, "%.2f", millis);
    }

    static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }
}
