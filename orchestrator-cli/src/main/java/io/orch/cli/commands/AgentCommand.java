package io.orch.cli.commands;

import io.orch.cli.ExitCode;
import io.orch.cli.UsageException;
import io.orch.cli.agent.AgentClient;
import io.orch.cli.agent.AgentServer;
import io.orch.cli.agent.AgentSocket;
import io.orch.cli.options.DurationConverter;
import io.orch.protocol.Limits;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orch agent}: this user's resident client, which keeps a JVM warm for {@code status}, {@code ping},
 * {@code discover}, {@code inventory} and {@code reboot --noop}. It is never started by orch itself.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"A warm JVM of your own that runs orch's read-only commands for you: status, ping, discover, "
                + "inventory and reboot --noop start in a fraction of the time.",
            "orch never starts it by itself. While it runs, those commands go through it (same output, same exit "
                    + "codes); everything else, every real reboot and cancel included, runs in its own process as always.",
            "It listens on $XDG_RUNTIME_DIR/orch/agent.sock (else the state folder's), in a folder only you can "
                    + "enter, answers only your own user, reads your configuration and key again for every command, "
                    + "and stops after --idle-timeout. ORCH_AGENT=off bypasses it."},
        subcommands = {AgentCommand.Start.class, AgentCommand.Stop.class, AgentCommand.Status.class,
            AgentCommand.Run.class})
public final class AgentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (orch agent start|stop|status)");
    }

    private static Path socket() {
        return AgentSocket.path(System.getenv());
    }

    /** {@code orch agent start}: starts the agent in the background and waits until it answers. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start your agent in the background (its log: agent.log beside its socket).")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "30m",
                converter = DurationConverter.class,
                description = "Stop after this long with no command (default: ${DEFAULT-VALUE}).")
        Duration idle;

        @Override
        public Integer call() throws Exception {
            checkIdle(idle);
            Path socket = socket();
            String running = AgentClient.status(socket);
            if (running != null && running.contains("\nbuild " + AgentClient.build() + "\n")) {
                spec.commandLine().getOut().println("orch: an agent already runs (" + firstLine(running) + ", " + socket + ")");
                return ExitCode.OK;
            }
            if (running != null) {
                // Of another build: it would never serve this orch. It finishes what it runs, and a new one takes over.
                AgentClient.stop(socket);
                spec.commandLine().getErr().println("orch: stopped the agent of another build (" + firstLine(running) + ")");
            }
            Map<String, String> env = System.getenv();
            Path log = AgentSocket.log(env);
            try {
                AgentSocket.prepareFolder(socket);
            } catch (IOException e) {
                throw new UsageException("cannot start the agent: " + e.getMessage());
            }
            OrchCommand root = (OrchCommand) spec.root().userObject();
            List<String> command = new ArrayList<>();
            for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
                // Its own session: closing the terminal that started it does not end it.
                if (Files.isExecutable(Path.of(setsid))) {
                    command.add(setsid);
                    break;
                }
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String opts = env.getOrDefault("ORCH_AGENT_JAVA_OPTS", "-XX:+UseSerialGC -Xss512k").trim();
            if (!opts.isEmpty()) {
                command.addAll(Arrays.asList(opts.split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), root.agentHost().mainClass(),
                    "agent", "run", "--idle-timeout", idle.toMillis() + "ms"));
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true)
                    .start();
            long deadline = System.nanoTime() + Limits.AGENT_START_WAIT_MS * 1_000_000L;
            while (System.nanoTime() < deadline) {
                String status = AgentClient.status(socket);
                if (status != null) {
                    spec.commandLine().getOut().println("orch: agent started (" + firstLine(status) + ", " + socket
                            + "); 'orch agent stop' stops it");
                    return ExitCode.OK;
                }
                if (!process.isAlive() && !process.toHandle().descendants().findAny().isPresent()) {
                    break;
                }
                Thread.sleep(100);
            }
            process.toHandle().descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            var err = spec.commandLine().getErr();
            err.println("orch: the agent did not start; the end of its log, " + log + ":");
            err.println(tail(log));
            return ExitCode.INTERNAL;
        }
    }

    /** {@code orch agent stop}. */
    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop your agent: it takes no new command, and those it runs finish first. Nothing to stop is "
                    + "not an error.")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path socket = socket();
            boolean stopped = AgentClient.stop(socket);
            spec.commandLine().getOut().println(stopped ? "orch: agent stopped" : "orch: no agent runs (" + socket + ")");
            return ExitCode.OK;
        }
    }

    /** {@code orch agent status}: exit 0 when one runs, 4 when none answers. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Whether your agent runs: its pid, socket, start, commands run. Exit 0 when it runs, "
                    + "4 when none answers.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path socket = socket();
            String status = AgentClient.status(socket);
            if (status == null) {
                spec.commandLine().getOut().println("orch: no agent runs (" + socket + ")");
                return ExitCode.NO_RESPONSE;
            }
            spec.commandLine().getOut().print(status);
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    /** {@code orch agent run}: the agent in the foreground (for a systemd user unit, or to watch it). */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run your agent in the foreground until stopped, Ctrl-C or --idle-timeout.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "30m",
                converter = DurationConverter.class,
                description = "Stop after this long with no command (default: ${DEFAULT-VALUE}).")
        Duration idle;

        @Override
        public Integer call() {
            checkIdle(idle);
            OrchCommand root = (OrchCommand) spec.root().userObject();
            AgentServer server;
            try {
                server = AgentServer.bind(socket(), root.agentHost(), AgentClient.build(), idle, System.err,
                        Clock.systemUTC());
            } catch (IOException e) {
                throw new UsageException("cannot start the agent: " + e.getMessage());
            }
            // SIGTERM (systemctl --user stop): the socket goes with the process.
            Thread cleanup = new Thread(server::close, "orch-agent-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try (var ctrlC = root.interrupt().onStop(() -> server.stop("Ctrl-C"))) {
                server.serve();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            return ExitCode.OK;
        }
    }

    private static void checkIdle(Duration idle) {
        if (idle.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new UsageException("--idle-timeout must be at least 1s, got " + idle.toMillis() + "ms");
        }
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }
}
