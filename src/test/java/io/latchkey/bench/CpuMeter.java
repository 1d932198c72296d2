package io.latchkey.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU time went during a timed phase, read from {@code /proc}: the server process, this
 * benchmark JVM (the load generator shares the cores), PostgreSQL (all its processes) and everything else.
 * "Everything else" well above zero means something outside the benchmark disturbed the run.
 */
final class CpuMeter {

    /** USER_HZ: the unit of the tick counts in /proc on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long serverPid;

    /** Meters the given server process, or none when {@code serverPid} is 0 (the floors run without one). */
    CpuMeter(long serverPid) {
        this.serverPid = serverPid;
    }

    Snapshot snapshot() {
        try {
            long server = serverPid > 0 ? processTicks(Path.of("/proc", Long.toString(serverPid))) : 0;
            return new Snapshot(System.nanoTime(), machineBusyTicks(), server, processTicks(Path.of("/proc/self")),
                    postgresTicks());
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    /** Average cores busy between two snapshots, or null when /proc could not be read. */
    static Usage between(Snapshot from, Snapshot to) {
        if (from == null || to == null) {
            return null;
        }
        double seconds = (to.nanoTime - from.nanoTime) / 1e9;
        double machine = (to.machine - from.machine) / TICKS_PER_SECOND / seconds;
        double server = (to.server - from.server) / TICKS_PER_SECOND / seconds;
        double bench = (to.bench - from.bench) / TICKS_PER_SECOND / seconds;
        double postgres = Math.max(0, (to.postgres - from.postgres) / TICKS_PER_SECOND / seconds);
        return new Usage(server, bench, postgres, Math.max(0, machine - server - bench - postgres));
    }

    /** user + nice + system + irq + softirq + steal of the first line of /proc/stat. */
    private static long machineBusyTicks() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int index : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(fields[index]);
        }
        return busy;
    }

    /** utime + stime of a process, from its stat file (fields 14 and 15; the name may hold spaces). */
    private static long processTicks(Path process) throws IOException {
        String stat = Files.readString(process.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long postgresTicks() throws IOException {
        long total = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    if (Files.readString(process.resolve("comm")).trim().equals("postgres")) {
                        total += processTicks(process);
                    }
                }
                catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        }
        return total;
    }

    record Snapshot(long nanoTime, long machine, long server, long bench, long postgres) {
    }

    /** Average busy cores of each part. */
    record Usage(double server, double bench, double postgres, double other) {
    }
}
