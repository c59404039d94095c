package io.orch.responder.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    private final List<String> command;
    private final long timeoutSeconds;

    /** @throws IllegalArgumentException for an empty command: refused at start, not at 2 a.m. */
    public CommandRebootExecutor(List<String> command, long timeoutSeconds) {
        if (command == null || command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("reboot command is empty; set reboot.command in the node config");
        }
        this.command = List.copyOf(command);
        this.timeoutSeconds = timeoutSeconds;
    }

    public List<String> argv(RebootPlan plan) {
        List<String> argv = new ArrayList<>();
        for (String arg : command) {
            argv.add(arg.replace("{delay_min}", Long.toString(plan.delayMinutes()))
                    .replace("{delay_s}", Long.toString(plan.delay().toSeconds()))
                    .replace("{message}", plan.message())
                    .replace("{request_id}", plan.requestId()));
        }
        return argv;
    }

    @Override
    public void reboot(RebootPlan plan) throws RebootException {
        List<String> argv = argv(plan);
        log.warn("rebooting for request {}: running {}", plan.requestId(), argv);
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new RebootException("reboot command did not finish within " + timeoutSeconds + "s: " + argv);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new RebootException("reboot command exited " + process.exitValue() + ": " + argv
                        + (output.isEmpty() ? "" : ": " + output));
            }
        } catch (IOException e) {
            throw new RebootException("cannot run reboot command " + argv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RebootException("interrupted while running reboot command " + argv, e);
        }
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
