package io.latchkey.admission;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

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

    /** After the client address is resolved, before rate limits and security, which read the database. */
    @Bean
    FilterRegistrationBean<AdmissionFilter> admissionFilter(Admission admission, PlatformThreadWork work) {
        FilterRegistrationBean<AdmissionFilter> registration =
                new FilterRegistrationBean<>(new AdmissionFilter(admission, work));
        registration.setOrder(-105);
        return registration;
    }
}
