package io.orch.cli.commands;

import io.orch.cli.UsageException;
import io.orch.cli.options.DurationConverter;
import io.orch.protocol.envelope.Action;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reboot", mixinStandardHelpOptions = true,
        description = {"Reboot the matched nodes that have a reboot pending.",
            "Each node re-checks its pending state when the request arrives, replies what it will do, and only "
                    + "then reboots after --delay. Use --noop to see who would reboot."})
public final class RebootCommand extends FleetCommand {
    @Option(names = "--noop", description = "Ask nodes what they would do; nothing reboots.")
    boolean noop;

    @Option(names = "--all", description = "Allow an empty filter: every node with a reboot pending.")
    boolean all;

    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.class,
            description = "Time between the reply and the reboot; logged-in users are warned (default: "
                    + "${DEFAULT-VALUE}). Rounded up to whole minutes by shutdown on Linux.")
    Duration delay;

    @Option(names = "--message", paramLabel = "TEXT", description = "Message shown to logged-in users.")
    String message;

    @Option(names = "--onlyif", paramLabel = "REASON", split = ",",
            description = "Reboot only for these pending reasons (repeatable or comma-separated), e.g. kernel_update.")
    java.util.List<String> onlyif = new java.util.ArrayList<>();

    @Option(names = "--unless", paramLabel = "REASON", split = ",",
            description = "Ignore these pending reasons (repeatable or comma-separated), e.g. pending_file_rename.")
    java.util.List<String> unless = new java.util.ArrayList<>();

    @Override
    Action action() {
        return Action.REBOOT;
    }

    @Override
    boolean twoPhase() {
        return true;
    }

    @Override
    boolean noop() {
        return noop;
    }

    @Override
    boolean needsExplicitTarget() {
        return true;
    }

    @Override
    boolean all() {
        return all;
    }

    @Override
    Map<String, Object> params() {
        if (delay.toSeconds() > 86_400) {
            throw new UsageException("--delay must be at most 24h, got " + delay.toSeconds() + "s");
        }
        if (delay.toNanos() % 1_000_000_000L != 0) {
            throw new UsageException("--delay must be whole seconds, got " + delay.toMillis() + "ms");
        }
        if (message != null && (message.isBlank() || message.startsWith("-") || message.length() > 400
                || message.chars().anyMatch(Character::isISOControl))) {
            throw new UsageException("--message must be 1-400 printable characters, not starting with '-'");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("when", "pending");
        params.put("noop", noop);
        params.put("delay_s", delay.toSeconds());
        if (message != null) {
            params.put("message", message);
        }
        if (!onlyif.isEmpty() && !unless.isEmpty()) {
            throw new UsageException("--onlyif and --unless cannot be used together");
        }
        for (String reason : onlyif.isEmpty() ? unless : onlyif) {
            if (!reason.matches("[a-z0-9_]{1,64}")) {
                throw new UsageException((onlyif.isEmpty() ? "--unless" : "--onlyif") + " '" + reason
                        + "' is not a reason name (like kernel_update)");
            }
        }
        if (!onlyif.isEmpty()) {
            params.put("onlyif", java.util.List.copyOf(onlyif));
        }
        if (!unless.isEmpty()) {
            params.put("unless", java.util.List.copyOf(unless));
        }
        return params;
    }
}
