package io.orch.cli.agent;

import io.orch.cli.ExitCode;
import io.orch.cli.output.Terminal;
import io.orch.protocol.Limits;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CLI's side: hands a command to this user's agent when one listens, and prints what comes back. It
 * runs before anything else of orch is loaded (picocli, Jackson, ActiveMQ), so it uses the JDK alone. Every
 * way it cannot (no agent, a stale socket, an agent that is busy, stuck, of another build or user, or that
 * does not serve this command) ends in {@link OptionalInt#empty()} with nothing printed: the CLI then runs
 * the command itself.
 */
public final class AgentClient {
    /** The subcommands handed to an agent at all ({@code reboot} only with a literal {@code --noop}); the agent checks again. */
    static final Set<String> FORWARDED = Set.of("status", "ping", "discover", "inventory", "reboot");

    private static final int WAITING = 0;
    private static final int ACCEPTED = 1;
    private static final int GAVE_UP = 2;

    private AgentClient() {
    }

    /** As {@link #forward(String[], Map, Path, Terminal, OutputStream, OutputStream, String, boolean)} for this process. */
    public static OptionalInt forward(String[] args) {
        if (!forwardable(args)) {
            return OptionalInt.empty(); // before anything else: --version, help and the rest pay nothing
        }
        try {
            Map<String, String> env = System.getenv();
            return forward(args, env, Path.of("").toAbsolutePath(), Terminal.detect(env), System.out, System.err,
                    build(), true);
        } catch (RuntimeException e) {
            return OptionalInt.empty(); // whatever went wrong here, the CLI can still run the command itself
        }
    }

    /**
     * Whether {@code args} may go to an agent at all: a served subcommand, no {@code @file} (read by the parser,
     * it could say anything by the time the agent reads it again), and a reboot only with a literal
     * {@code --noop}.
     */
    static boolean forwardable(String[] args) {
        if (args.length == 0 || !FORWARDED.contains(args[0])) {
            return false;
        }
        for (String arg : args) {
            if (arg.startsWith("@")) {
                return false;
            }
        }
        return !args[0].equals("reboot") || Arrays.asList(args).contains("--noop");
    }

    /**
     * Runs {@code args} through the agent on {@link AgentSocket#path}.
     *
     * @param ctrlC route this process's SIGINT to the command (the real CLI; tests leave the signal alone)
     * @return the command's exit code, or empty when this process must run it itself (nothing was printed then)
     */
    public static OptionalInt forward(String[] args, Map<String, String> env, Path cwd, Terminal terminal,
                                      OutputStream stdout, OutputStream stderr, String build, boolean ctrlC) {
        if (!forwardable(args) || "off".equals(env.get(AgentSocket.AGENT_ENV))) {
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
        AgentWire.Request request = new AgentWire.Request(build, cwd.toString(), charset().name(),
                terminal.interactive(), terminal.color(), Arrays.asList(args), env);
        if (request.size() > Limits.AGENT_MAX_REQUEST_BYTES) {
            return OptionalInt.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        // From the connect on: an agent whose queue is full, or that is stopped, or slow to take the command
        // is passed by after AGENT_ACCEPT_WAIT_MS. Whoever moves the state first wins: the watchdog closes the
        // channel only while the command was not taken.
        AtomicInteger state = new AtomicInteger(WAITING);
        Thread watchdog = daemon("orch-agent-wait", () -> {
            try {
                Thread.sleep(Limits.AGENT_ACCEPT_WAIT_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (state.compareAndSet(WAITING, GAVE_UP)) {
                closeQuietly(channel);
            }
        });
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(AgentWire.output(channel)));
        DataInputStream in = new DataInputStream(AgentWire.input(channel));
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            if (AgentSocket.foreignPeer(channel, AgentSocket.self()) != null) {
                closeQuietly(channel);
                return OptionalInt.empty(); // another user listens there: it gets nothing of ours
            }
            request.write(out);
            out.flush();
            byte first = in.readByte();
            if (first != AgentWire.ACCEPTED || !state.compareAndSet(WAITING, ACCEPTED)) {
                closeQuietly(channel);
                return OptionalInt.empty(); // RUN_YOURSELF (its reason is for the agent's log), or too late
            }
            watchdog.interrupt();
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            return OptionalInt.empty(); // gone, stuck or refused us: nothing was printed
        }
        if (ctrlC) {
            routeCtrlC(out);
        }
        // A frozen agent must not hang a script: silence past AGENT_SILENCE_MS ends the wait.
        AtomicLong heard = new AtomicLong(System.nanoTime());
        Thread silence = daemon("orch-agent-silence", () -> {
            while (channel.isOpen()) {
                try {
                    Thread.sleep(Limits.AGENT_HEARTBEAT_MS);
                } catch (InterruptedException e) {
                    return;
                }
                if (System.nanoTime() - heard.get() > Limits.AGENT_SILENCE_MS * 1_000_000L) {
                    warn(stderr, "orch: the agent stopped answering\n");
                    closeQuietly(channel);
                }
            }
        });
        boolean printed = false;
        try {
            while (true) {
                byte type = in.readByte();
                heard.set(System.nanoTime());
                switch (type) {
                    case AgentWire.HEARTBEAT -> {
                    }
                    case AgentWire.STDOUT -> {
                        copy(in, stdout);
                        printed = true;
                    }
                    case AgentWire.STDERR -> {
                        copy(in, stderr);
                        printed = true;
                    }
                    case AgentWire.EXIT -> {
                        int code = in.readInt();
                        silence.interrupt();
                        closeQuietly(channel);
                        return OptionalInt.of(code);
                    }
                    default -> throw new IOException("unexpected frame " + type);
                }
            }
        } catch (IOException | RuntimeException e) {
            silence.interrupt();
            closeQuietly(channel);
            warn(stderr, "orch: the agent ended before the command did (" + e.getMessage() + "); see its log, "
                    + AgentSocket.log(env) + (printed ? ", and run the command again" : "")
                    + " (ORCH_AGENT=off runs it without the agent)\n");
            return OptionalInt.of(ExitCode.INTERNAL);
        }
    }

    /** The status lines of the agent on {@code socket}, or null when none answers within {@link Limits#AGENT_ACCEPT_WAIT_MS}. */
    public static String status(Path socket) {
        return ask(socket, AgentWire.STATUS);
    }

    /** Asks the agent on {@code socket} to stop. @return whether one answered */
    public static boolean stop(Path socket) {
        return ask(socket, AgentWire.STOP) != null;
    }

    /** One question and its text answer, bounded in time; null when nobody (or another user) answers. */
    private static String ask(Path socket, byte kind) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return null;
        }
        Thread watchdog = daemon("orch-agent-ask", () -> {
            try {
                Thread.sleep(Limits.AGENT_ACCEPT_WAIT_MS);
                closeQuietly(channel);
            } catch (InterruptedException e) {
                // answered
            }
        });
        try (channel) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            if (AgentSocket.foreignPeer(channel, AgentSocket.self()) != null) {
                return null;
            }
            DataOutputStream out = new DataOutputStream(AgentWire.output(channel));
            AgentWire.writeHeader(out, kind);
            out.flush();
            return AgentWire.readText(new DataInputStream(AgentWire.input(channel)));
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            watchdog.interrupt();
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

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void copy(DataInputStream in, OutputStream to) throws IOException {
        byte[] chunk = AgentWire.readChunk(in);
        to.write(chunk);
        to.flush();
    }

    /** The encoding picocli gives its own stdout writer. */
    private static Charset charset() {
        String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static void warn(OutputStream stderr, String text) {
        try {
            synchronized (stderr) {
                stderr.write(text.getBytes(StandardCharsets.UTF_8));
                stderr.flush();
            }
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
