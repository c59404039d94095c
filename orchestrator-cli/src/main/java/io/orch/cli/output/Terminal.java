package io.orch.cli.output;

import io.orch.cli.run.NodeResult;
import java.util.Map;

/**
 * What the process is printing to: a person at a terminal gets a live progress line and colors;
 * a pipe, a file or a script gets plain text and nothing that redraws itself.
 *
 * @param interactive stdin, stdout and stderr are a terminal, and it is not a dumb one
 * @param color       stdout is a terminal, and {@code NO_COLOR} is not set (https://no-color.org)
 */
public record Terminal(boolean interactive, boolean color) {
    public static final Terminal PLAIN = new Terminal(false, false);

    public static Terminal detect(Map<String, String> env) {
        boolean tty = isTerminal(System.console()) && !"dumb".equals(env.get("TERM"));
        String noColor = env.get("NO_COLOR");
        // The progress line goes to stderr: `orch ... 2>run.log` must not fill the log with redraws.
        return new Terminal(tty && stderrIsTerminal(), tty && (noColor == null || noColor.isEmpty()));
    }

    private static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | RuntimeException e) {
            return true; // no /proc here (macOS): go by the console alone
        }
    }

    /** Up to JDK 21 a console exists only on a terminal; from JDK 22 it may exist anyway and says so itself. */
    private static boolean isTerminal(java.io.Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // JDK 17-21: no such method, and a console means a terminal
        }
    }

    /** {@code text} in the color that goes with {@code status}, when colors are on. */
    public String status(String status, String text) {
        if (!color) {
            return text;
        }
        String code = switch (status) {
            case "ok", "rebooted", "scheduled", "cancelled" -> "32"; // green
            case "noop", "not_pending", "not_matched", "skipped", "not_started" -> "2"; // dim
            case "no_response", "not_back", "still_pending" -> "33"; // yellow
            default -> NodeResult.isFailure(status) ? "31" : "0";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }
}
