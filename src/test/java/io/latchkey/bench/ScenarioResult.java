package io.latchkey.bench;

import java.util.Map;

/**
 * What one scenario measured in its timed phase.
 *
 * @param operations operations started in the timed phase and completed, errors included
 * @param errors of those, how many failed (unexpected status or exception)
 * @param warmupErrors failures during warm-up, reported apart
 * @param setupFailures workers that could not be set up and took no part
 * @param throughput successful operations per second, all workers together
 * @param cpu cores busy during the timed phase, by whom (null if unknown); shared by loads run together
 * @param errorSamples distinct error messages (warm-up, timed and setup) with their counts, a few at most
 */
record ScenarioResult(String name, int concurrency, int requestsPerOperation, double seconds, long operations,
        long errors, long warmupErrors, int setupFailures, double throughput, CpuMeter.Usage cpu, Samples samples,
        Map<String, Integer> errorSamples) {

    double p50() {
        return Samples.percentileMillis(samples.sortedLatencies(), 50);
    }

    double p99() {
        return Samples.percentileMillis(samples.sortedLatencies(), 99);
    }

    /** p50 of the operations that started in the first quarter of the timed phase. */
    double p50FirstQuarter() {
        long quarter = (long) (seconds * 1e9 / 4);
        return Samples.percentileMillis(samples.sortedLatenciesStartedBetween(0, quarter), 50);
    }

    /** p50 of the operations that started in the last quarter of the timed phase. */
    double p50LastQuarter() {
        long quarter = (long) (seconds * 1e9 / 4);
        return Samples.percentileMillis(samples.sortedLatenciesStartedBetween(3 * quarter, 4 * quarter), 50);
    }

    boolean hasProblems() {
        return errors > 0 || warmupErrors > 0 || setupFailures > 0;
    }
}
