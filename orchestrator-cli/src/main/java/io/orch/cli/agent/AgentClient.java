package io.orch.cli.agent;

import io.orch.cli.ExitCode;
import io.orch.cli.output.Terminal;
import io.orch.protocol.Limits;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CLI's side: hands a command to this user's agent when one listens, and prints what comes back. It
 * runs before anything else of orch is loaded (picocli, Jackson, ActiveMQ), so it uses the JDK alone. Every
 * way it cannot (no agent, a stale socket, an agent that is busy, stuck, of another build, or that does not
 * serve this command) ends in {@link OptionalInt#empty()}: the CLI then runs the command itself.
 */
public final class AgentClient {
    private AgentClient() {
    }

    /** As {@link #forward(String[], Map, Path, Terminal, OutputStream, OutputStream, String, boolean)} for this process. */
    public static OptionalInt forward(String[] args) {
        if (args.length == 0 || !Served.COMMANDS.contains(args[0])) {
            return OptionalInt.empty(); // before anything else: --version, help and the rest pay nothing
        }
        Map<String, String> env = System.getenv();
        return forward(args, env, Path.of("").toAbsolutePath(), Terminal.detect(env), System.out, System.err,
                build(), true);
    }

    /**
     * Runs {@code args} through the agent on {@link AgentSocket#path}.
     *
     * @param ctrlC route this process's SIGINT to the command (the real CLI; tests leave the signal alone)
     * @return the command's exit code, or empty when this process must run it itself (nothing was printed then)
     */
    public static OptionalInt forward(String[] args, Map<String, String> env, Path cwd, Terminal terminal,
                                      OutputStream stdout, OutputStream stderr, String build, boolean ctrlC) {
        if (args.length == 0 || !Served.COMMANDS.contains(args[0]) || "off".equals(env.get(AgentSocket.AGENT_ENV))) {
            return OptionalInt.empty();
        }
        Path socket = AgentSocket.path(env);
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return OptionalInt.empty(); // no agent: one look at the file system
        }
        String unsafe = AgentSocket.unsafeFolder(socket.getParent());
        if (unsafe != null) {
            warn(stderr, "orch: not using the agent at " + socket + ": " + unsafe + "\n");
            return OptionalInt.empty();
        }
        AgentWire.Request request = new AgentWire.Request(build, cwd.toString(), charsetOf().name(),
                terminal.interactive(), terminal.color(), Arrays.asList(args), env);
        if (request.size() > Limits.AGENT_MAX_REQUEST_BYTES) {
            return OptionalInt.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty(); // left by an agent that is gone
        }
        AtomicBoolean accepted = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(Limits.AGENT_ACCEPT_WAIT_MS);
                if (!accepted.get()) {
                    channel.close();
                }
            } catch (InterruptedException | IOException e) {
                // accepted in time, or closed anyway
            }
        }, "orch-agent-wait");
        watchdog.setDaemon(true);
        watchdog.start();
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(AgentWire.output(channel)));
        DataInputStream in = new DataInputStream(AgentWire.input(channel));
        try {
            request.write(out);
            out.flush();
            byte first = in.readByte();
            if (first != AgentWire.ACCEPTED) {
                channel.close();
                return OptionalInt.empty(); // RUN_YOURSELF: the reason matters to the agent's log, not here
            }
            accepted.set(true);
            watchdog.interrupt();
        } catch (IOException e) {
            closeQuietly(channel);
            return OptionalInt.empty(); // gone, stuck or refused us: nothing was printed
        }
        if (ctrlC) {
            routeCtrlC(out);
        }
        try {
            while (true) {
                byte type = in.readByte();
                switch (type) {
                    case AgentWire.STDOUT -> copy(in, stdout);
                    case AgentWire.STDERR -> copy(in, stderr);
                    case AgentWire.EXIT -> {
                        int code = in.readInt();
                        closeQuietly(channel);
                        return OptionalInt.of(code);
                    }
                    default -> throw new IOException("unexpected frame " + type);
                }
            }
        } catch (IOException e) {
            closeQuietly(channel);
            warn(stderr, "orch: the agent ended before the command did (" + e.getMessage() + "); see its log, "
                    + AgentSocket.log(env) + ", and run the command again (ORCH_AGENT=off runs it without the agent)\n");
            return OptionalInt.of(ExitCode.INTERNAL);
        }
    }

    /** The status lines of the agent on {@code socket}, or null when none answers. */
    public static String status(Path socket) {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            DataOutputStream out = new DataOutputStream(AgentWire.output(channel));
            AgentWire.writeHeader(out, AgentWire.STATUS);
            out.flush();
            return AgentWire.readText(new DataInputStream(AgentWire.input(channel)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Asks the agent on {@code socket} to stop. @return whether one answered */
    public static boolean stop(Path socket) {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            DataOutputStream out = new DataOutputStream(AgentWire.output(channel));
            AgentWire.writeHeader(out, AgentWire.STOP);
            out.flush();
            DataInputStream in = new DataInputStream(AgentWire.input(channel));
            return in.readByte() == AgentWire.EXIT;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Which build of orch this process is: its class path and when its first entry was written. An agent
     * serves CLIs of its own build only, so an upgraded or rebuilt orch never runs old code.
     */
    public static String build() {
        String classPath = System.getProperty("java.class.path", "");
        String first = classPath.split(java.io.File.pathSeparator, 2)[0];
        long modified;
        try {
            modified = Files.getLastModifiedTime(Path.of(first)).toMillis();
        } catch (IOException | RuntimeException e) {
            modified = 0;
        }
        return classPath + "@" + modified;
    }

    /** When the build {@link #build()} names was written (epoch ms), or 0 when it does not say. */
    static long builtAt(String build) {
        try {
            return Long.parseLong(build.substring(build.lastIndexOf('@') + 1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @SuppressWarnings("sunapi")
    private static void routeCtrlC(DataOutputStream out) {
        AtomicInteger signals = new AtomicInteger();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {
                if (signals.incrementAndGet() > 1) {
                    // The second one ends this process at once, as without an agent; the agent sees it go.
                    System.err.println();
                    System.err.flush();
                    Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
                }
                synchronized (out) {
                    try {
                        out.writeByte(AgentWire.INTERRUPT);
                        out.flush();
                    } catch (IOException e) {
                        Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
                    }
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGINT to route: the JVM's own handling ends this process, and the agent sees it go
        }
    }

    private static void copy(DataInputStream in, OutputStream to) throws IOException {
        byte[] chunk = AgentWire.readChunk(in);
        to.write(chunk);
        to.flush();
    }

    private static Charset charsetOf() {
        // As picocli picks the encoding of its own stdout writer.
        String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static void warn(OutputStream stderr, String text) {
        try {
            stderr.write(text.getBytes(StandardCharsets.UTF_8));
            stderr.flush();
        } catch (IOException e) {
            // nowhere to say it
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
