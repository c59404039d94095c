package io.orch.responder.executor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reboot command, without a shell, after filling in {@code {delay_min}},
 * {@code {delay_s}}, {@code {message}} and {@code {request_id}} in its arguments. The
 * default is {@code shutdown -r +{delay_min} {message}}: cancellable with {@code shutdown -c}
 * during the delay, and it warns logged-in users.
 */
public final class CommandRebootExecutor implements RebootExecutor {
    private static final Logger log = LoggerFactory.getLogger(CommandRebootExecutor.class);

    public static final List<String> LINUX_DEFAULT = List.of("shutdown", "-r", "+{delay_min}", "{message}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(delay_min|delay_s|message|request_id)}");
    /** How much of the command's output goes into an error message. */
    static final int MAX_OUTPUT_CHARS = 500;

    /** Cancels a pending {@code shutdown -r +N}. */
    public static final List<String> LINUX_CANCEL = List.of("shutdown", "-c", "orch: reboot cancelled");

    private final List<String> command;
    private final List<String> cancelCommand;
    private final long timeoutSeconds;

    /** @throws IllegalArgumentException for an empty command: refused at start, not at 2 a.m. */
    public CommandRebootExecutor(List<String> command, long timeoutSeconds) {
        this(command, LINUX_CANCEL, timeoutSeconds);
    }

    /** @param cancelCommand stops the reboot during its delay (placeholders as for the command) */
    public CommandRebootExecutor(List<String> command, List<String> cancelCommand, long timeoutSeconds) {
        if (command == null || command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("reboot command is empty; set reboot.command in the node config");
        }
        if (cancelCommand == null || cancelCommand.isEmpty() || cancelCommand.get(0).isBlank()) {
            throw new IllegalArgumentException("reboot cancel command is empty; set reboot.cancel_command");
        }
        this.command = List.copyOf(command);
        this.cancelCommand = List.copyOf(cancelCommand);
        this.timeoutSeconds = timeoutSeconds;
    }

    public List<String> argv(RebootPlan plan) {
        return fill(command, plan);
    }

    private static List<String> fill(List<String> template, RebootPlan plan) {
        Map<String, String> values = Map.of(
                "delay_min", Long.toString(plan.delayMinutes()),
                "delay_s", Long.toString(plan.delay().toSeconds()),
                "message", plan.message(),
                "request_id", plan.requestId());
        List<String> argv = new ArrayList<>();
        for (String arg : template) {
            // One pass: a value that itself looks like a placeholder (a message "{request_id}") stays as it is.
            Matcher m = PLACEHOLDER.matcher(arg);
            argv.add(m.replaceAll(r -> Matcher.quoteReplacement(values.get(r.group(1)))));
        }
        return argv;
    }

    @Override
    public void reboot(RebootPlan plan) throws RebootException {
        List<String> argv = argv(plan);
        log.warn("rebooting for request {}: running {}", plan.requestId(), argv);
        run(argv, "reboot command");
    }

    @Override
    public void cancel(RebootPlan plan) throws RebootException {
        List<String> argv = fill(cancelCommand, plan);
        log.warn("cancelling the reboot for request {}: running {}", plan.requestId(), argv);
        run(argv, "cancel command");
    }

    private void run(List<String> argv, String what) throws RebootException {
        Path output = null;
        try {
            // Output goes to a file, not a pipe: a chatty command would block on a full pipe nobody reads.
            output = Files.createTempFile("orch-reboot-", ".out");
            Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new RebootException(what + " did not finish within " + timeoutSeconds + "s: " + argv);
            }
            if (process.exitValue() != 0) {
                String head = head(output);
                throw new RebootException(what + " exited " + process.exitValue() + ": " + argv
                        + (head.isEmpty() ? "" : ": " + head));
            }
        } catch (IOException e) {
            throw new RebootException("cannot run " + what + " " + argv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RebootException("interrupted while running " + what + " " + argv, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    log.debug("could not delete {}: {}", output, e.getMessage());
                }
            }
        }
    }

    /** The start of the command's output, trimmed, at most {@link #MAX_OUTPUT_CHARS} characters. */
    private static String head(Path output) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(output)) {
            bytes = in.readNBytes(MAX_OUTPUT_CHARS * 4);
        }
        String text = new String(bytes, StandardCharsets.UTF_8).trim();
        return text.length() <= MAX_OUTPUT_CHARS ? text : text.substring(0, MAX_OUTPUT_CHARS) + "...";
    }

    @Override
    public String describe(RebootPlan plan) {
        return String.join(" ", argv(plan).stream().map(CommandRebootExecutor::quote).toList());
    }

    private static String quote(String arg) {
        return arg.isEmpty() || arg.chars().anyMatch(c -> c == ' ' || c == '"' || c == '\'')
                ? "'" + arg.replace("'", "'\\''") + "'" : arg;
    }
}
