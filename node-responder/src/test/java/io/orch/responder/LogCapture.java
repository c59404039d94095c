package io.orch.responder;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines logged to the {@code CAPTURE} appender of logback-test.xml. Logback is only on the
 * runtime class path of this module, so it is reached by reflection; {@link #available()} says
 * whether the appender was found.
 */
public final class LogCapture {
    private final Object appender;

    private LogCapture(Object appender) {
        this.appender = appender;
    }

    /** The capture attached to the logger of {@code type}. */
    public static LogCapture of(Class<?> type) {
        return of(LoggerFactory.getLogger(type));
    }

    /** The capture attached to {@code logger}. */
    public static LogCapture of(Logger logger) {
        try {
            return new LogCapture(logger.getClass().getMethod("getAppender", String.class).invoke(logger, "CAPTURE"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new LogCapture(null);
        }
    }

    public boolean available() {
        return appender != null;
    }

    /** "LEVEL message" for every line captured so far. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (appender == null) {
            return out;
        }
        try {
            synchronized (appender) { // the appender appends under its own lock
                for (Object event : events()) {
                    Object level = event.getClass().getMethod("getLevel").invoke(event);
                    Object message = event.getClass().getMethod("getFormattedMessage").invoke(event);
                    out.add(level + " " + message);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public boolean contains(String level, String... parts) {
        return lines().stream().anyMatch(line -> line.startsWith(level + " ")
                && List.of(parts).stream().allMatch(line::contains));
    }

    public void clear() {
        if (appender == null) {
            return;
        }
        try {
            synchronized (appender) {
                events().clear();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<?> events() throws ReflectiveOperationException {
        return (List<?>) appender.getClass().getField("list").get(appender);
    }
}
