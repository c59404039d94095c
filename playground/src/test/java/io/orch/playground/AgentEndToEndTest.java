package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.ExitCode;
import io.orch.cli.agent.AgentClient;
import io.orch.cli.agent.AgentServer;
import io.orch.cli.agent.AgentSocket;
import io.orch.cli.agent.CommandHost;
import io.orch.cli.commands.OrchCommand;
import io.orch.cli.config.ClientConfig;
import io.orch.cli.output.Terminal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orch agent}: a command handed to the user's agent prints what the CLI would have printed, with the same
 * exit code, over a real broker and lab; what the agent must not run (a reboot, a relative path from another
 * folder, a CLI of another build) falls back to the CLI; its socket admits no one else.
 */
class AgentEndToEndTest {
    private static final String BUILD = "/opt/orch/orch.jar@1000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path socket;
    private Map<String, String> env;
    private final ByteArrayOutputStream agentLog = new ByteArrayOutputStream();
    private AgentServer server;
    private CompletableFuture<String> serving;

    @BeforeEach
    void environment() {
        socket = dir.resolve("run").resolve("orch").resolve("agent.sock");
        env = new HashMap<>(Cli.PKI.clientEnvironment());
        env.put(AgentSocket.SOCKET_ENV, socket.toString());
        env.put("XDG_STATE_HOME", dir.resolve("state").toString());
    }

    @AfterEach
    void stopAgent() throws Exception {
        if (server != null) {
            server.stop("test over");
            serving.get(30, TimeUnit.SECONDS);
        }
    }

    private static CommandHost host() {
        return OrchCommand.agentHost(OrchMain.class.getName(),
                e -> OrchMain.commandLine(ClientConfig.load(e, null, null)));
    }

    private void startAgent(Duration idle) throws Exception {
        startAgent(idle, BUILD);
    }

    private void startAgent(Duration idle, String build) throws Exception {
        server = AgentServer.bind(socket, host(), build, idle, new PrintStream(agentLog, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        AgentServer s = server;
        serving = CompletableFuture.supplyAsync(s::serve);
    }

    /** What a CLI in {@code cwd} gets through the agent: empty when it must run the command itself. */
    private Forwarded forward(Path cwd, String build, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OptionalInt code = assertTimeoutPreemptively(Duration.ofMinutes(2),
                () -> AgentClient.forward(args, env, cwd, Terminal.PLAIN, out, err, build, false));
        return new Forwarded(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Forwarded forward(String... args) {
        return forward(Path.of("").toAbsolutePath(), BUILD, args);
    }

    record Forwarded(OptionalInt code, String out, String err) {
        int exit() {
            assertTrue(code.isPresent(), "the agent did not run it: " + this);
            return code.getAsInt();
        }
    }

    @Test
    void statusAndPingThroughTheAgentPrintWhatTheCliPrintsWithItsExitCode() throws Exception {
        try (LabFixture fixture = LabFixture.start(4, 0.0, 7, dir.resolve("lab"))) {
            startAgent(Duration.ofMinutes(5));
            String[][] commands = {
                {"status", "-I", "lab-0002", "--broker", fixture.url()},
                {"status", "-I", "lab-0002", "--json", "--broker", fixture.url()},
                {"ping", "-I", "lab-0001", "-I", "ghost-never-seen", "--discovery-timeout", "2s", "--broker", fixture.url()},
                {"status", "--broker", "ssl://127.0.0.1:1", "--connect-timeout", "2s"},
                {"status", "-S", "((", "--broker", fixture.url()},
            };
            for (String[] args : commands) {
                Forwarded agent = forward(args);
                Cli.Result cli = Cli.run(args);
                assertEquals(cli.exitCode(), agent.exit(), String.join(" ", args) + "\nagent: " + agent + "\ncli: " + cli);
                if (Arrays.asList(args).contains("--json")) {
                    JsonNode a = JSON.readTree(agent.out());
                    JsonNode c = JSON.readTree(cli.out());
                    assertEquals(c.get("summary_line"), a.get("summary_line"));
                    assertEquals(c.get("exit_code"), a.get("exit_code"));
                    assertEquals(c.get("nodes").get(0).get("status"), a.get("nodes").get(0).get("status"));
                    assertEquals(c.get("nodes").get(0).get("data").get("boot_id"), a.get("nodes").get(0).get("data").get("boot_id"));
                } else if (!args[1].equals("-S")) {
                    assertEquals(cli.out(), agent.out(), String.join(" ", args));
                }
                assertEquals(cli.err().isEmpty(), agent.err().isEmpty(), agent + "\n" + cli);
            }
            assertTrue(AgentClient.status(socket).contains("commands 5"), AgentClient.status(socket));
        }
    }

    /** The real main, in a JVM of its own, as the launcher runs it: through the agent unless ORCH_AGENT=off. */
    @Test
    void theOrchProcessHandsItsCommandToTheAgentAndExitsWithItsCode() throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 0.0, 7, dir.resolve("lab"))) {
            startAgent(Duration.ofMinutes(5), AgentClient.build()); // the same class path: the same build
            for (String agent : new String[] {"on", "off"}) {
                Path java = Path.of(System.getProperty("java.home"), "bin", "java");
                ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                        OrchMain.class.getName(), "ping", "-I", "lab-0001", "-I", "ghost-never-seen",
                        "--discovery-timeout", "2s", "--broker", fixture.url());
                builder.environment().keySet().removeIf(k -> k.startsWith("ORCH_") || k.startsWith("XDG_"));
                builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
                builder.environment().putAll(env);
                builder.environment().put(AgentSocket.AGENT_ENV, agent);
                builder.redirectError(dir.resolve("stderr-" + agent + ".txt").toFile());
                Process process = builder.start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(process.waitFor(2, TimeUnit.MINUTES));
                String all = out + "--- stderr\n" + Files.readString(dir.resolve("stderr-" + agent + ".txt"));
                assertEquals(ExitCode.NO_RESPONSE, process.exitValue(), all);
                assertTrue(out.contains("lab-0001") && out.contains("ghost-never-seen") && out.contains("no response"), all);
                assertTrue(AgentClient.status(socket).contains("commands 1"), agent + ": " + AgentClient.status(socket));
            }
        }
    }

    /** A real SIGINT to a real orch process whose command the agent runs: the command hears it, as without an agent. */
    @Test
    void sigintToTheOrchProcessStopsTheCommandInTheAgent() throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 0.0, 7, dir.resolve("lab"))) {
            startAgent(Duration.ofMinutes(5), AgentClient.build());
            String[] args = {"ping", "-I", "lab-0001", "-I", "ghost-never-seen", "--discovery-timeout", "5m",
                "--broker", fixture.url()};
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    OrchMain.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(k -> k.startsWith("ORCH_") || k.startsWith("XDG_"));
            builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
            builder.environment().putAll(env);
            builder.redirectError(dir.resolve("stderr.txt").toFile());
            builder.redirectOutput(dir.resolve("stdout.txt").toFile());
            Process process = builder.start();
            try {
                await().atMost(Duration.ofMinutes(1)).until(() -> AgentClient.status(socket).contains("running 1"));
                Thread.sleep(1000); // discovery under way, waiting for the ghost
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "orch did not end after SIGINT");
            } finally {
                process.destroyForcibly();
            }
            Cli.Running cli = Cli.start(args);
            Thread.sleep(2500);
            cli.ctrlC();
            Cli.Result alone = cli.result();
            String all = Files.readString(dir.resolve("stdout.txt")) + "--- stderr\n" + Files.readString(dir.resolve("stderr.txt"));
            assertEquals(alone.exitCode(), process.exitValue(), all + "\n--- without the agent:\n" + alone);
            assertEquals(alone.out().isEmpty(), Files.readString(dir.resolve("stdout.txt")).isEmpty(), all);
            await().atMost(Duration.ofMinutes(1)).until(() -> AgentClient.status(socket).contains("running 0"));
        }
    }

    @Test
    void aRealRebootIsNeverRunByTheAgentButANoopIs() throws Exception {
        try (LabFixture fixture = LabFixture.start(3, 1.0, 7, dir.resolve("lab"))) {
            startAgent(Duration.ofMinutes(5));
            assertTrue(forward("reboot", "-I", "lab-0001", "--broker", fixture.url()).code().isEmpty());
            assertTrue(forward("cancel", "00000000-0000-0000-0000-000000000000", "--broker", fixture.url()).code().isEmpty());
            assertTrue(forward("pki", "show").code().isEmpty());
            assertTrue(forward("reboot", "-I", "lab-0001", "--noop", "--noop=false", "--broker", fixture.url()).code().isEmpty());
            assertTrue(AgentClient.status(socket).contains("commands 0"), "nothing was run: " + AgentClient.status(socket));

            Forwarded noop = forward("reboot", "-I", "lab-0001", "--noop", "--broker", fixture.url());
            assertEquals(ExitCode.OK, noop.exit(), noop::toString);
            assertTrue(noop.out().contains("lab-0001"), noop::toString);
            assertTrue(AgentClient.status(socket).contains("commands 1"), AgentClient.status(socket));
        }
    }

    @Test
    void aRelativePathIsReadByTheCliUnlessItRunsInTheAgentsFolder() throws Exception {
        startAgent(Duration.ofMinutes(5));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("hosts.txt"), "web01\n");
        // In another folder, hosts.txt is another file: the CLI reads it itself.
        assertTrue(forward(elsewhere, BUILD, "status", "--nodes", "hosts.txt").code().isEmpty());
        assertTrue(forward(elsewhere, BUILD, "status", "--ssl-dir", "ssl").code().isEmpty());
        // An absolute one is the same file for both: the agent runs it (and reports the broker it cannot reach).
        Forwarded absolute = forward(elsewhere, BUILD, "status", "--nodes", elsewhere.resolve("hosts.txt").toString(),
                "--broker", "ssl://127.0.0.1:1", "--connect-timeout", "1s");
        assertEquals(ExitCode.BROKER_UNREACHABLE, absolute.exit(), absolute::toString);
    }

    @Test
    void aCliOfAnotherBuildRunsItselfAndANewerOneRetiresTheAgent() throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 0.0, 7, dir.resolve("lab"))) {
            startAgent(Duration.ofMinutes(5));
            Path here = Path.of("").toAbsolutePath();
            // Another install beside this one, older: it runs itself, and the agent serves on.
            assertTrue(forward(here, "/usr/share/orch/orch.jar@500", "status").code().isEmpty());
            assertEquals(ExitCode.OK, forward("status", "-I", "lab-0001", "--broker", fixture.url()).exit());
            // This orch rebuilt or upgraded: the CLI runs itself and the agent of the old code stops.
            assertTrue(forward(here, "/opt/orch/orch.jar@2000", "status").code().isEmpty());
            String why = serving.get(30, TimeUnit.SECONDS);
            assertTrue(why.contains("newer build"), why);
            assertFalse(Files.exists(socket), "the socket goes with the agent");
            assertTrue(forward("status").code().isEmpty(), "no agent: the CLI runs it");
            server = null;
        }
    }

    @Test
    void anIdleAgentStopsByItself() throws Exception {
        startAgent(Duration.ofMillis(300));
        String why = serving.get(30, TimeUnit.SECONDS);
        assertTrue(why.startsWith("idle"), why);
        assertFalse(Files.exists(socket));
        server = null;
    }

    @Test
    void aFolderOpenToOthersIsNeitherListenedInNorUsed() throws Exception {
        Files.createDirectories(socket.getParent());
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> AgentServer.bind(socket, host(), BUILD, Duration.ofMinutes(1), System.err, Clock.systemUTC()));
        assertTrue(refused.getMessage().contains("chmod 700"), refused.getMessage());

        // An agent that listens there anyway (made before the folder was opened up) is not used.
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx------"));
        startAgent(Duration.ofMinutes(5));
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Forwarded open = forward("status");
        assertTrue(open.code().isEmpty(), open::toString);
        assertTrue(open.err().contains("not using the agent") && open.err().contains("open to other users"), open.err());
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void garbageAndSilencePassAndTheAgentServesOn() throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 0.0, 7, dir.resolve("lab"))) {
            startAgent(Duration.ofMinutes(5));
            byte[][] hostile = {
                "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                // orch's opening, then a count of two billion arguments
                {0x4f, 0x52, 0x43, 0x48, 0, 0, 0, 1, 'C', 0, 0, 0, 1, 'b', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, (byte) 0xff,
                    (byte) 0xff, (byte) 0xff},
                // a text that says it is 2 GiB long
                {0x4f, 0x52, 0x43, 0x48, 0, 0, 0, 1, 'C', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                {},
            };
            for (byte[] bytes : hostile) {
                try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
                    out.write(bytes);
                    out.flush();
                    channel.shutdownOutput();
                    // The agent hangs up (at the latest after AGENT_REQUEST_READ_MS of silence), answering nothing.
                    int read = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                        try {
                            return new DataInputStream(Channels.newInputStream(channel)).read();
                        } catch (java.net.SocketException reset) {
                            return -1; // hung up on what it had not read
                        }
                    });
                    assertEquals(-1, read);
                }
            }
            Forwarded after = forward("status", "-I", "lab-0001", "--broker", fixture.url());
            assertEquals(ExitCode.OK, after.exit(), after::toString);
            assertTrue(new String(agentLog.toByteArray(), StandardCharsets.UTF_8).contains("dropped a connection"));
        }
    }

    @Test
    void ctrlCReachesTheCommandTheAgentRuns() throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 0.0, 7, dir.resolve("lab"))) {
            startAgent(Duration.ofMinutes(5));
            String[] args = {"ping", "-I", "lab-0001", "-I", "ghost-never-seen", "--discovery-timeout", "5m",
                "--broker", fixture.url()};
            Cli.Running cli = Cli.start(args);
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
                writeRequest(out, args);
                DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
                assertEquals('A', in.readByte(), "accepted");
                Thread.sleep(1500); // discovery under way, waiting for the ghost
                cli.ctrlC();
                out.writeByte('I');
                out.flush();
                int code = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
                    while (true) {
                        byte type = in.readByte();
                        if (type == 'X') {
                            return in.readInt();
                        }
                        if (type != 'H') { // a beat has no body; output chunks have one
                            in.readFully(new byte[in.readInt()]);
                        }
                    }
                });
                assertEquals(cli.result().exitCode(), code, cli.result().toString());
            }
        }
    }

    /** A request as AgentClient writes it, by hand: the wire is the contract. */
    private void writeRequest(DataOutputStream out, String[] args) throws java.io.IOException {
        out.writeInt(0x4f524348);
        out.writeInt(1);
        out.writeByte('C');
        for (String text : new String[] {BUILD, Path.of("").toAbsolutePath().toString(), "UTF-8"}) {
            writeText(out, text);
        }
        out.writeBoolean(false);
        out.writeBoolean(false);
        out.writeInt(args.length);
        for (String arg : args) {
            writeText(out, arg);
        }
        out.writeInt(env.size());
        for (Map.Entry<String, String> e : env.entrySet()) {
            writeText(out, e.getKey());
            writeText(out, e.getValue());
        }
        out.flush();
    }

    /** An "agent" at the edge: takes one connection, reads the command, sends {@code frames}, and stays. */
    private static CompletableFuture<SocketChannel> fakeAgent(java.nio.channels.ServerSocketChannel fake, byte... frames) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                SocketChannel c = fake.accept();
                readRequest(new DataInputStream(Channels.newInputStream(c)));
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
                out.write(frames);
                out.flush();
                return c;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void readRequest(DataInputStream in) throws java.io.IOException {
        in.readInt();
        in.readInt();
        in.readByte();
        for (int i = 0; i < 3; i++) {
            in.readFully(new byte[in.readInt()]);
        }
        in.readBoolean();
        in.readBoolean();
        int texts = in.readInt();
        for (int i = 0; i < texts; i++) {
            in.readFully(new byte[in.readInt()]);
        }
        texts = 2 * in.readInt();
        for (int i = 0; i < texts; i++) {
            in.readFully(new byte[in.readInt()]);
        }
    }

    private static void writeText(DataOutputStream out, String text) throws java.io.IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Test
    void aCliThatGoesAwayStopsItsCommandInTheAgent() throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 0.0, 7, dir.resolve("lab"))) {
            startAgent(Duration.ofMinutes(5));
            String[] args = {"ping", "-I", "lab-0001", "-I", "ghost-never-seen", "--discovery-timeout", "5m",
                "--broker", fixture.url()};
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                writeRequest(new DataOutputStream(Channels.newOutputStream(channel)), args);
                assertEquals('A', new DataInputStream(Channels.newInputStream(channel)).readByte(), "accepted");
                await().atMost(Duration.ofMinutes(1)).until(() -> AgentClient.status(socket).contains("running 1"));
            } // the CLI is killed: its end of the socket closes
            // The command stops as on Ctrl-C, long before its 5-minute discovery would have ended.
            await().atMost(Duration.ofMinutes(1)).until(() -> AgentClient.status(socket).contains("running 0"));
        }
    }

    @Test
    void aCliNeverHangsOnAnAgentThatDoesNotTakeTheCommandOrFreezesAfter() throws Exception {
        Files.createDirectories(socket.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (var fake = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            fake.bind(UnixDomainSocketAddress.of(socket));
            // Reads the command, never answers: the CLI runs the command itself (after AGENT_ACCEPT_WAIT_MS).
            CompletableFuture<SocketChannel> silent = fakeAgent(fake);
            Forwarded passed = forward("status");
            assertTrue(passed.code().isEmpty(), passed::toString);
            assertEquals("", passed.out() + passed.err(), "nothing printed when the CLI runs it itself");
            silent.get(30, TimeUnit.SECONDS).close();

            // Takes the command, then freezes: the CLI says so and exits 70 (after AGENT_SILENCE_MS without a beat).
            CompletableFuture<SocketChannel> frozen = fakeAgent(fake, (byte) 'A');
            Forwarded cut = forward("status");
            assertEquals(ExitCode.INTERNAL, cut.exit(), cut::toString);
            assertTrue(cut.err().contains("stopped answering"), cut.err());
            frozen.get(30, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aCliWhoseJvmGetsOtherSystemPropertiesRunsItself() throws Exception {
        startAgent(Duration.ofMinutes(5));
        env.put("ORCH_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Djavax.net.ssl.trustStore=/elsewhere.p12");
        assertTrue(forward("status").code().isEmpty(), "a trust store the agent's JVM does not have");
        assertTrue(AgentClient.status(socket).contains("commands 0"), AgentClient.status(socket));
    }

    @Test
    void anAtFileIsReadByTheCliItself() throws Exception {
        startAgent(Duration.ofMinutes(5));
        Path options = Files.writeString(dir.resolve("opts"), "--noop\n");
        assertTrue(forward("reboot", "-I", "web01", "--noop", "@" + options).code().isEmpty());
        assertTrue(forward("status", "@" + options).code().isEmpty());
        assertTrue(AgentClient.status(socket).contains("commands 0"), AgentClient.status(socket));
    }

    @Test
    void aCliWhoseAgentDiesMidCommandSaysSoAndExits70() throws Exception {
        // An "agent" that takes the command and dies: the CLI must not hang nor pass the run off as done.
        Files.createDirectories(socket.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (var fake = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            fake.bind(UnixDomainSocketAddress.of(socket));
            // Takes the command, prints three bytes and dies.
            CompletableFuture<SocketChannel> dies = fakeAgent(fake, (byte) 'A', (byte) 'O', (byte) 0, (byte) 0, (byte) 0,
                    (byte) 3, (byte) 'p', (byte) 'a', (byte) 'r');
            dies.thenAccept(c -> {
                try {
                    c.close();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Forwarded cut = forward("status");
            dies.get(30, TimeUnit.SECONDS);
            assertEquals(ExitCode.INTERNAL, cut.exit(), cut::toString);
            assertEquals("par", cut.out());
            assertTrue(cut.err().contains("the agent ended before the command did"), cut.err());
        }
        assertNotNull(socket);
    }
}
