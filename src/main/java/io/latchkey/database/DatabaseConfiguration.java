package io.latchkey.database;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.util.DriverDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires outage handling into the connection pool: PostgreSQL JDBC timeouts, so that a database that stops
 * answering (or a network that swallows packets) cannot hang a request; failures to open a connection
 * reported as they happen; and the fast 503 while the database is unreachable.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseOutageProperties.class)
class DatabaseConfiguration {

    private static final String POSTGRESQL = "jdbc:postgresql:";

    /** Before the pool opens its first connection (Flyway, at start-up), it gets the timeouts and the reporting. */
    @Bean
    static BeanPostProcessor databaseOutageReporting(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && pool.getDataSource() == null && pool.getJdbcUrl() != null
                        && !pool.isRunning()) {
                    DatabaseOutageProperties settings = Binder.get(environment)
                            .bind("latchkey.db", DatabaseOutageProperties.class)
                            .orElseGet(DatabaseOutageProperties::defaults);
                    applyDriverTimeouts(pool, settings);
                    pool.setDataSource(new ReportingDataSource(new DriverDataSource(pool.getJdbcUrl(),
                            pool.getDriverClassName(), pool.getDataSourceProperties(), pool.getUsername(),
                            pool.getPassword())));
                }
                return bean;
            }
        };
    }

    /**
     * PostgreSQL JDBC waits forever by default: for a reply on an open connection ({@code socketTimeout=0}) and,
     * unless told, for the login. Parameters in the JDBC URL win over these.
     */
    static void applyDriverTimeouts(HikariDataSource pool, DatabaseOutageProperties settings) {
        if (!pool.getJdbcUrl().startsWith(POSTGRESQL)) {
            return;
        }
        Properties driver = pool.getDataSourceProperties();
        driver.putIfAbsent("connectTimeout", Integer.toString(DatabaseOutageProperties.seconds(settings.connectTimeout())));
        driver.putIfAbsent("loginTimeout", Integer.toString(DatabaseOutageProperties.seconds(settings.connectTimeout())));
        driver.putIfAbsent("socketTimeout", Integer.toString(DatabaseOutageProperties.seconds(settings.socketTimeout())));
    }

    @Bean
    DatabaseAvailability databaseAvailability(DataSource dataSource, DatabaseOutageProperties settings) {
        HikariDataSource pool = dataSource instanceof HikariDataSource hikari ? hikari : null;
        ReportingDataSource reporting = pool != null && pool.getDataSource() instanceof ReportingDataSource found
                ? found : null;
        DataSource fresh = reporting != null ? reporting.driver() : dataSource;
        int checkSeconds = DatabaseOutageProperties.seconds(settings.connectTimeout());
        DatabaseAvailability.Probe probe = () -> {
            try (Connection connection = pool != null && reporting != null
                    ? fresh.getConnection(pool.getUsername(), pool.getPassword()) : fresh.getConnection()) {
                if (!connection.isValid(checkSeconds)) {
                    throw new SQLTransientConnectionException("A new connection did not answer", "08006");
                }
            }
        };
        Runnable dropPooled = () -> {
            HikariPoolMXBean running = pool == null ? null : pool.getHikariPoolMXBean();
            if (running != null) {
                running.softEvictConnections();
            }
        };
        DatabaseAvailability availability = new DatabaseAvailability(probe, dropPooled, settings.outageProbeInterval(),
                settings.outageRetryAfter());
        if (reporting != null) {
            reporting.reportTo(availability::reportFailure);
        }
        return availability;
    }

    /** Just before admission (order -105): while the database is down, a request never waits for a turn. */
    @Bean
    FilterRegistrationBean<DatabaseOutageFilter> databaseOutageFilter(DatabaseAvailability availability) {
        FilterRegistrationBean<DatabaseOutageFilter> registration =
                new FilterRegistrationBean<>(new DatabaseOutageFilter(availability));
        registration.setOrder(-106);
        return registration;
    }
}
