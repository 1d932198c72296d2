package io.latchkey.client;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tells every Latchkey instance on the same PostgreSQL database that a client changed, through
 * {@code LISTEN}/{@code NOTIFY} on one dedicated connection per instance. On the embedded H2 database
 * (a single instance by definition) it only notifies locally.
 */
class ClientChangeNotifications implements InitializingBean, DisposableBean {

    static final String CHANNEL = "latchkey_client_changes";
    private static final int CHECK_AFTER_IDLE_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(ClientChangeNotifications.class);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Thread listenerThread;

    ClientChangeNotifications(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    void publishChange(String clientId) {
        if (isPostgres()) {
            jdbc.query("SELECT pg_notify(?, ?)", rs -> { }, CHANNEL, clientId);
        }
    }

    @Override
    public void afterPropertiesSet() {
        if (!isPostgres()) {
            return;
        }
        running = true;
        listenerThread = new Thread(this::listen, "latchkey-client-changes");
        listenerThread.setDaemon(true);
        listenerThread.start();
    }

    private void listen() {
        boolean failing = false;
        while (running) {
            try (Connection connection = openDedicatedConnection(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                if (failing) {
                    log.info("Listening for client changes again");
                    failing = false;
                }
                // anything may have changed while no connection was listening
                listeners.forEach(Runnable::run);
                PGConnection pg = connection.unwrap(PGConnection.class);
                int idle = 0;
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        listeners.forEach(Runnable::run);
                        idle = 0;
                    }
                    else if (++idle >= CHECK_AFTER_IDLE_SECONDS) {
                        // waiting for notifications never notices a connection the network swallowed; a query
                        // does, within the driver's socket timeout
                        statement.execute("SELECT 1");
                        idle = 0;
                    }
                }
            }
            catch (SQLException ex) {
                if (running) {
                    // once per outage, not every five seconds while it lasts
                    if (!failing) {
                        log.warn("Listening for client changes failed ({}); retrying every 5 s", ex.getMessage());
                        failing = true;
                    }
                    else {
                        log.debug("Listening for client changes still fails: {}", ex.getMessage());
                    }
                    sleep(5000);
                }
            }
        }
    }

    /** Its own connection, outside the pool, with the pool's driver settings (timeouts included). */
    private Connection openDedicatedConnection() throws SQLException {
        if (dataSource instanceof HikariDataSource hikari) {
            Properties settings = new Properties();
            settings.putAll(hikari.getDataSourceProperties());
            if (hikari.getUsername() != null) {
                settings.setProperty("user", hikari.getUsername());
            }
            if (hikari.getPassword() != null) {
                settings.setProperty("password", hikari.getPassword());
            }
            return DriverManager.getConnection(hikari.getJdbcUrl(), settings);
        }
        return dataSource.getConnection();
    }

    private boolean isPostgres() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        }
        catch (SQLException ex) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        if (listenerThread != null) {
            listenerThread.join(3000);
        }
    }
}
