package io.orch.cli.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A command run by the agent gets its log lines on its own stderr, from its threads and theirs, and no one else's. */
class CommandLogTest {
    @Test
    void aCommandsLogLinesReachItsStderrAndOnlyItsOwn() throws Exception {
        CommandLog.install();
        CommandLog.install(); // once is enough; twice must not print twice
        StringWriter mine = new StringWriter();
        StringWriter other = new StringWriter();
        Thread neighbour;
        try (var route = CommandLog.routeTo(new PrintWriter(mine))) {
            LoggerFactory.getLogger("io.orch.cli.client.OrchClient").warn("could not check a reply: {}", "bad");
            Thread checker = new Thread(() -> LoggerFactory.getLogger("checker").warn("from a thread the command started"));
            checker.start();
            checker.join();
            neighbour = new Thread(() -> {
                try (var theirs = CommandLog.routeTo(new PrintWriter(other))) {
                    LoggerFactory.getLogger("neighbour").warn("another command's line");
                }
            });
            neighbour.start();
            neighbour.join();
        }
        LoggerFactory.getLogger("after").warn("after the command ended");
        assertEquals("WARN  OrchClient - could not check a reply: bad\nWARN  checker - from a thread the command started\n",
                mine.toString());
        assertTrue(other.toString().contains("another command's line"), other.toString());
    }
}
