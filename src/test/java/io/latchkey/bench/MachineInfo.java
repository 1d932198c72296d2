package io.latchkey.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The machine the run was made on, for the first line of the report. */
record MachineInfo(int cores, double memoryGib, String cpuModel, String javaVersion, String postgresVersion) {

    static MachineInfo describe(String postgresVersion) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readMemoryGib(), readCpuModel(),
                System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
                postgresVersion);
    }

    String line() {
        return String.format("%d cores (%s), %.1f GiB memory, Java %s, PostgreSQL %s", cores, cpuModel, memoryGib,
                javaVersion, postgresVersion);
    }

    private static double readMemoryGib() {
        return procLine("/proc/meminfo", "MemTotal:")
                .map(value -> Long.parseLong(value.replace("kB", "").trim()) / (1024.0 * 1024.0))
                .orElse(Double.NaN);
    }

    private static String readCpuModel() {
        return procLine("/proc/cpuinfo", "model name").map(value -> value.replaceFirst("^\\s*:\\s*", "").trim())
                .orElse("unknown CPU");
    }

    private static Optional<String> procLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(line -> line.startsWith(prefix)).findFirst()
                    .map(line -> line.substring(prefix.length()));
        }
        catch (IOException | RuntimeException ex) {
            return Optional.empty();
        }
    }
}
