package io.latchkey.client;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
        while (running) {
            try (Connection connection = openDedicatedConnection(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                // anything may have changed while no connection was listening
                listeners.forEach(Runnable::run);
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        listeners.forEach(Runnable::run);
                    }
                }
            }
            catch (SQLException ex) {
                if (running) {
                    log.warn("Listening for client changes failed ({}); retrying in 5 s", ex.getMessage());
                    sleep(5000);
                }
            }
        }
    }

    private Connection openDedicatedConnection() throws SQLException {
        if (dataSource instanceof HikariDataSource hikari) {
            return DriverManager.getConnection(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
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
