package io.latchkey.bench;

import java.util.Arrays;

/**
 * The timed operations of one worker, without boxing: when each started (relative to the timed phase)
 * and how long it took, in nanoseconds. Merged per scenario at the end.
 */
final class Samples {

    private long[] starts = new long[4096];
    private long[] latencies = new long[4096];
    private int size;

    void add(long startOffsetNanos, long latencyNanos) {
        if (size == latencies.length) {
            starts = Arrays.copyOf(starts, size * 2);
            latencies = Arrays.copyOf(latencies, size * 2);
        }
        starts[size] = startOffsetNanos;
        latencies[size] = latencyNanos;
        size++;
    }

    int size() {
        return size;
    }

    /** Every sample of all workers, in one pair of arrays. */
    static Samples merge(Iterable<Samples> all) {
        Samples merged = new Samples();
        for (Samples samples : all) {
            for (int i = 0; i < samples.size; i++) {
                merged.add(samples.starts[i], samples.latencies[i]);
            }
        }
        return merged;
    }

    /** Sorted latencies of all samples. */
    long[] sortedLatencies() {
        long[] sorted = Arrays.copyOf(latencies, size);
        Arrays.sort(sorted);
        return sorted;
    }

    /** Sorted latencies of the samples that started in [from, to) nanoseconds into the timed phase. */
    long[] sortedLatenciesStartedBetween(long from, long to) {
        long[] selected = new long[size];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (starts[i] >= from && starts[i] < to) {
                selected[count++] = latencies[i];
            }
        }
        long[] sorted = Arrays.copyOf(selected, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** Nearest-rank percentile of sorted values, in milliseconds; NaN when there are none. */
    static double percentileMillis(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }
}
