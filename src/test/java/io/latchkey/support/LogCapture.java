package io.latchkey.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Everything the server logs (through the root logger, from every thread) while it is open, at the
 * levels the server is configured to log. Close it to stop capturing.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

    private LogCapture() {
    }

    public static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.setContext(capture.root.getLoggerContext());
        capture.setName("test-log-capture");
        capture.start();
        capture.root.addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        events.add(event);
    }

    /** Events at ERROR. */
    public List<ILoggingEvent> errors() {
        return events.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)).toList();
    }

    /** Events, at any level, that carry an exception (and so a stack trace). */
    public List<ILoggingEvent> withStackTraces() {
        return events.stream().filter(event -> event.getThrowableProxy() != null).toList();
    }

    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /**
     * One line per distinct event (level, logger, message cut to 200 characters, and the exception's class if
     * any), with how often it occurred; empty when there were none.
     */
    public static String describe(List<ILoggingEvent> events) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (ILoggingEvent event : events) {
            String message = event.getFormattedMessage();
            StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
                    .append(": ").append(message == null ? "" : message.substring(0, Math.min(200, message.length())));
            if (event.getThrowableProxy() != null) {
                line.append(" [").append(event.getThrowableProxy().getClassName()).append(']');
            }
            lines.merge(line.toString(), 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder();
        lines.forEach((line, count) -> text.append(count).append(" x ").append(line).append('\n'));
        return text.toString();
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
