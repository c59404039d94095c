package io.orch.cli.commands;

import io.orch.cli.UsageException;
import io.orch.cli.options.Amount;
import io.orch.cli.run.RunSettings;
import io.orch.protocol.Limits;
import java.util.List;
import io.orch.cli.options.DurationConverter;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.payload.RebootParams;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reboot", mixinStandardHelpOptions = true,
        description = {"Reboot the matched nodes that have a reboot pending.",
            "Each node re-checks its pending state when the request arrives, replies what it will do, and only "
                    + "then reboots after --delay. Use --noop to see who would reboot.",
            "",
            "Rolling: --batch 10%% --wait sends the reboot to one batch at a time and starts the next only when "
                    + "every node of this one is back with a new boot id (or failed, or ran out of --wait-timeout); "
                    + "--max-failures stops the run before the next batch."},
        exitCodeListHeading = "%nExit codes:%n")
public final class RebootCommand extends FleetCommand {
    @Option(names = "--batch", paramLabel = "N|N%", converter = Amount.Converter.class,
            description = "Reboot N (or N%% of the matched) nodes at a time; needs --wait or --batch-sleep.")
    Amount batch;

    @Option(names = "--batch-sleep", paramLabel = "DURATION", defaultValue = "0s",
            converter = DurationConverter.class,
            description = "Pause between batches (default: ${DEFAULT-VALUE}).")
    Duration batchSleep;

    @Option(names = "--wait", description = "Wait for each batch's nodes to come back (a rebooted event with a new "
            + "boot id) before the next batch, and report it.")
    boolean await;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "15m",
            converter = DurationConverter.class,
            description = "With --wait: how long a batch may take from its request until all its nodes are back, "
                    + "including --delay (default: ${DEFAULT-VALUE}); a node whose reboot command waits longer than "
                    + "--delay (shutdown -r +N: whole minutes) says so and is given that much more. Late nodes are "
                    + "not back (exit 4).")
    Duration waitTimeout;

    @Option(names = "--require-clear", description = "With --wait: a node that is back but still has a reboot "
            + "pending counts as failed (still pending).")
    boolean requireClear;

    @Option(names = "--max-failures", paramLabel = "N|N%", converter = Amount.Converter.class,
            description = "Stop before the next batch once N (or N%% of the targets) nodes failed, did not answer or "
                    + "did not come back (exit 5).")
    Amount maxFailures;

    @Option(names = "--force", description = "Reboot even where nothing is pending (when => refreshed). Nodes "
            + "accept it only with reboot.allow_force; asks for confirmation on a terminal.")
    boolean force;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (--force).")
    boolean yes;

    @Option(names = "--noop", description = "Ask nodes what they would do; nothing reboots.")
    boolean noop;

    @Option(names = "--all", description = "Allow an empty filter: every node with a reboot pending.")
    boolean all;

    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.class,
            description = "Time between the reply and the reboot; logged-in users are warned (default: "
                    + "${DEFAULT-VALUE}). Rounded up to whole minutes by shutdown on Linux; exact on Windows and for "
                    + "a reboot command given {delay_s}.")
    Duration delay;

    @Option(names = "--message", paramLabel = "TEXT", description = "Message shown to logged-in users.")
    String message;

    @Option(names = "--onlyif", paramLabel = "REASON", split = ",",
            description = "Reboot only for these pending reasons (repeatable or comma-separated), e.g. kernel_update.")
    List<String> onlyif = new java.util.ArrayList<>();

    @Option(names = "--unless", paramLabel = "REASON", split = ",",
            description = "Ignore these pending reasons (repeatable or comma-separated), e.g. pending_file_rename.")
    List<String> unless = new java.util.ArrayList<>();

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
    RebootParams params() {
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
        if (force && noop) {
            throw new UsageException("--force and --noop cannot be used together; --noop alone shows what would "
                    + "reboot");
        }
        if (force && !yes && !terminal().interactive()) {
            throw new UsageException("--force needs --yes when orch is not run from a terminal");
        }
        if (!onlyif.isEmpty() && !unless.isEmpty()) {
            throw new UsageException("--onlyif and --unless cannot be used together");
        }
        for (String reason : onlyif.isEmpty() ? unless : onlyif) {
            if (!reason.matches("[a-z0-9_]{1," + Limits.MAX_REASON_NAME_CHARS + "}")) {
                throw new UsageException((onlyif.isEmpty() ? "--unless" : "--onlyif") + " '" + reason
                        + "' is not a reason name (like kernel_update)");
            }
        }
        if (onlyif.size() > Limits.MAX_REASON_NAMES || unless.size() > Limits.MAX_REASON_NAMES) {
            throw new UsageException((onlyif.isEmpty() ? "--unless" : "--onlyif") + " takes at most "
                    + Limits.MAX_REASON_NAMES + " reason names");
        }
        // The node wants both refreshed and force: refreshed alone could be a typo for pending.
        return new RebootParams(force ? RebootParams.When.REFRESHED : RebootParams.When.PENDING, force, noop,
                delay.toSeconds(), message, onlyif, unless);
    }

    @Override
    RunSettings.Batching batching() {
        // Not a TTL (only the CLI waits), so longer than the request limit is fine: slow firmware, big fleets.
        if (waitTimeout.isZero() || waitTimeout.toHours() > 24) {
            throw new UsageException("--wait-timeout must be more than 0 and at most 24h");
        }
        if (batch != null && !await && batchSleep.isZero()) {
            boolean typed = spec.commandLine().getParseResult().hasMatchedOption("--batch");
            throw new UsageException((typed ? "--batch" : "batch " + batch + " (from the configuration, see orch "
                    + "config show)") + " needs --wait (next batch when this one is back) or --batch-sleep "
                    + "(next batch after a pause); otherwise all batches would start at once");
        }
        if (requireClear && !await) {
            throw new UsageException("--require-clear needs --wait: only a node seen back can be checked");
        }
        // Nodes go down only after --delay. What a node's executor adds to it (shutdown -r +N: whole minutes)
        // the node reports, and the run adds to that node's wait (see Rollout); this check needs only --delay.
        if (await && !noop && waitTimeout.compareTo(delay) <= 0) {
            long shutdownUpTo = (delay.toSeconds() + 59) / 60 * 60;
            throw new UsageException("--wait-timeout (" + waitTimeout.toSeconds() + "s) must be longer than --delay ("
                    + delay.toSeconds() + "s): nodes only go down after the delay. Where a node's reboot command "
                    + "rounds it up (shutdown -r +N: " + shutdownUpTo + "s), orch waits that much longer for it");
        }
        return new RunSettings.Batching(batch, batchSleep, await, waitTimeout, requireClear, maxFailures, timeout);
    }

    @Override
    Map<String, Object> reportedOptions() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("batch", batch == null ? null : batch.toString());
        options.put("batch_sleep_ms", batchSleep.toMillis());
        options.put("wait", await);
        options.put("wait_timeout_ms", await ? waitTimeout.toMillis() : null);
        options.put("require_clear", requireClear);
        options.put("max_failures", maxFailures == null ? null : maxFailures.toString());
        options.put("delay_s", delay.toSeconds());
        options.put("force", force);
        return options;
    }

    private io.orch.cli.output.Terminal terminal() {
        return ((OrchCommand) spec.root().userObject()).terminal();
    }

    @Override
    void confirm(List<String> targets) {
        if (!force || yes) {
            return;
        }
        java.io.Console console = System.console();
        if (console == null || !terminal().interactive()) {
            throw new UsageException("--force needs --yes when orch is not run from a terminal");
        }
        // Node names as the nodes gave them: through the one sanitiser before they reach the terminal.
        List<String> names = targets.stream().map(io.orch.cli.output.SafeText::field).toList();
        String shown = names.size() <= 10 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 10)) + " and " + (targets.size() - 10) + " more";
        String answer = console.readLine("Force a reboot of %d node(s) whether or not one is pending (%s)? "
                + "Type yes to go on: ", targets.size(), shown);
        if (answer == null || !answer.trim().equalsIgnoreCase("yes")) {
            throw new UsageException("not confirmed; nothing was rebooted");
        }
    }
}
