package io.orch.cli.commands;

import io.orch.cli.ExitCode;
import io.orch.cli.Interrupt;
import io.orch.cli.UsageException;
import io.orch.cli.client.OrchClient;
import io.orch.cli.inventory.InventoryCache;
import io.orch.cli.inventory.LastSeen;
import io.orch.cli.options.Amount;
import io.orch.cli.options.BrokerOptions;
import io.orch.cli.options.SecurityOptions;
import io.orch.cli.client.ClientSecurity;
import io.orch.cli.options.DurationConverter;
import io.orch.cli.options.FilterOptions;
import io.orch.cli.options.InventoryOptions;
import io.orch.cli.options.OutputOptions;
import io.orch.cli.options.ReportOptions;
import io.orch.cli.options.TargetOptions;
import io.orch.cli.output.JsonRenderer;
import io.orch.cli.output.ReportFile;
import io.orch.cli.output.Webhook;
import io.orch.cli.output.JsonlRenderer;
import io.orch.cli.output.ProgressLine;
import io.orch.cli.output.SafeText;
import io.orch.cli.output.TableRenderer;
import io.orch.cli.output.Terminal;
import io.orch.cli.run.BrokerLostException;
import io.orch.cli.run.BrokerUnreachableException;
import io.orch.cli.run.FleetRun;
import io.orch.cli.run.RunClock;
import io.orch.cli.run.RunListener;
import io.orch.cli.run.RunReport;
import io.orch.cli.run.RunSettings;
import io.orch.protocol.Limits;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.ActionParams;
import io.orch.protocol.payload.NoData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that runs against the fleet: it checks its options, starts a {@link FleetRun} on the
 * JMS bus, renders the report and returns its exit code.
 */
abstract class FleetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Mixin
    SecurityOptions security;

    @Mixin
    FilterOptions filter;

    @Mixin
    TargetOptions targeting;

    @Mixin
    OutputOptions output;

    @Mixin
    InventoryOptions known;

    @Mixin
    ReportOptions reporting;

    @Option(names = "--discovery-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Longest wait for discovery replies (default: ${DEFAULT-VALUE}). Discovery ends as soon as "
                    + "every node named by --nodes or exact -I identities, or else every known node (see orch "
                    + "inventory), has answered; with none known, "
                    + "after a quiet second with no new reply.")
    Duration discoveryTimeout;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long matched nodes (of each batch) have to answer the action (default: "
                    + "${DEFAULT-VALUE}; at most " + Limits.MAX_TTL_SECONDS / 60 + "m, "
                    + Limits.MAX_REBOOT_TTL_SECONDS / 60 + "m for reboot and cancel).")
    Duration timeout;

    /** The action nodes carry out. */
    abstract Action action();

    /** True when discovery is followed by the action sent to each matched node; false when the broadcast is the action. */
    abstract boolean twoPhase();

    /** The action's parameters; none for ping and discover. */
    ActionParams params() {
        return NoData.INSTANCE;
    }

    boolean noop() {
        return false;
    }

    /** True for actions that change nodes: then an empty filter is refused unless the user says --all. */
    boolean needsExplicitTarget() {
        return false;
    }

    boolean all() {
        return false;
    }

    /** How the action goes out; {@code reboot} overrides this for batches and waiting. */
    RunSettings.Batching batching() {
        return RunSettings.Batching.allAtOnce(timeout);
    }

    /** The rollout settings as the report shows them. */
    Map<String, Object> reportedOptions() {
        return Map.of();
    }

    /**
     * Last word before the action goes to {@code targets}.
     *
     * @throws UsageException to stop the run (the user said no)
     */
    void confirm(List<String> targets) {
    }

    @Override
    public Integer call() throws Exception {
        // Everything the user typed is checked before the first message goes out.
        FilterSpec filterSpec = filter.spec();
        if (needsExplicitTarget() && filterSpec.isEmpty() && !all()) {
            throw new UsageException(spec.name() + " needs a filter (-F, -I or -S), or --all to mean every node");
        }
        output.check();
        reporting.check();
        ActionParams params = params();
        RunSettings.Batching batching = batching();
        Set<String> excluded = targeting.excluded();
        Set<String> inventory = targeting.inventory();
        if (!inventory.isEmpty() && excluded.containsAll(inventory)) {
            throw new UsageException("--exclude-nodes leaves no node of --nodes to ask");
        }
        Amount limit = targeting.limit();
        if (limit != null && !twoPhase()) {
            throw new UsageException(targeting.limitFlag() + " is for commands that act on nodes (reboot, status, "
                    + "cancel), not " + spec.name());
        }
        Destinations destinations = broker.destinations();
        checkPositive("--timeout", timeout);
        checkActionTtl();
        checkPositive("--discovery-timeout", discoveryTimeout);
        checkPositive("--connect-timeout", broker.connectTimeout());
        OrchCommand root = (OrchCommand) spec.root().userObject();
        root.headStart().await();
        long runStart = RunClock.SYSTEM.nanoTime();
        // The TCP and TLS handshakes run on another thread while this one reads the operator's key and
        // certificates (which the TLS part waits for), its state, and prepares the first request.
        try (OrchClient.Connecting connecting = OrchClient.begin(broker.broker(), destinations,
                broker.connectTimeout(), security.insecure())) {
            ClientSecurity signer = security.load(java.time.Clock.systemUTC(), root.stateDir());
            connecting.secure(signer);
            RunSettings settings = new RunSettings(action(), params, noop(), twoPhase(), filterSpec,
                    new RunSettings.Sender(destinations.collective(), signer.insecure() ? caller() : signer.signer(),
                            sender()),
                    new RunSettings.Targets(inventory, excluded, String.valueOf(targeting.excludeFile()), limit,
                            limit == null ? null : targeting.limitFlag()),
                    discoveryTimeout, batching, reportedOptions());
            return run(settings, runStart, connecting);
        } catch (BrokerUnreachableException | jakarta.jms.JMSException e) {
            // No report to post; the people watching the channel still hear that the run did not happen.
            notify(Webhook.failure(who(), spec.name(), (e instanceof BrokerUnreachableException && !(e instanceof BrokerLostException)
                    ? "" : "lost the broker: ") + SafeText.field(e.getMessage()), ExitCode.BROKER_UNREACHABLE));
            throw e;
        }
    }

    /** Who ran what where, for the webhook: {@code orch reboot on jump1}. */
    private String who() {
        return "orch " + spec.name() + " on " + sender();
    }

    /** Posts to {@code --notify}, if given; a failure is a warning and changes no exit code. */
    private void notify(com.fasterxml.jackson.databind.node.ObjectNode body) {
        java.net.URI address = reporting.webhook();
        if (address == null) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        if (io.orch.cli.config.WebhookAddress.unencrypted(address)) {
            err.println("orch: warning: --notify: " + io.orch.cli.config.WebhookAddress.redacted(address.toString())
                    + " is plain http: the webhook's address and the summary cross the network unencrypted; use https");
        }
        String problem = new Webhook(address, OrchCommand.VERSION).post(body);
        if (problem != null) {
            // The HTTP client's words may quote what the server sent.
            err.println("orch: warning: " + SafeText.field(problem) + "; the exit code is the run's");
        }
        err.flush();
    }

    private int run(RunSettings settings, long runStart, OrchClient.Connecting connecting) throws Exception {
        OrchCommand root = (OrchCommand) spec.root().userObject();
        Destinations destinations = broker.destinations();
        for (Action first : twoPhase() ? List.of(Action.DISCOVER, action()) : List.of(action())) {
            connecting.prepare(Request.create(destinations.collective(), first, settings.filter(),
                    first == Action.DISCOVER ? NoData.INSTANCE : settings.params(), settings.sender().caller(),
                    settings.sender().host(), java.time.Instant.now(), discoveryTimeout));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Terminal terminal = root.terminal();
        List<RunListener> listeners = new ArrayList<>();
        if (output.jsonl()) {
            listeners.add(new JsonlRenderer(out, runStart));
        }
        ProgressLine progress = terminal.interactive() ? new ProgressLine(err, action().wireName()) : null;
        if (progress != null) {
            listeners.add(progress);
        }
        listeners.add(new RunListener() {
            @Override
            public void warning(String why) {
                // Warnings quote what nodes and forgers sent (unverified messages): one line each, no escapes.
                err.println("orch: warning: " + SafeText.field(why));
                err.flush();
            }
        });
        LastSeen lastSeen = LastSeen.load(root.stateDir(), destinations.collective());
        InventoryCache knownNodes = InventoryCache.load(root.stateDir(), destinations.collective(), broker.broker(),
                known.forgetAfter());
        try (OrchClient bus = connecting.await()) {
            FleetRun run = new FleetRun(bus, settings, lastSeen, knownNodes, RunListener.all(listeners), targets -> {
                if (progress != null) {
                    progress.close(); // a question must not be erased by the next redraw
                }
                confirm(targets);
            }, RunClock.SYSTEM);
            // Registered until the report is printed: a Ctrl-C while it renders must not cut it off.
            try (Interrupt.Registration stop = root.interrupt().onStop(run::stop)) {
                RunReport report = run.run(runStart);
                if (progress != null) {
                    progress.close();
                }
                if (output.json()) {
                    JsonRenderer.render(report, out);
                } else if (!output.jsonl()) {
                    TableRenderer.render(report, out, terminal, cancelHint());
                }
                if (report.stopReason() != null && (output.json() || output.jsonl())) {
                    // Scripts read stdout; a person watching them still needs to hear why it stopped.
                    err.println("orch: " + report.summaryLine());
                }
                err.flush();
                int code = report.exitCode();
                if (reporting.reportFile() != null) {
                    String problem = ReportFile.write(reporting.reportFile(), report);
                    if (problem != null) {
                        err.println("orch: error: " + problem + (code == ExitCode.OK ? " (exit code "
                                + ExitCode.REPORT_NOT_WRITTEN + ")" : ""));
                        err.flush();
                        code = code == ExitCode.OK ? ExitCode.REPORT_NOT_WRITTEN : code;
                    }
                }
                notify(Webhook.body(who() + " by " + settings.sender().caller(), report, code));
                return code;
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }

    /** {@code orch cancel} with the flags that reach the same broker and collective. */
    private String cancelHint() {
        StringBuilder hint = new StringBuilder("orch cancel");
        if (!BrokerOptions.DEFAULT_BROKER.equals(broker.broker())) {
            hint.append(" --broker '").append(broker.broker().replace("'", "'\\''")).append('\'');
        }
        if (!Destinations.DEFAULT_COLLECTIVE.equals(broker.destinations().collective())) {
            hint.append(" --collective ").append(broker.destinations().collective());
        }
        return hint.toString();
    }

    static void checkPositive(String flag, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new UsageException(flag + " must be more than 0");
        }
        if (value.toSeconds() > Limits.MAX_TTL_SECONDS) {
            // The wait becomes the request's TTL, and nodes refuse longer ones.
            throw new UsageException(flag + " must be at most " + Limits.MAX_TTL_SECONDS / 60 + "m");
        }
    }

    /**
     * Nodes refuse a {@code reboot} or {@code cancel} that lives longer than
     * {@link Limits#MAX_REBOOT_TTL_SECONDS}, and {@code --timeout} becomes its lifetime: a longer one
     * is refused here, before anything is sent, rather than shortened behind the user's back.
     */
    private void checkActionTtl() {
        int limit = Request.maxTtlSeconds(action());
        if (FleetRun.ttl(timeout).toSeconds() <= limit) {
            return;
        }
        boolean typed = spec.commandLine().getParseResult().hasMatchedOption("--timeout");
        throw new UsageException("--timeout must be at most " + limit / 60 + "m for " + spec.name() + ", got "
                + FleetRun.ttl(timeout).toSeconds() + "s" + (typed ? "" : " (from the configuration, see orch config "
                + "show)") + ": it becomes the request's ttl_s, and nodes refuse a longer-lived " + spec.name());
    }

    private static String caller() {
        return System.getProperty("user.name", "unknown");
    }

    private static String sender() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                host = "unknown";
            }
        }
        return host;
    }
}
