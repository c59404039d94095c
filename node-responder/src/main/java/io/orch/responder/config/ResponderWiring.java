package io.orch.responder.config;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Freshness;
import io.orch.responder.EventSink;
import io.orch.responder.Responder;
import io.orch.responder.executor.CommandRebootExecutor;
import io.orch.responder.executor.LoggingRebootExecutor;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.facts.BuiltinFacts;
import io.orch.responder.facts.FactsFile;
import io.orch.responder.audit.AuditLog;
import io.orch.responder.audit.FileAuditLog;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.reboot.LockWait;
import io.orch.responder.reboot.RebootPolicy;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.pending.KernelUpdate;
import io.orch.responder.pending.PendingCheck;
import io.orch.responder.pending.PendingDetector;
import io.orch.responder.pending.RebootRequiredFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** Builds a responder from its config: the single place where implementations are chosen. */
public final class ResponderWiring {
    public static final List<String> DETECTORS = List.of("reboot_required", "reboot_needed", "kernel_update");
    /** More skew than this makes the TTL meaningless; fix the clocks instead. */
    public static final int MAX_CLOCK_SKEW_S = 300;

    private ResponderWiring() {
    }

    public static PendingCheck detectors(List<String> names, Path root) throws ConfigException {
        List<PendingDetector> detectors = new ArrayList<>();
        for (String name : names) {
            detectors.add(switch (name) {
                case "reboot_required" -> RebootRequiredFile.debian(root);
                case "reboot_needed" -> RebootRequiredFile.suse(root);
                case "kernel_update" -> new KernelUpdate(root);
                default -> throw new ConfigException("unknown pending detector '" + name + "'; known: " + DETECTORS);
            });
        }
        return new PendingCheck(detectors);
    }

    /** Static facts files first, built-ins over them: a facts file cannot fake a node's identity or boot id. */
    public static NodeFacts facts(ResponderConfig config, Clock clock) throws ConfigException {
        Path root = Path.of(config.facts().root());
        if (!Files.isDirectory(root)) {
            throw new ConfigException("facts.root " + root + " does not exist or is not a folder");
        }
        if ((config.identity() == null || config.identity().isBlank()) && BuiltinFacts.hostname(root) == null) {
            // Every such node would be "localhost": requests for one would reach them all.
            throw new ConfigException("no hostname found below " + root + "; set identity in the config");
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        for (String file : config.facts().files()) {
            try {
                facts.putAll(FactsFile.read(Path.of(file)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        facts.putAll(BuiltinFacts.read(root, config.identity(), clock));
        String problem = Destinations.identityProblem(String.valueOf(facts.get("identity")));
        if (problem != null) {
            throw new ConfigException(problem + "; set 'identity' in the config");
        }
        return new NodeFacts(facts, detectors(config.pending().detectors(), root), clock);
    }

    public static RebootExecutor executor(ResponderConfig.Reboot reboot) throws ConfigException {
        if (reboot.commandTimeoutS() <= 0) {
            throw new ConfigException("reboot.command_timeout_s must be more than 0, got " + reboot.commandTimeoutS());
        }
        List<String> command = reboot.command() == null ? CommandRebootExecutor.LINUX_DEFAULT : reboot.command();
        CommandRebootExecutor system;
        try {
            system = new CommandRebootExecutor(command,
                    reboot.cancelCommand() == null ? CommandRebootExecutor.LINUX_CANCEL : reboot.cancelCommand(),
                    reboot.commandTimeoutS());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return switch (reboot.executor()) {
            case "log" -> new LoggingRebootExecutor(system);
            case "command" -> system;
            default -> throw new ConfigException("unknown reboot executor '" + reboot.executor()
                    + "'; use 'log' (only log what would run) or 'command' (really reboot)");
        };
    }

    /** @throws ConfigException unless {@code requests.clock_skew_s} is between 0 and {@link #MAX_CLOCK_SKEW_S} */
    public static Freshness freshness(ResponderConfig.Requests requests) throws ConfigException {
        int skew = requests.clockSkewS();
        if (skew < 0 || skew > MAX_CLOCK_SKEW_S) {
            throw new ConfigException("requests.clock_skew_s must be between 0 and " + MAX_CLOCK_SKEW_S + ", got "
                    + skew);
        }
        return new Freshness(Duration.ofSeconds(skew));
    }

    /** @throws IllegalArgumentException for a config {@link #freshness} or {@link #policy} refuses; check first */
    public static Responder responder(ResponderConfig config, NodeFacts facts, RebootExecutor executor,
                                      Executor rebootThread, EventSink events, Clock clock) {
        Freshness freshness;
        RebootPolicy policy;
        try {
            freshness = freshness(config.requests());
            policy = policy(config.reboot());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Path root = Path.of(config.facts().root());
        ResponderConfig.Reboot reboot = config.reboot();
        RebootSequence sequence = new RebootSequence(new FileJournal(stateDir(config)),
                new LockWait(root, reboot.lockFiles(), Duration.ofSeconds(reboot.lockWaitS()), Duration.ofSeconds(1)),
                executor, rebootThread, events, clock, facts.identity(), facts.bootId());
        AuditLog audit = new FileAuditLog(stateDir(config).resolve("audit.jsonl"), FileAuditLog.DEFAULT_MAX_BYTES);
        return new Responder(config.collective(), facts, sequence, events, clock, freshness, new Codec(), policy,
                audit);
    }

    /** The journal's folder: as configured, or {@code var/lib/orch} below the facts root. */
    public static Path stateDir(ResponderConfig config) {
        String dir = config.reboot().stateDir();
        return dir != null ? Path.of(dir) : Path.of(config.facts().root()).resolve("var/lib/orch");
    }

    /** @throws ConfigException for a negative lock wait or minimum interval */
    public static RebootPolicy policy(ResponderConfig.Reboot reboot) throws ConfigException {
        if (reboot.lockWaitS() < 0) {
            throw new ConfigException("reboot.lock_wait_s must be 0 or more, got " + reboot.lockWaitS());
        }
        if (reboot.minIntervalS() < 0) {
            throw new ConfigException("reboot.min_interval_s must be 0 or more, got " + reboot.minIntervalS());
        }
        return new RebootPolicy(reboot.allowForce(), Duration.ofSeconds(reboot.minIntervalS()));
    }
}
