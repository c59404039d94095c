package io.orch.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The CLI's logging, as {@code orch-cli-logback.xml} says it, set up in code: reading that XML costs a
 * short-lived CLI a few hundred classes (an XML parser, logback's configuration model) and a tenth of a
 * second or more. It applies only while {@code logback.configurationFile} names the CLI's file (the CLI
 * sets it unless another runnable, such as the playground's broker or lab, named its own), so every
 * other configuration is read as before.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class CliLogging extends ContextAwareBase implements Configurator {
    /** The configuration this class stands for; kept as XML beside it for anyone who sets it by hand. */
    public static final String FILE = "orch-cli-logback.xml";
    /** How a CLI's log line looks on stderr (the XML file says the same). */
    static final String PATTERN = "%-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (!FILE.equals(System.getProperty("logback.configurationFile"))) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // stdout belongs to results (tables, JSON): every log goes to stderr, logback's own status nowhere.
        context.getStatusManager().add(new ch.qos.logback.core.status.NopStatusListener());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("org.apache.activemq").setLevel(Level.ERROR);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
