package io.latchkey.ratelimit;

import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.scheduling.annotation.Scheduled;

import io.latchkey.admission.Admission;

/**
 * Wires the rate limits: buckets in PostgreSQL when Latchkey runs on PostgreSQL (shared by every instance), in
 * memory on anything else (the embedded H2 evaluation mode, a single instance); the client IP that every
 * component downstream sees, and the scheme and host that trusted proxies forward; and a purge of buckets that
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
    CredentialGuard credentialGuard(BucketStore buckets, RateLimitProperties properties, ClientAddresses addresses,
            Admission admission) {
        return new CredentialGuard(buckets, properties, addresses, admission);
    }

    /** Before Spring's request context filter (order -105), so that everything downstream sees the client IP. */
    @Bean
    FilterRegistrationBean<ResolvedClientAddress> resolvedClientAddressFilter(ClientAddresses addresses) {
        FilterRegistrationBean<ResolvedClientAddress> registration =
                new FilterRegistrationBean<>(new ResolvedClientAddress(addresses));
        registration.setOrder(-110);
        return registration;
    }

    /**
     * The scheme, host, port and client IP that trusted proxies forward, at the container's level (see
     * {@link TrustedProxyHeaders}); without trusted proxies no forwarded header is believed at all.
     */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> trustedProxyHeaders(ClientAddresses addresses) {
        return factory -> {
            if (!addresses.trustedProxies().isEmpty()) {
                factory.addEngineValves(new TrustedProxyHeaders(addresses));
            }
        };
    }

    @Bean
    Purge rateLimitPurge(CredentialGuard guard) {
        return new Purge(guard);
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

        private final CredentialGuard guard;

        Purge(CredentialGuard guard) {
            this.guard = guard;
        }

        @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT5M")
        void run() {
            try {
                guard.purge();
            }
            catch (RuntimeException ex) {
                log.warn("Could not purge rate limit buckets: {}", ex.getMessage());
            }
        }
    }
}
