package io.orch.playground;

import io.orch.cli.commands.OrchCommand;
import io.orch.cli.config.ClientConfig;
import io.orch.playground.bench.RawClientCommand;
import io.orch.playground.bench.RawNodesCommand;
import io.orch.playground.bench.SoakCommand;
import io.orch.playground.commands.BrokerCommand;
import io.orch.playground.commands.DemoCommand;
import io.orch.playground.commands.LabCommand;
import io.orch.playground.lab.LabPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** {@code ./orch}: the operator's commands plus the playground's broker, lab and demo. */
public final class OrchMain {
    /** The subcommands that are the playground's own, with its logging; the others are the CLI's. */
    private static final java.util.Set<String> PLAYGROUND = java.util.Set.of("broker", "lab", "demo");

    /**
     * Each runnable names its own logging config, so jars that travel together never compete for logback.xml:
     * the broker, lab and demo the playground's; the operator's commands the CLI's, which is set up in code
     * (no XML read at start, see {@code CliLogging}).
     */
    static void chooseLogging(String[] args) {
        if (System.getProperty("logback.configurationFile") == null && args.length > 0
                && PLAYGROUND.contains(args[0])) {
            System.setProperty("logback.configurationFile", "orch-playground-logback.xml");
        }
    }

    private OrchMain() {
    }

    /**
     * {@code ./orch} is the playground: unless the user set up their own identity (ORCH_SSL_DIR,
     * ORCH_CONFIG or a client.yaml), it signs as the lab's operator, whose files {@code orch lab}
     * and {@code orch broker} make, and talks to the lab's TLS broker.
     */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** As {@link #commandLine()} for a CLI whose environment is {@code environment} (one the agent serves). */
    public static CommandLine commandLine(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        Path userFile = ClientConfig.defaultUserFile(env, Path.of(System.getProperty("user.home")));
        if (!env.containsKey("ORCH_SSL_DIR") && !env.containsKey("ORCH_CERT") && !env.containsKey(ClientConfig.CONFIG_ENV)
                && !Files.exists(userFile)) {
            env.put("ORCH_SSL_DIR", LabPki.defaultDir().resolve("ssl").toString());
            env.put("ORCH_CERTNAME", LabPki.OPERATOR);
            env.putIfAbsent("ORCH_BROKER", "ssl://127.0.0.1:" + LabPki.BROKER_PORT);
        }
        return commandLine(ClientConfig.load(env, userFile, ClientConfig.SYSTEM_FILE));
    }

    /** The playground's commands go in through OrchCommand, so that the configuration reaches them too. */
    public static CommandLine commandLine(ClientConfig config) {
        CommandLine cli = OrchCommand.commandLine(config, new BrokerCommand(), new LabCommand(), new DemoCommand(),
                new RawNodesCommand(), new RawClientCommand(), new SoakCommand());
        ((OrchCommand) cli.getCommand()).useAgentHost(OrchCommand.agentHost(OrchMain.class.getName(), OrchMain::commandLine));
        return cli;
    }

    public static void main(String[] args) {
        // This user's agent, when one runs, before anything of orch is loaded.
        java.util.OptionalInt forwarded = io.orch.cli.agent.AgentClient.forward(args);
        if (forwarded.isPresent()) {
            System.exit(forwarded.getAsInt());
        }
        chooseLogging(args);
        // Begun before the command line is built, which takes a third of a short run (see HeadStart).
        io.orch.cli.client.HeadStart headStart = OrchCommand.headStart(args);
        System.exit(OrchCommand.execute(commandLine(), args, headStart));
    }
}
