package io.orch.cli.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.PrintWriter;

/**
 * Log lines of a command that {@code orch agent} runs go to that command's stderr, where the CLI's own
 * process would have printed them ({@link CliLogging}: warnings, the broker's errors), not only to the
 * agent's log. The command's thread, and the threads it starts (reply checkers, the broker connection's),
 * carry its stderr; logback is one per JVM, so the route is too.
 */
public final class CommandLog {
    private static final String APPENDER = "ORCH_COMMAND_STDERR";
    // Inherited by the threads a command starts, which is where most of its log lines come from.
    private static final InheritableThreadLocal<PrintWriter> TARGET = new InheritableThreadLocal<>();

    private CommandLog() {
    }

    /** Adds the route to logback's root logger, once; does nothing when logging is not logback. */
    public static synchronized void install() {
        if (!(org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(APPENDER) != null) {
            return;
        }
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(CliLogging.PATTERN); // as the CLI's own process prints them
        layout.start();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                PrintWriter err = TARGET.get();
                if (err != null) {
                    err.print(layout.doLayout(event));
                    err.flush();
                }
            }
        };
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.start();
        root.addAppender(appender);
    }

    /** Routes this thread's log lines (and those of threads it starts from now on) to {@code err} until closed. */
    public static Route routeTo(PrintWriter err) {
        TARGET.set(err);
        return TARGET::remove;
    }

    /** A route in place; closing it never fails. */
    public interface Route extends AutoCloseable {
        @Override
        void close();
    }
}
