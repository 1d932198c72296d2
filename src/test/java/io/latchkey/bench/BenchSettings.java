package io.latchkey.bench;

import java.nio.file.Path;

/**
 * What a benchmark run is told through system properties. An unset or empty property takes its default,
 * so the Maven profile can pass every property through whether or not it was given on the command line.
 *
 * @param seconds timed phase of each scenario ({@code bench.seconds})
 * @param warmupSeconds warm-up before each timed phase ({@code bench.warmup})
 * @param concurrency closed-loop workers per scenario ({@code bench.concurrency})
 * @param floorSeconds timed phase of each floor measurement ({@code bench.floorSeconds})
 * @param seedSmall authorizations stored for the first seeded comparison ({@code bench.seedSmall})
 * @param seedLarge authorizations stored for the second one ({@code bench.seedLarge})
 * @param jar the server jar that {@code package} built ({@code bench.jar})
 * @param targetDir where the server log and the report go ({@code bench.targetDir})
 * @param pgPort port of the local PostgreSQL ({@code bench.pgPort}); the host is always 127.0.0.1
 */
record BenchSettings(int seconds, int warmupSeconds, int concurrency, int floorSeconds, int seedSmall, int seedLarge,
        Path jar, Path targetDir, int pgPort) {

    static final String PG_HOST = "127.0.0.1";

    static BenchSettings fromSystemProperties() {
        Path targetDir = Path.of(text("bench.targetDir", "target")).toAbsolutePath().normalize();
        BenchSettings settings = new BenchSettings(
                number("bench.seconds", 8),
                number("bench.warmup", 2),
                number("bench.concurrency", 64),
                number("bench.floorSeconds", 3),
                number("bench.seedSmall", 1_000),
                number("bench.seedLarge", 1_000_000),
                Path.of(text("bench.jar", targetDir.resolve("latchkey-0.1.0-SNAPSHOT.jar").toString())).toAbsolutePath(),
                targetDir,
                number("bench.pgPort", 5432));
        if (settings.seconds < 1 || settings.warmupSeconds < 0 || settings.concurrency < 1 || settings.floorSeconds < 1
                || settings.seedSmall < 1 || settings.seedLarge <= settings.seedSmall) {
            throw new IllegalArgumentException("Invalid benchmark settings: " + settings);
        }
        return settings;
    }

    /** The project directory: the server runs there, as {@code java -jar target/...} would from a shell. */
    Path projectDir() {
        return targetDir.getParent();
    }

    private static int number(String name, int fallback) {
        String value = text(name, null);
        return value == null ? fallback : Integer.parseInt(value.replace("_", ""));
    }

    private static String text(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
