package io.latchkey.ratelimit;

import java.sql.DatabaseMetaData;
import java.time.Duration;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import io.latchkey.admission.Admission;
import io.latchkey.jobs.ClusterJobs;

/**
 * Wires the rate limits: buckets in PostgreSQL when Latchkey runs on PostgreSQL (shared by every instance), in
 * memory on anything else (the embedded H2 evaluation mode, a single instance); and a purge of buckets that
 * have refilled.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean
    BucketStore rateLimitBuckets(DataSource dataSource) {
        if (isPostgreSql(dataSource)) {
            return new JdbcBucketStore(dataSource);
        }
        log.info("Rate limits are kept in memory (not PostgreSQL): they are not shared with other instances");
        return new InMemoryBucketStore();
    }

    @Bean
    CredentialGuard credentialGuard(BucketStore buckets, RateLimitProperties properties, Admission admission,
            MeterRegistry meters) {
        return new CredentialGuard(buckets, properties, admission, new RateLimitRejections(meters));
    }

    /**
     * Buckets in the database are purged by one instance per period; buckets in memory by each instance, its own.
     */
    @Bean
    Purge rateLimitPurge(CredentialGuard guard, BucketStore buckets, ClusterJobs jobs) {
        Purge purge = new Purge(guard);
        if (buckets instanceof JdbcBucketStore) {
            jobs.scheduleOnOneInstance(Purge.JOB, Purge.PERIOD, purge::run);
        }
        else {
            jobs.scheduleOnEveryInstance(Purge.JOB, Purge.PERIOD, purge::run);
        }
        return purge;
    }

    static boolean isPostgreSql(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            return "PostgreSQL".equalsIgnoreCase(product);
        }
        catch (MetaDataAccessException ex) {
            throw new IllegalStateException("Cannot tell which database Latchkey runs on", ex);
        }
    }

    static final class Purge {

        static final String JOB = "rate-limit-bucket-purge";
        static final Duration PERIOD = Duration.ofMinutes(5);

        private final CredentialGuard guard;

        Purge(CredentialGuard guard) {
            this.guard = guard;
        }

        void run() {
            guard.purge();
        }
    }
}
