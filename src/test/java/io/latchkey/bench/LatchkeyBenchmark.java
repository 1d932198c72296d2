package io.latchkey.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Latchkey's benchmark: starts the real server from its jar on a fresh PostgreSQL database, drives it over
 * loopback HTTP from this JVM, and reports throughput, latency and errors per scenario in
 * {@code target/benchmark-results.md}. Run it with {@code ./mvnw -Pbench -DskipTests verify}; see the
 * README for the settings. The server is stopped and the database dropped at the end, whatever happens.
 */
public final class LatchkeyBenchmark {

    private static final int USERS = 64;
    private static final Duration SERVER_WARMUP = Duration.ofSeconds(10);

    private final BenchSettings settings;
    private final Report report = new Report();
    private final Cleanup cleanup = new Cleanup();

    private LatchkeyBenchmark(BenchSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        int status = new LatchkeyBenchmark(BenchSettings.fromSystemProperties()).run();
        System.exit(status);
    }

    private int run() throws Exception {
        Files.createDirectories(settings.targetDir());
        Path serverLog = settings.targetDir().resolve("bench-server.log");
        Files.deleteIfExists(serverLog); // a log left by an earlier run must not be read as this run's
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup::run, "bench-cleanup"));
        try {
            BenchDatabase database = BenchDatabase.create(BenchSettings.PG_HOST, settings.pgPort());
            cleanup.database = database;
            progress("database " + database.name() + " created");
            describeRun(database);

            measureFloors("before the server");

            BenchClients clients = new BenchClients();
            progress("starting the server, log in " + serverLog);
            ServerProcess server = ServerProcess.launch(settings.jar(), settings.projectDir(), serverLog,
                    serverEnvironment(database, clients));
            cleanup.server = server;
            server.awaitReady();
            progress("server up at " + server.baseUrl() + " (pid " + server.pid() + ")");

            BenchUsers users = BenchUsers.create(database, USERS);
            measure(database, server, clients, users);
            report.memory(server.memory());
            report.store(database.storeStats());
            cleanup.run();
            measureFloors("after the server");
        }
        catch (Exception ex) {
            report.failure("run aborted: " + ex);
            ex.printStackTrace();
        }
        finally {
            cleanup.run();
            if (Files.exists(serverLog)) {
                report.serverLog(ServerLog.read(serverLog));
            }
            String markdown = report.render();
            Path results = settings.targetDir().resolve("benchmark-results.md");
            Files.writeString(results, markdown, StandardCharsets.UTF_8);
            System.out.println();
            System.out.println(markdown);
            progress("report written to " + results);
        }
        return report.hasFailures() ? 1 : 0;
    }

    private void measure(BenchDatabase database, ServerProcess server, BenchClients clients, BenchUsers users)
            throws Exception {
        int concurrency = settings.concurrency();
        LoadRunner runner = new LoadRunner(server.baseUrl(), clients, Duration.ofSeconds(settings.warmupSeconds()),
                Duration.ofSeconds(settings.seconds()), new CpuMeter(server.pid()));
        Scenarios scenarios = new Scenarios(clients, users);

        // Untimed: a freshly started JVM runs interpreted code at first; let the JIT compile every path the
        // scenarios take before the first measurement, so that the first scenarios are not measured cold.
        progress("warming the server up (" + SERVER_WARMUP.toSeconds() + " s of every kind of request, untimed)");
        List<ScenarioResult> warmup = new LoadRunner(server.baseUrl(), clients, SERVER_WARMUP, Duration.ZERO,
                new CpuMeter(server.pid())).runTogether(List.of(new LoadRunner.Load(scenarios.clientCredentials(), 2),
                        new LoadRunner.Load(scenarios.clientCredentialsStored(), 1),
                        new LoadRunner.Load(scenarios.jwks(), 1),
                        new LoadRunner.Load(scenarios.userInfo(), 1),
                        new LoadRunner.Load(scenarios.introspection(null), 1),
                        new LoadRunner.Load(scenarios.refresh(null), 1),
                        new LoadRunner.Load(scenarios.codeFlow(), 1)));
        warmup.stream().filter(ScenarioResult::hasProblems).forEach(result -> report.warning("server warm-up, "
                + result.name() + ": " + result.warmupErrors() + " errors, " + result.setupFailures()
                + " workers not set up " + result.errorSamples().keySet()));

        ScenarioResult clientCredentials = record(runner.run(scenarios.clientCredentials(), concurrency));
        record(runner.run(scenarios.clientCredentialsStored(), concurrency));
        record(runner.run(scenarios.jwks(), concurrency));
        record(runner.run(scenarios.userInfo(), concurrency));
        record(runner.run(scenarios.introspection(null), concurrency));
        record(runner.run(scenarios.refresh(null), concurrency));
        ScenarioResult passwordLogin = record(runner.run(scenarios.passwordLogin(), concurrency));
        record(runner.run(scenarios.codeFlow(), concurrency));

        Seeder seeder = new Seeder(database, database.registeredClientId(BenchClients.WEB));
        String small = count(settings.seedSmall());
        String large = count(settings.seedLarge());
        seed(seeder, settings.seedSmall());
        ScenarioResult refreshSmall = record(runner.run(scenarios.refresh(small + " stored"), concurrency));
        ScenarioResult introspectionSmall = record(runner.run(scenarios.introspection(small + " stored"), concurrency));
        seed(seeder, settings.seedLarge());
        ScenarioResult refreshLarge = record(runner.run(scenarios.refresh(large + " stored"), concurrency));
        ScenarioResult introspectionLarge = record(runner.run(scenarios.introspection(large + " stored"), concurrency));
        report.seededPair(refreshSmall, refreshLarge);
        report.seededPair(introspectionSmall, introspectionLarge);

        progress("mixed load: client_credentials while " + concurrency + " workers flood the login form");
        List<ScenarioResult> mixed = runner.runTogether(List.of(
                new LoadRunner.Load(renamed(scenarios.clientCredentials(), "client_credentials during login flood"),
                        concurrency),
                new LoadRunner.Load(renamed(scenarios.passwordLogin(), "password login (the flood)"), concurrency)));
        ScenarioResult mixedClientCredentials = record(mixed.get(0));
        record(mixed.get(1));
        report.targets(clientCredentials, passwordLogin, mixedClientCredentials);
    }

    private void measureFloors(String when) throws Exception {
        progress("measuring floors " + when + " (" + settings.floorSeconds() + " s each)");
        CpuMeter meter = new CpuMeter(0);
        CpuMeter.Snapshot start = meter.snapshot();
        Floors.Result floors = Floors.measure(settings.floorSeconds());
        CpuMeter.Usage cpu = CpuMeter.between(start, meter.snapshot());
        report.floors(when, floors, cpu);
        progress(String.format(Locale.ROOT, "RS256 %.0f/s (1 thread), %.0f/s (%d threads); bcrypt %.1f/s, %.1f/s; "
                        + "other processes %s cores", floors.rs256One(), floors.rs256All(), floors.threads(),
                floors.bcryptOne(), floors.bcryptAll(), cpu == null ? "n/a" : Report.ratio(cpu.other())));
    }

    private ScenarioResult record(ScenarioResult result) {
        report.scenario(result);
        progress(String.format(Locale.ROOT, "%-45s %9s/s  p50 %8s ms  p99 %8s ms  errors %d%s", result.name(),
                Report.rate(result.throughput()), Report.millis(result.p50()), Report.millis(result.p99()),
                result.errors(), result.hasProblems() ? "  (" + result.errorSamples().keySet().iterator().next() + ")"
                        : ""));
        return result;
    }

    private void seed(Seeder seeder, int total) throws Exception {
        progress("seeding the store up to " + count(total) + " authorizations");
        Seeder.Timing timing = seeder.seedUpTo(total);
        report.seeding(timing);
        progress(String.format(Locale.ROOT, "seeded %,d in %.1f s, ANALYZE %.1f s", timing.added(),
                timing.insertSeconds(), timing.analyzeSeconds()));
    }

    private void describeRun(BenchDatabase database) throws Exception {
        MachineInfo machine = MachineInfo.describe(database.serverVersion());
        report.header("Run " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " with "
                + "`./mvnw -Pbench -DskipTests verify`");
        report.header("Machine: " + machine.line());
        report.header(String.format(Locale.ROOT, "Settings: %d workers per scenario, %d s warm-up + %d s timed per "
                        + "scenario, floors %d s each, seeded stores of %s and %s authorizations. The server and this "
                        + "benchmark share the machine's cores.", settings.concurrency(), settings.warmupSeconds(),
                settings.seconds(), settings.floorSeconds(), count(settings.seedSmall()), count(settings.seedLarge())));
    }

    private static Map<String, String> serverEnvironment(BenchDatabase database, BenchClients clients) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LATCHKEY_DB_URL", database.url());
        env.put("LATCHKEY_DB_USER", BenchDatabase.USER);
        env.put("LATCHKEY_DB_PASSWORD", BenchDatabase.PASSWORD);
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        env.put("LATCHKEY_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey));
        env.put("LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD", BenchClients.randomSecret());
        env.putAll(clients.environment());
        return env;
    }

    private static Scenario renamed(Scenario scenario, String name) {
        return new Scenario(name, scenario.requestsPerOperation(), scenario.workers());
    }

    /** 1000 as 1k, 1000000 as 1M, 20000 as 20k. */
    static String count(long value) {
        if (value >= 1_000_000 && value % 1_000_000 == 0) {
            return value / 1_000_000 + "M";
        }
        if (value >= 1_000 && value % 1_000 == 0) {
            return value / 1_000 + "k";
        }
        return Long.toString(value);
    }

    private static void progress(String message) {
        System.out.println("[bench] " + message);
        System.out.flush();
    }

    /** Stops the server and drops the database: at the end of the run, and from the shutdown hook. */
    private static final class Cleanup {
        volatile ServerProcess server;
        volatile BenchDatabase database;

        synchronized void run() {
            if (server != null) {
                server.close();
            }
            if (database != null) {
                database.close();
            }
        }
    }
}
