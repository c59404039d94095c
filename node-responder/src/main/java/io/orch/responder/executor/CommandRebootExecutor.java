package io.orch.responder.executor;

import io.orch.protocol.Limits;
import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandRunner;
import io.orch.responder.command.CommandTimeoutException;
import io.orch.responder.command.ProcessCommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reboot command, without a shell, after filling in {@code {delay_min}},
 * {@code {delay_s}}, {@code {message}} and {@code {request_id}} in its arguments. The
 * default is {@code shutdown -r +{delay_min} {message}}: cancellable with {@code shutdown -c}
 * during the delay, and it warns logged-in users. Commands run through the shared {@link
 * CommandRunner}, which kills a command and everything it started once it outlives its timeout.
 */
public final class CommandRebootExecutor implements RebootExecutor {
    private static final Logger log = LoggerFactory.getLogger(CommandRebootExecutor.class);

    public static final List<String> LINUX_DEFAULT = List.of("shutdown", "-r", "+{delay_min}", "{message}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(delay_min|delay_s|message|request_id)}");

    /** Cancels a pending {@code shutdown -r +N}. */
    public static final List<String> LINUX_CANCEL = List.of("shutdown", "-c", "orch: reboot cancelled");

    private final List<String> command;
    private final List<String> cancelCommand;
    private final Duration timeout;
    private final CommandRunner runner;

    /** @throws IllegalArgumentException for an empty command: refused at start, not at 2 a.m. */
    public CommandRebootExecutor(List<String> command, long timeoutSeconds) {
        this(command, LINUX_CANCEL, timeoutSeconds);
    }

    /** @param cancelCommand stops the reboot during its delay (placeholders as for the command) */
    public CommandRebootExecutor(List<String> command, List<String> cancelCommand, long timeoutSeconds) {
        this(command, cancelCommand, timeoutSeconds, new ProcessCommandRunner());
    }

    /**
     * @param runner runs the commands; past the timeout it kills the command and everything it started
     */
    public CommandRebootExecutor(List<String> command, List<String> cancelCommand, long timeoutSeconds,
                                 CommandRunner runner) {
        if (command == null || command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("reboot command is empty; set reboot.command in the node config");
        }
        if (cancelCommand == null || cancelCommand.isEmpty() || cancelCommand.get(0).isBlank()) {
            throw new IllegalArgumentException("reboot cancel command is empty; set reboot.cancel_command");
        }
        this.command = List.copyOf(command);
        this.cancelCommand = List.copyOf(cancelCommand);
        this.timeout = Duration.ofSeconds(timeoutSeconds);
        this.runner = Objects.requireNonNull(runner, "runner == null");
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
        CommandResult result;
        try {
            result = runner.run(argv, null, timeout);
        } catch (CommandTimeoutException e) {
            throw new RebootException(what + " did not finish within " + timeout.toSeconds() + "s: " + argv);
        } catch (IOException e) {
            throw new RebootException("cannot run " + what + " " + argv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RebootException("interrupted while running " + what + " " + argv, e);
        }
        if (result.exitCode() != 0) {
            String head = CommandResult.head(output(result), Limits.MAX_REBOOT_OUTPUT_CHARS);
            throw new RebootException(what + " exited " + result.exitCode() + ": " + argv
                    + (head.isEmpty() ? "" : ": " + head));
        }
    }

    /** Standard output, then standard error: what the command said, for the error message. */
    private static String output(CommandResult result) {
        String out = result.output().strip();
        String err = result.errors().strip();
        return out.isEmpty() || err.isEmpty() ? out + err : out + "\n" + err;
    }

    /**
     * {@code {delay_min}} in the command ({@code shutdown -r +N}) rounds the delay up to whole minutes;
     * {@code {delay_s}} passes it exactly; a command with neither is given no delay and goes down when run.
     */
    @Override
    public Duration effectiveDelay(Duration requested) {
        if (command.stream().anyMatch(arg -> arg.contains("{delay_min}"))) {
            return Duration.ofMinutes((requested.toSeconds() + 59) / 60);
        }
        return command.stream().anyMatch(arg -> arg.contains("{delay_s}")) ? requested : Duration.ZERO;
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
