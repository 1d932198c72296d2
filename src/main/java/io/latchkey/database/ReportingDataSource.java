package io.latchkey.database;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.Consumer;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * What the connection pool opens its connections with: the JDBC driver, with every failure to open one
 * reported to {@link DatabaseAvailability}. The pool retries in the background while a request waits, so an
 * outage is noticed as soon as the first new connection is refused, not when the request's wait runs out.
 */
final class ReportingDataSource implements DataSource {

    private final DataSource driver;
    private volatile Consumer<SQLException> failures = failure -> { };

    ReportingDataSource(DataSource driver) {
        this.driver = driver;
    }

    /** The driver itself, for probes that must not report their own failures. */
    DataSource driver() {
        return driver;
    }

    void reportTo(Consumer<SQLException> listener) {
        this.failures = listener;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return driver.getConnection();
        }
        catch (SQLException ex) {
            failures.accept(ex);
            throw ex;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        try {
            return driver.getConnection(username, password);
        }
        catch (SQLException ex) {
            failures.accept(ex);
            throw ex;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return driver.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        driver.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        driver.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return driver.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return driver.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || driver.isWrapperFor(type);
    }
}
