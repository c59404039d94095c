package io.orch.cli.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The CLI's logging in code says what orch-cli-logback.xml says, and stands aside for any other file. */
class CliLoggingTest {
    private static final String PROPERTY = "logback.configurationFile";
    private final String before = System.getProperty(PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, before);
        }
    }

    @Test
    void theClisFileMeansWarningsOnStderrAndActiveMqErrorsOnly() {
        System.setProperty(PROPERTY, CliLogging.FILE);
        LoggerContext context = new LoggerContext();

        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, new CliLogging().configure(context));

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        assertEquals(Level.ERROR, context.getLogger("org.apache.activemq.transport").getEffectiveLevel());
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertEquals("System.err", stderr.getTarget());
        assertTrue(stderr.isStarted());
    }

    @Test
    void anotherConfigurationFileIsLeftToLogback() {
        System.setProperty(PROPERTY, "orch-playground-logback.xml");
        LoggerContext context = new LoggerContext();

        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, new CliLogging().configure(context));
        assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
    }
}
