package io.latchkey.admission;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Sizes the connection pool for the machine and admission for the pool: by default
 * {@code max(10, 4 × cores)} connections ({@code latchkey.db.pool.maximum-size}), as many requests at work
 * as there are connections, and up to {@code max(256, 16 × that)} waiting.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdmissionProperties.class)
class AdmissionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdmissionConfiguration.class);
    static final String POOL_SIZE = "latchkey.db.pool.maximum-size";

    static int defaultPoolSize() {
        return Math.max(10, 4 * Runtime.getRuntime().availableProcessors());
    }

    @Bean
    static BeanPostProcessor connectionPoolSizing(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool) {
                    pool.setMaximumPoolSize(environment.getProperty(POOL_SIZE, Integer.class, defaultPoolSize()));
                }
                return bean;
            }
        };
    }

    @Bean
    Admission admission(AdmissionProperties properties, DataSource dataSource) {
        int poolSize = dataSource instanceof HikariDataSource pool ? pool.getMaximumPoolSize() : defaultPoolSize();
        int concurrent = properties.maxConcurrent() > 0 ? properties.maxConcurrent() : poolSize;
        int queue = properties.maxQueue() > 0 ? properties.maxQueue() : Math.max(256, 16 * concurrent);
        log.info("Admission: {} requests at work at once (connection pool {}), up to {} waiting at most {}",
                concurrent, poolSize, queue, properties.maxWait());
        return new Admission(concurrent, queue, properties.maxWait(), properties.retryAfter());
    }

    @Bean(destroyMethod = "shutdown")
    PlatformThreadWork platformThreadWork(Admission admission, AdmissionProperties properties) {
        PlatformThreadWork work = new PlatformThreadWork(admission, properties.workOnPlatformThreads());
        if (work.handsOver()) {
            log.info("Admission: requests that arrive on virtual threads do their admitted work on platform threads");
        }
        return work;
    }

    /**
     * {@code latchkey_admission_queue}: requests waiting for a turn now; {@code latchkey_admission_rejections_total}:
     * requests answered 503 because no turn came free in time (or too many were waiting); and the two bounds,
     * {@code latchkey_admission_max_concurrent} and {@code latchkey_admission_max_queue}.
     */
    @Bean
    MeterBinder admissionMetrics(Admission admission) {
        return registry -> {
            Gauge.builder("latchkey.admission.queue", admission, Admission::waiting)
                    .description("Requests waiting for an admission turn").register(registry);
            FunctionCounter.builder("latchkey.admission.rejections", admission, Admission::refused)
                    .description("Requests answered 503 for want of an admission turn").register(registry);
            Gauge.builder("latchkey.admission.max_concurrent", admission, Admission::maxConcurrent)
                    .description("Requests that may work at once").register(registry);
            Gauge.builder("latchkey.admission.max_queue", admission, Admission::maxQueue)
                    .description("Requests that may wait for a turn").register(registry);
        };
    }

    /** After the client address is resolved, before rate limits and security, which read the database. */
    @Bean
    FilterRegistrationBean<AdmissionFilter> admissionFilter(Admission admission, PlatformThreadWork work) {
        FilterRegistrationBean<AdmissionFilter> registration =
                new FilterRegistrationBean<>(new AdmissionFilter(admission, work));
        registration.setOrder(-105);
        return registration;
    }
}
