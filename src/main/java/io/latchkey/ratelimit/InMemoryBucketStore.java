package io.latchkey.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/**
 * Buckets in this instance's memory, for the embedded H2 evaluation mode (one instance, nothing to share).
 * A bucket that has refilled completely is dropped by {@link #purgeExpired()}.
 */
final class InMemoryBucketStore implements BucketStore {

    /** Above this many keys, full buckets are dropped at once rather than at the next purge. */
    private static final int MAX_KEYS = 100_000;

    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

    @Override
    public Bucket bucket(String key, BucketConfiguration configuration) {
        if (buckets.size() > MAX_KEYS) {
            purgeExpired();
        }
        return buckets.computeIfAbsent(key, k -> new Entry(Bucket.builder().addLimit(configuration.getBandwidths()[0]).build(),
                configuration.getBandwidths()[0].getCapacity())).bucket();
    }

    @Override
    public void remove(String key) {
        buckets.remove(key);
    }

    @Override
    public void purgeExpired() {
        buckets.entrySet().removeIf(entry -> entry.getValue().bucket().getAvailableTokens() >= entry.getValue().capacity());
    }

    private record Entry(Bucket bucket, long capacity) {
    }
}
