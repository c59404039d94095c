package io.orch.responder.command;

import java.util.Objects;

/**
 * What a finished command left behind.
 *
 * @param output    standard output, decoded as UTF-8, at most the run's limit
 *                  ({@link io.orch.protocol.Limits#MAX_COMMAND_OUTPUT_BYTES} unless the caller asked for less)
 * @param truncated whether the command printed more than that (killed then, when the caller asked for a limit)
 * @param errors    the start of standard error, for messages
 */
public record CommandResult(int exitCode, String output, boolean truncated, String errors) {
    public CommandResult {
        output = Objects.requireNonNullElse(output, "");
        errors = Objects.requireNonNullElse(errors, "");
    }

    /** A command that printed {@code output} and nothing on standard error: for fakes in tests. */
    public static CommandResult of(int exitCode, String output) {
        return new CommandResult(exitCode, output, false, "");
    }

    /** The first {@code max} characters of the trimmed text, with "..." when cut: evidence stays short. */
    public static String head(String text, int max) {
        String t = text == null ? "" : text.strip();
        return t.length() <= max ? t : t.substring(0, max) + "...";
    }
}
