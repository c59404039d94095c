package io.orch.responder.config;

import io.orch.protocol.Limits;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Freshness;
import io.orch.responder.action.ActionHandler;
import io.orch.responder.action.CancelAction;
import io.orch.responder.action.DiscoverAction;
import io.orch.responder.action.PingAction;
import io.orch.responder.action.RebootAction;
import io.orch.responder.action.StatusAction;
import io.orch.responder.audit.AuditLog;
import io.orch.responder.audit.FileAuditLog;
import io.orch.responder.audit.RequestAudit;
import io.orch.responder.command.CommandRunner;
import io.orch.responder.command.ProcessCommandRunner;
import io.orch.responder.event.EventSink;
import io.orch.responder.event.NodeEvents;
import io.orch.responder.executor.CommandRebootExecutor;
import io.orch.responder.executor.LoggingRebootExecutor;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.windows.WindowsShutdownExecutor;
import io.orch.responder.facts.BuiltinFacts;
import io.orch.responder.facts.ExternalFacts;
import io.orch.responder.facts.FactsCache;
import io.orch.responder.facts.FactsFile;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.gate.RequestGate;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.Journal;
import io.orch.responder.node.Responder;
import io.orch.responder.pending.CorePackagesUpdated;
import io.orch.responder.pending.KernelUpdate;
import io.orch.responder.pending.PendingCheck;
import io.orch.responder.pending.PendingDetector;
import io.orch.responder.pending.RebootRequiredFile;
import io.orch.responder.pending.SentinelCommand;
import io.orch.responder.pending.windows.WindowsDetectors;
import io.orch.responder.reboot.LockWait;
import io.orch.responder.reboot.RebootPolicy;
import io.orch.responder.reboot.RebootSequence;
import io.orch.responder.replay.SeenRequests;
import io.orch.responder.request.Replies;
import io.orch.responder.policy.Policy;
import io.orch.responder.policy.PolicyException;
import io.orch.responder.policy.PolicySource;
import io.orch.responder.security.NodeSecurity;
import io.orch.responder.state.Disk;
import io.orch.responder.state.StateFolder;
import io.orch.responder.state.StateFolderException;
import io.orch.trust.Credentials;
import io.orch.trust.SecuritySettings;
import io.orch.trust.TrustException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** Builds a responder from its config: the single place where implementations are chosen. */
public final class ResponderWiring {
    /** The Linux detectors on when the config lists none. */
    static final List<String> LINUX_DETECTORS = List.of("reboot_required", "reboot_needed", "kernel_update",
            "core_packages_updated");
    /** The detectors on when the config lists none: this platform's. */
    static final List<String> DETECTORS = isWindows() ? WindowsDetectors.ALL : LINUX_DETECTORS;
    /** On only with a command to run: {@code pending.sentinel_command}. */
    static final String SENTINEL_COMMAND = "sentinel_command";
    /** Every detector name a config may list. */
    static final List<String> KNOWN_DETECTORS = java.util.stream.Stream.concat(
            java.util.stream.Stream.concat(LINUX_DETECTORS.stream(), java.util.stream.Stream.of(SENTINEL_COMMAND)),
            WindowsDetectors.ALL.stream()).toList();

    /**
     * The codec of every responder in this process: configured once and never changed, it holds nothing of a
     * node's or a request's, and one of its own would cost each of the lab's thousands of nodes some 20 KB.
     */
    private static final Codec CODEC = new Codec();

    private ResponderWiring() {
    }

    /** Detectors by name, with no sentinel command; the boot time is read below the root now. */
    static PendingCheck detectors(List<String> names, Path root) throws ConfigException {
        return detectors(new ResponderConfig.Pending(names), root, BuiltinFacts.bootTime(root, Clock.systemUTC()),
                new ProcessCommandRunner());
    }

    /**
     * @param bootTime the node's boot time, which {@code core_packages_updated} compares install times with
     * @param runner   runs {@code rpm} and the sentinel command
     * @throws ConfigException for an unknown name, or a sentinel command that is missing, empty, not listed or
     *                         has a timeout outside 1 to {@link Limits#MAX_COMMAND_TIMEOUT_SECONDS}
     */
    static PendingCheck detectors(ResponderConfig.Pending pending, Path root, Instant bootTime,
                                  CommandRunner runner) throws ConfigException {
        List<String> sentinel = pending.sentinelCommand();
        if (sentinel != null) {
            if (sentinel.get(0) == null || sentinel.get(0).isBlank()) {
                throw new ConfigException("pending.sentinel_command is empty; give the command and its arguments as "
                        + "a list, e.g. [/usr/local/sbin/needs-reboot, --quiet]");
            }
            if (!pending.detectors().contains(SENTINEL_COMMAND)) {
                throw new ConfigException("pending.sentinel_command is set but pending.detectors does not list "
                        + SENTINEL_COMMAND + "; add it there, or remove the command");
            }
        }
        int timeout = pending.sentinelTimeoutS();
        if (timeout <= 0 || timeout > Limits.MAX_COMMAND_TIMEOUT_SECONDS) {
            throw new ConfigException("pending.sentinel_timeout_s must be between 1 and " + Limits.MAX_COMMAND_TIMEOUT_SECONDS
                    + ", got " + timeout);
        }
        List<PendingDetector> detectors = new ArrayList<>();
        List<String> windows = pending.detectors().stream().filter(WindowsDetectors.ALL::contains).toList();
        for (String name : pending.detectors()) {
            if (windows.contains(name)) {
                continue;
            }
            detectors.add(switch (name) {
                case "reboot_required" -> RebootRequiredFile.debian(root);
                case "reboot_needed" -> RebootRequiredFile.suse(root);
                case "kernel_update" -> new KernelUpdate(root);
                case "core_packages_updated" -> new CorePackagesUpdated(root, bootTime, runner,
                        CorePackagesUpdated.DEFAULT_TIMEOUT);
                case SENTINEL_COMMAND -> {
                    if (sentinel == null) {
                        throw new ConfigException("pending.detectors lists " + SENTINEL_COMMAND + " but "
                                + "pending.sentinel_command is not set; set the command to run, or remove "
                                + SENTINEL_COMMAND);
                    }
                    yield new SentinelCommand(sentinel, Duration.ofSeconds(timeout), runner);
                }
                default -> throw new ConfigException("unknown pending detector '" + name + "'; known: "
                        + KNOWN_DETECTORS);
            });
        }
        if (!windows.isEmpty()) {
            if (!isWindows()) {
                throw new ConfigException("pending.detectors lists Windows detectors " + windows
                        + ", which read the Windows registry; this node is not Windows");
            }
            try {
                detectors.addAll(WindowsDetectors.localMachine(windows, runner));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ConfigException("pending.detectors: " + e.getMessage());
            }
        }
        return new PendingCheck(detectors);
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    /**
     * Built-ins over static facts files over external facts: neither a facts file nor a script can fake a
     * node's identity or boot id. Static files are checked now (a bad one is a config error); later, files
     * and scripts are read again after {@code facts.cache_ttl_s}, and their failures become fact errors.
     */
    public static NodeFacts facts(ResponderConfig config, Clock clock) throws ConfigException {
        return facts(config, clock, new ProcessCommandRunner());
    }

    /** @param runner runs the external fact executables, {@code rpm} and the sentinel command */
    static NodeFacts facts(ResponderConfig config, Clock clock, CommandRunner runner) throws ConfigException {
        ResponderConfig.Facts factsConfig = config.facts();
        Path root = Path.of(factsConfig.root());
        if (!Files.isDirectory(root)) {
            throw new ConfigException("facts.root " + root + " does not exist or is not a folder");
        }
        if ((config.identity() == null || config.identity().isBlank()) && BuiltinFacts.hostname(root) == null) {
            // Every such node would be "localhost": requests for one would reach them all.
            throw new ConfigException("no hostname found below " + root + "; set identity in the config");
        }
        if (factsConfig.externalTimeoutS() <= 0 || factsConfig.externalTimeoutS() > Limits.MAX_COMMAND_TIMEOUT_SECONDS) {
            throw new ConfigException("facts.external_timeout_s must be between 1 and " + Limits.MAX_COMMAND_TIMEOUT_SECONDS
                    + ", got " + factsConfig.externalTimeoutS());
        }
        if (factsConfig.cacheTtlS() < 0) {
            throw new ConfigException("facts.cache_ttl_s must be 0 or more, got " + factsConfig.cacheTtlS());
        }
        ExternalFacts external = null;
        if (factsConfig.externalDir() != null) {
            Path dir = Path.of(factsConfig.externalDir());
            if (!Files.isDirectory(dir)) {
                throw new ConfigException("facts.external_dir " + dir + " does not exist or is not a folder");
            }
            external = new ExternalFacts(dir, Duration.ofSeconds(factsConfig.externalTimeoutS()), runner);
        }
        List<Path> files = new ArrayList<>();
        for (String file : factsConfig.files()) {
            try {
                FactsFile.read(Path.of(file));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            files.add(Path.of(file));
        }
        Map<String, Object> builtin = BuiltinFacts.read(root, config.identity(), clock);
        String problem = Destinations.identityProblem(String.valueOf(builtin.get("identity")));
        if (problem != null) {
            throw new ConfigException(problem + "; set 'identity' in the config");
        }
        PendingCheck detectors = detectors(config.pending(), root,
                Instant.parse(String.valueOf(builtin.get("boot_time"))), runner);
        FactsCache cache = new FactsCache(files, external, Duration.ofSeconds(factsConfig.cacheTtlS()), clock);
        return new NodeFacts(builtin, cache, detectors, clock);
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
                    reboot.commandTimeoutS(), new ProcessCommandRunner());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return switch (reboot.executor()) {
            case "log" -> new LoggingRebootExecutor(system);
            case "command" -> system;
            // The platform's own way: shutdown(8) on Linux, InitiateSystemShutdownEx on Windows.
            case "system" -> isWindows() ? executor(withExecutor(reboot, "windows")) : system;
            case "windows" -> {
                try {
                    yield WindowsShutdownExecutor.system();
                } catch (IllegalStateException e) {
                    throw new ConfigException("reboot.executor 'windows': " + e.getMessage());
                }
            }
            default -> throw new ConfigException("unknown reboot executor '" + reboot.executor()
                    + "'; use 'log' (only log what would run), 'command' (run reboot.command) or 'windows' "
                    + "(InitiateSystemShutdownEx), or 'system' for this platform's own");
        };
    }

    private static ResponderConfig.Reboot withExecutor(ResponderConfig.Reboot r, String executor) {
        return new ResponderConfig.Reboot(executor, r.command(), r.commandTimeoutS(), r.allowForce(), r.cancelCommand(),
                r.lockFiles(), r.lockWaitS(), r.minIntervalS(), r.stateDir());
    }

    /**
     * How the node announces itself: every {@code registry.interval_s}, signed and sent on {@code scheduler}.
     *
     * @param startedAt when this responder started
     * @throws ConfigException unless the interval is between {@link Limits#MIN_ANNOUNCE_INTERVAL_SECONDS} and
     *                         {@link Limits#MAX_ANNOUNCE_INTERVAL_SECONDS}
     */
    public static io.orch.responder.registry.Presence presence(ResponderConfig.Registry registry, Instant startedAt,
            java.util.concurrent.ScheduledExecutorService scheduler) throws ConfigException {
        String problem = io.orch.responder.registry.Presence.intervalProblem(registry.intervalS());
        if (problem != null) {
            throw new ConfigException(problem + "; 600 (ten minutes) is the default");
        }
        return new io.orch.responder.registry.Presence(Duration.ofSeconds(registry.intervalS()),
                io.orch.responder.registry.Presence.VERSION, startedAt,
                io.orch.responder.registry.AnnounceTimer.of(scheduler), new java.util.SplittableRandom());
    }

    /** @throws ConfigException unless {@code requests.clock_skew_s} is between 0 and {@link Limits#MAX_CLOCK_SKEW_SECONDS} */
    public static Freshness freshness(ResponderConfig.Requests requests) throws ConfigException {
        int skew = requests.clockSkewS();
        if (skew < 0 || skew > Limits.MAX_CLOCK_SKEW_SECONDS) {
            throw new ConfigException("requests.clock_skew_s must be between 0 and " + Limits.MAX_CLOCK_SKEW_SECONDS + ", got "
                    + skew);
        }
        return new Freshness(Duration.ofSeconds(skew));
    }

    /**
     * The node's replay memory, in its state folder ({@link #stateDir}).
     *
     * @throws ConfigException when the state folder cannot be used: the responder must not run without it
     */
    public static SeenRequests seenRequests(ResponderConfig config, Clock clock) throws ConfigException {
        return seenRequests(config, clock, Disk.REAL);
    }

    /** As {@link #seenRequests(ResponderConfig, Clock)}, its state folder writing through {@code disk}. */
    public static SeenRequests seenRequests(ResponderConfig config, Clock clock, Disk disk) throws ConfigException {
        StateFolder folder = stateFolder(config, disk);
        try {
            return SeenRequests.open(folder, clock);
        } catch (IOException e) {
            throw new ConfigException(e.getMessage() + (config.reboot().stateDir() == null
                    ? "; set reboot.state_dir to a folder this user can write" : "; check reboot.state_dir"));
        }
    }

    /**
     * The node's state folder ({@link #stateDir}), created if needed and checked: owned by this user,
     * not writable by group or others, not a symlink, nor below a parent others could write.
     *
     * @throws ConfigException naming the path, what is wrong and the chmod/chown that fixes it
     */
    public static StateFolder stateFolder(ResponderConfig config) throws ConfigException {
        return stateFolder(config, Disk.REAL);
    }

    /**
     * As {@link #stateFolder(ResponderConfig)}, writing through {@code disk}: the lab's simulated machines
     * write their files as real ones do, without the fsyncs (they have no power to lose).
     */
    public static StateFolder stateFolder(ResponderConfig config, Disk disk) throws ConfigException {
        try {
            return StateFolder.open(stateDir(config), disk);
        } catch (StateFolderException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The node's key material, CA and policy, as the config says: by default the Puppet agent's
     * certificate for this identity. Checked now, so a node never starts half-trusted.
     *
     * @throws ConfigException naming the file and what to do
     */
    public static NodeSecurity security(ResponderConfig config, String identity, Clock clock) throws ConfigException {
        Codec codec = CODEC;
        SecuritySettings settings = config.security();
        Path policyFile = Path.of(config.policyFile());
        if (settings.isInsecure()) {
            return NodeSecurity.insecure(Files.exists(policyFile) ? policy(policyFile, clock) : null, codec, clock);
        }
        SecuritySettings.Locations files = settings.resolve(Path.of(SecuritySettings.PUPPET_SSL_DIR), identity);
        Credentials credentials;
        try {
            credentials = Credentials.load(files, clock.instant());
        } catch (TrustException e) {
            throw new ConfigException("security: " + e.getMessage() + ". Set security.ssl_dir (a Puppet-style ssl "
                    + "folder) or security.ca/cert/key in the config; 'orch pki' makes a CA for sites without one");
        }
        if (!credentials.name().equals(identity)) {
            throw new ConfigException("security: certificate " + files.cert() + " is for '" + credentials.name()
                    + "', but this node's identity is '" + identity + "'; set identity (or security.certname) so "
                    + "they agree: the CLI believes a reply only from the node its certificate names");
        }
        return NodeSecurity.of(credentials, policy(policyFile, clock), codec, clock);
    }

    /** The policy file, reloaded when it changes; an invalid one at start is a config error. */
    static PolicySource policy(Path file, Clock clock) throws ConfigException {
        if (Files.exists(file)) {
            try {
                Policy.load(file);
            } catch (PolicyException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        return new PolicySource(file, clock);
    }

    /**
     * A responder with its replay memory opened here ({@link #seenRequests}).
     *
     * @throws IllegalArgumentException for a config {@link #freshness}, {@link #policy} or {@link #seenRequests}
     *                                  refuses; check first
     */
    public static Responder responder(ResponderConfig config, NodeFacts facts, RebootExecutor executor,
                                      Executor rebootThread, EventSink events, Clock clock, NodeSecurity security) {
        try {
            freshness(config.requests());
            policy(config.reboot());
            return responder(config, facts, executor, rebootThread, events, clock, security,
                    seenRequests(config, clock));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * @param seen the node's replay memory, from {@link #seenRequests}
     * @throws IllegalArgumentException for a config {@link #freshness} or {@link #policy} refuses; check first
     */
    public static Responder responder(ResponderConfig config, NodeFacts facts, RebootExecutor executor,
                                      Executor rebootThread, EventSink events, Clock clock, NodeSecurity security,
                                      SeenRequests seen) {
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
        LockWait locks = new LockWait(root, reboot.lockFiles(), Duration.ofSeconds(reboot.lockWaitS()),
                Duration.ofSeconds(1));
        // One checked folder for the replay memory, the journal and the audit. The audit's age limit compares
        // with the files' modification times: the system's clock, whatever the node's says.
        AuditLog audit = new FileAuditLog(seen.folder(), Clock.systemUTC());
        return responder(config.collective(), facts, new FileJournal(seen.folder()), locks, executor, rebootThread,
                events, clock, freshness, policy, audit, security, seen);
    }

    /**
     * A responder from its parts rather than a config file (tests hand in a memory journal and no
     * config-run locks): its events, reboot sequence, gate and one handler per action.
     *
     * @param rebootThread where the executor runs, so a slow reboot command never holds up replies
     * @param sink         where the node's events go
     */
    static Responder responder(String collective, NodeFacts facts, Journal journal, LockWait locks,
                               RebootExecutor executor, Executor rebootThread, EventSink sink, Clock clock,
                               Freshness freshness, RebootPolicy policy, AuditLog audit, NodeSecurity security,
                               SeenRequests seen) {
        NodeEvents events = new NodeEvents(facts.identity(), facts.bootId(), clock);
        RebootSequence sequence = new RebootSequence(journal, locks, executor, rebootThread, sink, events, clock);
        Replies replies = new Replies(facts.identity(), clock);
        Map<Action, ActionHandler> actions = new EnumMap<>(Action.class);
        actions.put(Action.PING, new PingAction(replies, facts.bootId()));
        actions.put(Action.DISCOVER, new DiscoverAction(replies));
        actions.put(Action.STATUS, new StatusAction(replies, facts.bootId(), journal, sequence, policy.minInterval(),
                clock, security));
        actions.put(Action.REBOOT, new RebootAction(replies, facts.bootId(), journal, executor, sequence, policy,
                freshness.allowedSkew(), clock));
        actions.put(Action.CANCEL, new CancelAction(replies, sequence));
        return new Responder(facts, CODEC, RequestGate.standard(collective, freshness, clock, replies,
                security.verifier(), security.policy(), seen, CODEC), actions,
                new RequestAudit(audit, clock), replies, events, sequence, clock);
    }

    /**
     * The folder of the journal, the audit log and the replay memory: as configured, else
     * {@code %ProgramData%\orch} on Windows, else {@code var/lib/orch} below the facts root.
     */
    static Path stateDir(ResponderConfig config) {
        String dir = config.reboot().stateDir();
        if (dir != null) {
            return Path.of(dir);
        }
        return isWindows() ? windowsStateDir(System.getenv()) : Path.of(config.facts().root()).resolve("var/lib/orch");
    }

    /** {@code %ProgramData%\orch}, where Windows keeps services' data (C:\\ProgramData when unset). */
    static Path windowsStateDir(Map<String, String> env) {
        String programData = env.get("ProgramData");
        return Path.of(programData == null || programData.isBlank() ? "C:\\ProgramData" : programData, "orch");
    }

    /**
     * Checks the {@code metrics:} section: a text file named {@code *.prom} by an absolute path (node_exporter reads
     * only those), an interval within {@link io.orch.protocol.Limits#METRICS_MIN_INTERVAL_S} and
     * {@link io.orch.protocol.Limits#METRICS_MAX_INTERVAL_S}, a listen address as {@code host:port}.
     */
    public static ResponderConfig.Metrics metrics(ResponderConfig.Metrics metrics) throws ConfigException {
        if (metrics.textfile() != null) {
            Path file;
            try {
                file = Path.of(metrics.textfile());
            } catch (java.nio.file.InvalidPathException e) {
                throw new ConfigException("metrics.textfile '" + metrics.textfile() + "' is not a path: " + e.getReason());
            }
            if (!file.isAbsolute() || file.getFileName() == null || !file.getFileName().toString().endsWith(".prom")) {
                throw new ConfigException("metrics.textfile must be an absolute path ending in .prom (node_exporter's "
                        + "textfile collector reads only those), e.g. /var/lib/prometheus/node-exporter/orch.prom; got '"
                        + metrics.textfile() + "'");
            }
        }
        int interval = metrics.intervalS();
        if (interval < io.orch.protocol.Limits.METRICS_MIN_INTERVAL_S
                || interval > io.orch.protocol.Limits.METRICS_MAX_INTERVAL_S) {
            throw new ConfigException("metrics.interval_s must be between " + io.orch.protocol.Limits.METRICS_MIN_INTERVAL_S
                    + " and " + io.orch.protocol.Limits.METRICS_MAX_INTERVAL_S + ", got " + interval);
        }
        if (metrics.listen() != null) {
            try {
                io.orch.responder.metrics.MetricsPublisher.address(metrics.listen());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        return metrics;
    }

    /**
     * Starts the node's metrics as configured (checked by {@link #metrics(ResponderConfig.Metrics)}), or returns
     * null when they are off. They are written at once, before the node connects: the file tells whether a reboot
     * is pending even while the broker is out of reach.
     *
     * @param folder the node's state folder (where the time it became pending is kept)
     * @throws ConfigException for a metrics section {@link #metrics(ResponderConfig.Metrics)} refuses
     */
    public static io.orch.responder.metrics.MetricsPublisher metrics(ResponderConfig config, NodeFacts facts,
                                                                     StateFolder folder, Clock clock, String version)
            throws ConfigException {
        ResponderConfig.Metrics m = metrics(config.metrics());
        if (!m.on()) {
            return null;
        }
        return io.orch.responder.metrics.MetricsPublisher.start(nodeMetrics(config, facts, folder, clock),
                m.textfile() == null ? null : Path.of(m.textfile()), m.listen(), m.intervalS(), version);
    }

    /**
     * What a node's metrics read: its facts and detectors, the journal in {@code folder} and the loop guard with
     * {@code reboot.min_interval_s}, as {@code status} reads them.
     */
    public static io.orch.responder.metrics.NodeMetrics nodeMetrics(ResponderConfig config, NodeFacts facts,
                                                                    StateFolder folder, Clock clock) {
        return new io.orch.responder.metrics.NodeMetrics(facts, new FileJournal(folder),
                Duration.ofSeconds(config.reboot().minIntervalS()), folder, clock);
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
