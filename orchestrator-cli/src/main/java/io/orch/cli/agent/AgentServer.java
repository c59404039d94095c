package io.orch.cli.agent;

import io.orch.cli.ExitCode;
import io.orch.cli.Interrupt;
import io.orch.cli.logging.CommandLog;
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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;

/**
 * The agent: listens on the user's socket and runs each command a CLI hands over in a thread of its own,
 * with a command line built for that CLI's environment ({@link CommandHost}), its output streamed back as
 * it is printed, a beat every {@link Limits#AGENT_HEARTBEAT_MS}, and its exit code last. It believes only
 * peers of its own user, serves only what {@link Served} allows, and stops when told, when a CLI of a newer
 * build comes (orch was upgraded), or after {@code idle} with no command; a stopping agent takes no new
 * command and lets those it runs finish.
 */
public final class AgentServer implements AutoCloseable {
    private final Path socket;
    private final Object socketKey;
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
    private volatile long lastCommand = System.nanoTime();
    private volatile String stopReason;

    private AgentServer(Path socket, Object socketKey, CommandHost host, String build, Duration idle, PrintStream log,
                        Clock clock, ServerSocketChannel server, UserPrincipal self) {
        this.socket = socket;
        this.socketKey = socketKey;
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
        if (idle.isNegative() || idle.isZero()) {
            throw new IOException("the idle timeout must be positive, got " + idle);
        }
        AgentSocket.prepareFolder(socket);
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (AgentClient.status(socket) != null) {
                throw new IOException("an agent already listens on " + socket + " ('orch agent status' says which)");
            }
            Files.delete(socket); // left by an agent that was killed
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket), Limits.AGENT_ACCEPT_BACKLOG);
            // The folder already keeps others out; the socket says so too.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new AgentServer(socket, key, host, build, idle, log, clock, server, AgentSocket.self());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    /**
     * Serves until stopped ({@link #stop}, {@code orch agent stop}, a newer build, or idle), then waits for the
     * commands still running; returns why it stopped.
     */
    public String serve() {
        long check = Math.max(50, Math.min(idle.toMillis() / 4, 1000));
        timers.scheduleWithFixedDelay(this::stopIfIdle, check, check, TimeUnit.MILLISECONDS);
        CommandLog.install();
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
                pause(); // too many open files, say: do not spin
                continue;
            }
            Thread thread = new Thread(() -> {
                try {
                    handle(channel);
                } finally {
                    threads.remove(Thread.currentThread());
                }
            }, "orch-agent-connection");
            threads.add(thread);
            thread.start();
        }
        stop("closed");
        for (Thread thread : threads) {
            try {
                thread.join(); // each bounded: a command by its own timeouts, a silent peer by AGENT_REQUEST_READ_MS
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timers.shutdownNow();
        log("stopped: " + stopReason);
        return stopReason;
    }

    /** Takes no new command; {@link #serve} returns once those running are done. */
    public void stop(String reason) {
        synchronized (this) {
            if (stopReason == null) {
                stopReason = reason;
            }
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing to add
        }
        removeSocket();
    }

    /** As {@link #stop}: for a shutdown hook, or a test. */
    @Override
    public void close() {
        stop("closed");
    }

    /** Removes the socket file if it is still the one this agent made (a newer agent may listen there now). */
    private void removeSocket() {
        try {
            Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(key, socketKey)) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or not ours
        }
    }

    private void stopIfIdle() {
        if (slots.availablePermits() == Limits.AGENT_MAX_COMMANDS && System.nanoTime() - lastCommand > idle.toNanos()) {
            stop("idle for " + idle);
        }
    }

    private void log(String line) {
        synchronized (log) {
            log.println(clock.instant() + " orch agent: " + line);
            log.flush();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(SocketChannel channel) {
        try (channel) {
            String foreign = AgentSocket.foreignPeer(channel, self);
            if (foreign != null) {
                log("refused a connection from " + foreign);
                return;
            }
            DataInputStream in = new DataInputStream(AgentWire.input(channel));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(AgentWire.output(channel)));
            // A peer that connects and says nothing must not hold this thread.
            ScheduledFuture<?> silence = timers.schedule(() -> closeQuietly(channel), Limits.AGENT_REQUEST_READ_MS,
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
                    log("asked to stop; commands running: " + (Limits.AGENT_MAX_COMMANDS - slots.availablePermits()));
                    stop("stopped by 'orch agent stop'");
                    AgentWire.writeText(out, "stopping\n");
                    out.flush();
                }
                case AgentWire.RUN -> run(request, channel, in, out);
                default -> log("dropped a connection: unknown request kind " + kind);
            }
        } catch (IOException e) {
            // the CLI went away: nothing to tell it
        } catch (RuntimeException e) {
            log("dropped a connection: " + e); // a bug or a stopping agent: one line, and serve on
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
        if (stopReason != null || !slots.tryAcquire()) {
            runYourself(out, stopReason != null ? "the agent is stopping" : "the agent is busy");
            return;
        }
        lastCommand = System.nanoTime();
        Session session = new Session(channel, out, Thread.currentThread());
        try {
            Interrupt interrupt = new Interrupt(session::abort);
            session.interrupt = interrupt;
            Terminal terminal = new Terminal(request.interactive(), request.color());
            CommandLine cli;
            try {
                boolean sameFolder = Path.of(request.cwd()).equals(Path.of("").toAbsolutePath());
                // One command line for the check and the run: picocli sets every option back to its initial
                // value before each parse, so the check's parse leaves nothing behind for execute's.
                cli = host.commandLine(request.env(), terminal, interrupt);
                String whyNot = Served.whyNot(cli, request.args(), request.env(), sameFolder, System.getenv());
                if (whyNot != null) {
                    runYourself(out, whyNot);
                    return;
                }
            } catch (RuntimeException e) {
                // A configuration the CLI cannot read, a folder name this JVM cannot hold: the CLI's own run
                // reports it, in its words.
                runYourself(out, "cannot build the command line here: " + e.getMessage());
                return;
            }
            Charset charset = charset(request.charset());
            PrintWriter stdout = new PrintWriter(new OutputStreamWriter(session.stream(AgentWire.STDOUT), charset), true);
            PrintWriter stderr = new PrintWriter(new OutputStreamWriter(session.stream(AgentWire.STDERR), charset), true);
            cli.setOut(stdout);
            cli.setErr(stderr);
            out.writeByte(AgentWire.ACCEPTED);
            out.flush();
            served.incrementAndGet();
            Thread listener = new Thread(() -> listen(in, session, interrupt), "orch-agent-ctrl-c");
            listener.setDaemon(true);
            listener.start();
            ScheduledFuture<?> beat = timers.scheduleAtFixedRate(session::beat, Limits.AGENT_HEARTBEAT_MS,
                    Limits.AGENT_HEARTBEAT_MS, TimeUnit.MILLISECONDS);
            int code;
            try (var logged = CommandLog.routeTo(stderr)) {
                code = cli.execute(request.args().toArray(String[]::new));
                stdout.flush();
                stderr.flush();
            } catch (RuntimeException | Error e) {
                // picocli hands exceptions to orch's handler; what still gets here is a bug
                stderr.println("orch: internal error in the agent (a bug, please report it): " + e);
                stderr.flush();
                code = ExitCode.INTERNAL;
            } finally {
                session.done = true;
                beat.cancel(false);
            }
            session.finish(code);
        } finally {
            lastCommand = System.nanoTime();
            slots.release();
            closeQuietly(channel); // ends the listener too
            Thread.interrupted(); // a Ctrl-C that came as the command ended
        }
    }

    /** Ctrl-C from the CLI, one {@link AgentWire#INTERRUPT} each; a CLI that went away stops the command. */
    private static void listen(DataInputStream in, Session session, Interrupt interrupt) {
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
        session.clientGone();
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

    /**
     * One command's way back to its CLI: output chunks and beats, then one exit code; nothing after that.
     * When the CLI is gone (it exited, was killed, or stopped reading), the command is stopped as a Ctrl-C
     * would stop it, and its thread interrupted, so it holds no slot and asks no node for longer than it must.
     */
    private static final class Session {
        private final SocketChannel channel;
        private final DataOutputStream out;
        private final Thread command;
        volatile Interrupt interrupt;
        volatile boolean done;
        private volatile boolean gone;
        private boolean finished;

        Session(SocketChannel channel, DataOutputStream out, Thread command) {
            this.channel = channel;
            this.out = out;
            this.command = command;
        }

        synchronized void chunk(byte type, byte[] bytes, int offset, int length) {
            if (finished || gone) {
                return;
            }
            try {
                out.writeByte(type);
                out.writeInt(length);
                out.write(bytes, offset, length);
                out.flush();
            } catch (IOException e) {
                lost();
            }
        }

        synchronized void beat() {
            if (finished || gone) {
                return;
            }
            try {
                out.writeByte(AgentWire.HEARTBEAT);
                out.flush();
            } catch (IOException e) {
                lost();
            }
        }

        /** Sends the exit code, once. @return whether this call was the one */
        synchronized boolean finish(int code) {
            if (finished) {
                return false;
            }
            finished = true;
            if (!gone) {
                try {
                    out.writeByte(AgentWire.EXIT);
                    out.writeInt(code);
                    out.flush();
                } catch (IOException e) {
                    lost();
                }
            }
            return true;
        }

        /**
         * Ctrl-C with no run listening, or a second one: the command ends now with {@code code}, as the CLI's
         * own process would exit with it.
         */
        void abort(int code) {
            finish(code);
            if (!done) {
                command.interrupt();
            }
        }

        /** Writing failed: closing the channel ends the listener's read, which stops the command. */
        private void lost() {
            gone = true;
            closeQuietly(channel);
        }

        void clientGone() {
            gone = true;
            closeQuietly(channel); // a writer blocked on a CLI that stopped reading lets go
            if (!done) {
                Interrupt heard = interrupt;
                if (heard != null && !heard.requested()) {
                    heard.signal(); // the run stops as on Ctrl-C: no new batch, no new request
                }
                command.interrupt();
            }
        }

        OutputStream stream(byte type) {
            return new OutputStream() {
                private final byte[] buffer = new byte[Limits.AGENT_CHUNK_BYTES];
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
