package io.orch.cli.agent;

import io.orch.cli.ExitCode;
import io.orch.cli.Interrupt;
import io.orch.cli.output.Terminal;
import io.orch.protocol.Limits;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;

/**
 * The agent: listens on the user's socket and runs each command a CLI hands over in a thread of its own,
 * with a command line built for that CLI's environment ({@link CommandHost}), its output streamed back as
 * it is printed, and its exit code last. It believes only peers of its own user, serves only what
 * {@link Served} allows, and stops when told, when a CLI of another build comes (orch was upgraded), or
 * after {@code idle} with nothing to do.
 */
public final class AgentServer implements AutoCloseable {
    /** How long a stopping agent lets the commands it runs finish before it exits anyway. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Path socket;
    private final CommandHost host;
    private final String build;
    private final Duration idle;
    private final PrintStream log;
    private final Clock clock;
    private final ServerSocketChannel server;
    private final UserPrincipal self;
    private final Instant since;
    private final Semaphore slots = new Semaphore(Limits.AGENT_MAX_COMMANDS);
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong served = new AtomicLong();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orch-agent-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastActive = System.nanoTime();
    private volatile String stopReason;

    private AgentServer(Path socket, CommandHost host, String build, Duration idle, PrintStream log, Clock clock,
                        ServerSocketChannel server, UserPrincipal self) {
        this.socket = socket;
        this.host = host;
        this.build = build;
        this.idle = idle;
        this.log = log;
        this.clock = clock;
        this.server = server;
        this.self = self;
        this.since = clock.instant();
    }

    /**
     * Listens on {@code socket}, in a folder made (0700) or checked to be this user's alone.
     *
     * @throws IOException what stands in the way, in words for the user (another agent listens there, the
     *                     folder is open to others, the path is too long for a socket)
     */
    public static AgentServer bind(Path socket, CommandHost host, String build, Duration idle, PrintStream log,
                                   Clock clock) throws IOException {
        AgentSocket.prepareFolder(socket);
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (AgentClient.status(socket) != null) {
                throw new IOException("an agent already listens on " + socket + " ('orch agent status' says which)");
            }
            Files.delete(socket); // left by an agent that was killed
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            // The folder already keeps others out; the socket says so too.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            UserPrincipal self = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
            return new AgentServer(socket, host, build, idle, log, clock, server, self);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    /** Serves until stopped ({@link #stop}, a CLI's {@code orch agent stop}, a new build, or idle); returns why. */
    public String serve() {
        long check = Math.max(50, Math.min(idle.toMillis() / 4, 1000));
        timers.scheduleWithFixedDelay(this::stopIfIdle, check, check, TimeUnit.MILLISECONDS);
        log("listening on " + socket + " (pid " + ProcessHandle.current().pid() + "); stops after " + idle + " idle");
        while (stopReason == null) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (stopReason != null) {
                    break;
                }
                log("accept failed: " + e.getMessage());
                continue;
            }
            Thread thread = new Thread(() -> {
                try {
                    handle(channel);
                } finally {
                    threads.remove(Thread.currentThread());
                }
            }, "orch-agent-" + served.get());
            threads.add(thread);
            thread.start();
        }
        close();
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log("stopped: " + stopReason);
        return stopReason;
    }

    /** Stops taking commands; {@link #serve} returns once those running are done (or after a grace period). */
    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        close();
    }

    @Override
    public void close() {
        if (stopReason == null) {
            stopReason = "closed";
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing to add
        }
        timers.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // a stale socket is found and removed by the next start
        }
    }

    private void stopIfIdle() {
        if (slots.availablePermits() == Limits.AGENT_MAX_COMMANDS && threads.isEmpty()
                && System.nanoTime() - lastActive > idle.toNanos()) {
            stop("idle for " + idle);
        }
    }

    private void log(String line) {
        log.println(clock.instant() + " orch agent: " + line);
        log.flush();
    }

    private void handle(SocketChannel channel) {
        lastActive = System.nanoTime();
        try (channel) {
            String foreign = AgentSocket.foreignPeer(channel, self);
            if (foreign != null) {
                log("refused a connection from " + foreign);
                return;
            }
            DataInputStream in = new DataInputStream(AgentWire.input(channel));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(AgentWire.output(channel)));
            // A peer that connects and says nothing must not hold this thread.
            var silence = timers.schedule(() -> closeQuietly(channel), Limits.AGENT_REQUEST_READ_MS,
                    TimeUnit.MILLISECONDS);
            byte kind;
            AgentWire.Request request = null;
            try {
                kind = AgentWire.readHeader(in);
                if (kind == AgentWire.RUN) {
                    request = AgentWire.Request.read(in);
                }
            } catch (IOException e) {
                log("dropped a connection: " + e.getMessage());
                return;
            } finally {
                silence.cancel(false);
            }
            switch (kind) {
                case AgentWire.STATUS -> {
                    AgentWire.writeText(out, statusText());
                    out.flush();
                }
                case AgentWire.STOP -> {
                    stop("stopped by 'orch agent stop'");
                    out.writeByte(AgentWire.EXIT);
                    out.writeInt(ExitCode.OK);
                    out.flush();
                }
                case AgentWire.RUN -> run(request, channel, in, out);
                default -> log("dropped a connection: unknown request kind " + kind);
            }
        } catch (IOException e) {
            // the CLI went away: nothing to tell it
        } finally {
            lastActive = System.nanoTime();
        }
    }

    private String statusText() {
        return "pid " + ProcessHandle.current().pid() + "\n"
                + "socket " + socket + "\n"
                + "since " + since + "\n"
                + "commands " + served.get() + "\n"
                + "running " + (Limits.AGENT_MAX_COMMANDS - slots.availablePermits()) + "\n"
                + "idle_timeout " + idle + "\n"
                + "build " + build + "\n";
    }

    private void run(AgentWire.Request request, SocketChannel channel, DataInputStream in, DataOutputStream out)
            throws IOException {
        if (!build.equals(request.build())) {
            // A newer orch (rebuilt, upgraded) retires this agent; an older one, or another install beside it,
            // runs itself and leaves it be, so two installs never stop each other's agent back and forth.
            if (AgentClient.builtAt(request.build()) > AgentClient.builtAt(build)) {
                runYourself(out, "the agent runs an older build of orch; it stops now");
                stop("a CLI of a newer build came (orch was rebuilt or upgraded)");
            } else {
                runYourself(out, "the agent runs another build of orch");
            }
            return;
        }
        if (!slots.tryAcquire()) {
            runYourself(out, "the agent is busy");
            return;
        }
        try {
            Session session = new Session(out);
            Thread command = Thread.currentThread();
            Interrupt interrupt = new Interrupt(code -> session.abort(code, command));
            Terminal terminal = new Terminal(request.interactive(), request.color());
            boolean sameFolder = Path.of(request.cwd()).equals(Path.of("").toAbsolutePath());
            String whyNot = Served.whyNot(host.commandLine(request.env(), terminal, interrupt), request.args(),
                    sameFolder);
            if (whyNot != null) {
                runYourself(out, whyNot);
                return;
            }
            CommandLine cli = host.commandLine(request.env(), terminal, interrupt);
            Charset charset = charset(request.charset());
            PrintWriter stdout = new PrintWriter(new OutputStreamWriter(session.stream(AgentWire.STDOUT), charset), true);
            PrintWriter stderr = new PrintWriter(new OutputStreamWriter(session.stream(AgentWire.STDERR), charset), true);
            cli.setOut(stdout);
            cli.setErr(stderr);
            out.writeByte(AgentWire.ACCEPTED);
            out.flush();
            served.incrementAndGet();
            Thread listener = new Thread(() -> listen(in, session, interrupt, command), "orch-agent-ctrl-c");
            listener.setDaemon(true);
            listener.start();
            int code;
            try {
                code = cli.execute(request.args().toArray(String[]::new));
            } catch (RuntimeException | Error e) {
                // picocli hands exceptions to orch's handler; what still gets here is a bug
                stderr.println("orch: internal error in the agent (a bug, please report it): " + e);
                code = ExitCode.INTERNAL;
            }
            stdout.flush();
            stderr.flush();
            session.finish(code);
            closeQuietly(channel); // ends the listener too
        } finally {
            slots.release();
            Thread.interrupted(); // a Ctrl-C that came as the command ended
        }
    }

    /** Ctrl-C from the CLI, one {@link AgentWire#INTERRUPT} each; a CLI that went away stops the command. */
    private static void listen(DataInputStream in, Session session, Interrupt interrupt, Thread command) {
        try {
            while (true) {
                int b = in.read();
                if (b == AgentWire.INTERRUPT) {
                    interrupt.signal();
                } else if (b < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // closed: the command ended, or the CLI is gone
        }
        session.abort(ExitCode.INTERRUPTED, command);
    }

    private static void runYourself(DataOutputStream out, String reason) throws IOException {
        out.writeByte(AgentWire.RUN_YOURSELF);
        AgentWire.writeText(out, reason);
        out.flush();
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** One command's way back to its CLI: output chunks, then one exit code; nothing after that. */
    private static final class Session {
        private static final int CHUNK = 8192;
        private final DataOutputStream out;
        private boolean finished;

        Session(DataOutputStream out) {
            this.out = out;
        }

        synchronized void chunk(byte type, byte[] bytes, int offset, int length) {
            if (finished) {
                return;
            }
            try {
                out.writeByte(type);
                out.writeInt(length);
                out.write(bytes, offset, length);
                out.flush();
            } catch (IOException e) {
                finished = true; // the CLI is gone; the listener stops the command
            }
        }

        synchronized boolean finish(int code) {
            if (finished) {
                return false;
            }
            finished = true;
            try {
                out.writeByte(AgentWire.EXIT);
                out.writeInt(code);
                out.flush();
            } catch (IOException e) {
                // the CLI is gone
            }
            return true;
        }

        /** Ends the CLI's side with {@code code} at once and asks the command's thread to stop. */
        void abort(int code, Thread command) {
            if (finish(code)) {
                command.interrupt();
            }
        }

        OutputStream stream(byte type) {
            return new OutputStream() {
                private final byte[] buffer = new byte[CHUNK];
                private int used;

                @Override
                public synchronized void write(int b) {
                    if (used == buffer.length) {
                        flush();
                    }
                    buffer[used++] = (byte) b;
                }

                @Override
                public synchronized void write(byte[] bytes, int offset, int length) {
                    while (length > 0) {
                        if (used == buffer.length) {
                            flush();
                        }
                        int n = Math.min(length, buffer.length - used);
                        System.arraycopy(bytes, offset, buffer, used, n);
                        used += n;
                        offset += n;
                        length -= n;
                    }
                }

                @Override
                public synchronized void flush() {
                    if (used > 0) {
                        chunk(type, buffer, 0, used);
                        used = 0;
                    }
                }
            };
        }
    }
}
