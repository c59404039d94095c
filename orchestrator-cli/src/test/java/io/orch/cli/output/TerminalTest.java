package io.orch.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether output is for a person at a terminal, and the status colors. */
class TerminalTest {

    @Test
    void withoutAConsoleNeitherProgressNorColor() {
        // Under surefire stdin and stdout are pipes, so the JVM has no console.
        assumeTrue(System.console() == null, "this JVM has a console");
        assertNull(System.console());

        Terminal terminal = Terminal.detect(Map.of("TERM", "xterm-256color"));

        assertFalse(terminal.interactive());
        assertFalse(terminal.color());
    }

    @Test
    void noColorSetMeansNoColor() {
        Terminal terminal = Terminal.detect(Map.of("NO_COLOR", "1", "TERM", "xterm-256color"));

        assertFalse(terminal.color());
    }

    @Test
    void aDumbTerminalIsNotInteractive() {
        Terminal terminal = Terminal.detect(Map.of("TERM", "dumb"));

        assertFalse(terminal.interactive());
        assertFalse(terminal.color());
    }

    @Test
    void plainIsNeitherInteractiveNorColored() {
        assertFalse(Terminal.PLAIN.interactive());
        assertFalse(Terminal.PLAIN.color());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ok, 32",
        "rebooted, 32",
        "scheduled, 32",
        "cancelled, 32",
        "noop, 2",
        "not_pending, 2",
        "not_matched, 2",
        "skipped, 2",
        "not_started, 2",
        "no_response, 33",
        "not_back, 33",
        "still_pending, 33",
        "failed, 31",
        "denied, 31",
        "expired, 31",
        "invalid, 31",
        "reboot_failed, 31",
        "reboot_interrupted, 31",
        "something_new, 0",
    })
    void eachStatusHasItsColor(String status, String code) {
        String text = status.replace('_', ' ') + "   ";

        assertEquals("\u001b[" + code + "m" + text + "\u001b[0m", new Terminal(true, true).status(status, text));
    }

    @Test
    void withoutColorTheTextIsUnchanged() {
        assertEquals("failed  ", Terminal.PLAIN.status("failed", "failed  "));
        assertEquals("rebooted", new Terminal(true, false).status("rebooted", "rebooted"));
    }
}
