package io.orch.cli.commands;

import io.orch.cli.ExitCode;
import io.orch.cli.UsageException;
import io.orch.cli.Interrupt;
import io.orch.cli.agent.AgentClient;
import io.orch.cli.agent.CommandHost;
import io.orch.cli.client.HeadStart;
import io.orch.cli.config.ClientConfig;
import io.orch.cli.config.ConfigDefaults;
import io.orch.cli.inventory.LastSeen;
import io.orch.cli.output.Terminal;
import io.orch.cli.run.BrokerLostException;
import io.orch.cli.run.BrokerUnreachableException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root {@code orch} command. */
@Command(name = "orch", mixinStandardHelpOptions = true, version = "orch " + OrchCommand.VERSION,
        description = "Out-of-band reboot orchestration over ActiveMQ.",
        subcommands = {RebootCommand.class, CancelCommand.class, StatusCommand.class, PingCommand.class,
            DiscoverCommand.class, InventoryCommand.class, ConfigCommand.class, WatchCommand.class,
            PkiCommand.class, AgentCommand.class},
        exitCodeListHeading = "%nExit codes:%n")
public final class OrchCommand implements Runnable {
    /** orch's version, as --version prints it and as the webhook's User-Agent says. */
    public static final String VERSION = "0.1.0";

    static {
        // Each runnable names its own logging config, so jars that travel together never compete for logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", io.orch.cli.logging.CliLogging.FILE);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // The edges of the process, replaceable so that tests run the same commands in one JVM.
    private Interrupt interrupt = new Interrupt(code -> {
    });
    private Terminal terminal = Terminal.PLAIN;
    private Path stateDir = LastSeen.defaultStateDir(System.getenv());
    private HeadStart headStart = HeadStart.NONE;
    private CommandHost agentHost = agentHost(OrchCommand.class.getName(),
            env -> commandLine(ClientConfig.fromEnvironment(env)));

    /** Ctrl-C, as the running command sees it. */
    public Interrupt interrupt() {
        return interrupt;
    }

    public Terminal terminal() {
        return terminal;
    }

    /** Where the CLI keeps what it remembers between runs (when each node was last seen). */
    public Path stateDir() {
        return stateDir;
    }

    /** Set-up begun beside the parsing, which a command that connects waits for before it uses those libraries. */
    public HeadStart headStart() {
        return headStart;
    }

    /** How {@code orch agent} builds the command line of the CLIs it serves. */
    public CommandHost agentHost() {
        return agentHost;
    }

    public OrchCommand useAgentHost(CommandHost value) {
        this.agentHost = java.util.Objects.requireNonNull(value, "agentHost == null");
        return this;
    }

    /**
     * An agent host whose command lines come from {@code commandLines} (a CLI's, for its environment), with
     * the state folder that environment names and the terminal and Ctrl-C of the CLI it serves.
     */
    public static CommandHost agentHost(String mainClass, Function<Map<String, String>, CommandLine> commandLines) {
        return new CommandHost() {
            @Override
            public CommandLine commandLine(Map<String, String> env, Terminal terminal, Interrupt interrupt) {
                CommandLine cli = commandLines.apply(env);
                ((OrchCommand) cli.getCommand()).useTerminal(terminal).useInterrupt(interrupt)
                        .useStateDir(LastSeen.defaultStateDir(env)).useAgentHost(this);
                return cli;
            }

            @Override
            public String mainClass() {
                return mainClass;
            }
        };
    }

    public OrchCommand useHeadStart(HeadStart value) {
        this.headStart = java.util.Objects.requireNonNull(value, "headStart == null");
        return this;
    }

    public OrchCommand useInterrupt(Interrupt value) {
        this.interrupt = java.util.Objects.requireNonNull(value, "interrupt == null");
        return this;
    }

    public OrchCommand useTerminal(Terminal value) {
        this.terminal = java.util.Objects.requireNonNull(value, "terminal == null");
        return this;
    }

    public OrchCommand useStateDir(Path value) {
        this.stateDir = java.util.Objects.requireNonNull(value, "stateDir == null");
        return this;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** The command line with orch's error handling and this process's client configuration. */
    public static CommandLine commandLine() {
        return commandLine(ClientConfig.fromEnvironment());
    }

    /**
     * The command line with orch's error handling; options the user does not type take their values
     * from {@code config}. {@code extraSubcommands} (the playground's) are added first: picocli hands
     * the configuration only to the subcommands present when it is set, so add none afterwards.
     */
    public static CommandLine commandLine(ClientConfig config, Object... extraSubcommands) {
        CommandLine cli = new CommandLine(new OrchCommand());
        // The exit codes are written once, in ExitCode; orch --help and orch reboot --help list them (watch, which
        // ends with 0 on Ctrl-C, lists its own three).
        cli.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        cli.getSubcommands().get("reboot").getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        for (Object subcommand : extraSubcommands) {
            cli.addSubcommand(subcommand);
        }
        ConfigDefaults defaults = new ConfigDefaults(config);
        cli.setDefaultValueProvider(defaults);
        cli.setExecutionStrategy(defaults.checkedBefore(new CommandLine.RunLast()));
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            // picocli reports a missing parameter before an unknown option; the unknown option is the real mistake.
            java.util.List<String> unknown = ex.getCommandLine().getParseResult() == null ? java.util.List.of()
                    : ex.getCommandLine().getParseResult().unmatched().stream().filter(a -> a.startsWith("-")).toList();
            if (ex instanceof CommandLine.MissingParameterException && !unknown.isEmpty()) {
                err.println("orch: unknown option: " + String.join(", ", unknown.stream().map(a -> "'" + a + "'")
                        .toList()) + " (" + ex.getMessage() + ")");
            } else {
                err.println("orch: " + ex.getMessage());
            }
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code;
            if (ex instanceof UsageException usage) {
                err.println("orch: " + usage.getMessage());
                if (usage.detail() != null) {
                    err.println(usage.detail());
                }
                code = ExitCode.USAGE;
            } else if (ex instanceof BrokerLostException || ex instanceof jakarta.jms.JMSException) {
                // The broker's and the TLS layer's words, which may quote what a peer sent: through SafeText.
                err.println("orch: lost the broker: " + io.orch.cli.output.SafeText.field(ex.getMessage())
                        + "; some nodes may have received the request (check with orch status)");
                code = ExitCode.BROKER_UNREACHABLE;
            } else if (ex instanceof BrokerUnreachableException) {
                err.println("orch: " + io.orch.cli.output.SafeText.field(ex.getMessage()));
                err.println("Is the broker running? Check --broker / ORCH_BROKER (for a local playground: ./orch broker in a checkout of orch).");
                code = ExitCode.BROKER_UNREACHABLE;
            } else if (ex instanceof InterruptedException) {
                err.println("orch: interrupted");
                code = ExitCode.INTERRUPTED;
            } else {
                err.println("orch: internal error (a bug, please report it): "
                        + io.orch.cli.output.SafeText.field(String.valueOf(ex)));
                code = ExitCode.INTERNAL;
            }
            err.flush();
            return code;
        });
        return cli;
    }

    /** The operator's {@code orch}: {@code java -jar orch-cli.jar} (deploy/bin/orch runs it). */
    public static void main(String[] args) {
        // This user's agent, when one runs, before anything of orch is loaded.
        java.util.OptionalInt forwarded = AgentClient.forward(args);
        if (forwarded.isPresent()) {
            System.exit(forwarded.getAsInt());
        }
        HeadStart headStart = headStart(args);
        System.exit(execute(commandLine(), args, headStart));
    }

    /**
     * Begins the set-up a command that connects needs whatever its options say ({@link HeadStart}), before
     * the command line is built; the logging configuration is chosen by then (this class's initialisation).
     */
    public static HeadStart headStart(String[] args) {
        return HeadStart.begin(args);
    }

    /** Runs {@code cli} as the process: Ctrl-C and the terminal are the real ones. */
    public static int execute(CommandLine cli, String[] args) {
        return execute(cli, args, HeadStart.NONE);
    }

    /** As {@link #execute(CommandLine, String[])}, with the head start begun for {@code args}. */
    public static int execute(CommandLine cli, String[] args, HeadStart headStart) {
        ((OrchCommand) cli.getCommand()).useInterrupt(Interrupt.forProcess())
                .useTerminal(Terminal.detect(System.getenv())).useHeadStart(headStart);
        return cli.execute(args);
    }
}
