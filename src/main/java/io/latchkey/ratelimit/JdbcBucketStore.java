package io.latchkey.ratelimit;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

/**
 * Buckets in the PostgreSQL table {@code rate_limit_buckets}, through Bucket4j's select-for-update proxy manager:
 * each consumption locks the key's row for one short transaction, so every instance on the database sees the same
 * counts. A bucket's row expires (column {@code expires_at}) once it has refilled completely.
 */
final class JdbcBucketStore implements BucketStore {

    static final String TABLE = "rate_limit_buckets";
    private static final int PURGE_BATCH = 1000;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    JdbcBucketStore(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
    }

    @Override
    public Bucket bucket(String key, BucketConfiguration configuration) {
        return buckets.builder().build(key, () -> configuration);
    }

    @Override
    public void remove(String key) {
        buckets.removeProxy(key);
    }

    @Override
    public void purgeExpired() {
        while (buckets.removeExpired(PURGE_BATCH) >= PURGE_BATCH) {
            // keep going while full batches are deleted
        }
    }
}
