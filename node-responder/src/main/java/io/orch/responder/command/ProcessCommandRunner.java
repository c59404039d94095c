package io.orch.responder.command;

import io.orch.protocol.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs commands as child processes and reads their output while they run, keeping a bounded
 * head: with a limit asked for (fact scripts), standard output past it kills the command and its
 * descendants; otherwise the rest is read and dropped. Either way the result is marked truncated,
 * and a command that prints without end costs a bounded buffer, not the heap or the disk.
 * Standard error is kept up to {@link Limits#MAX_COMMAND_ERROR_BYTES} and the rest read and dropped, so the
 * command never blocks on a full pipe. On timeout the command and its descendants are
 * killed; a child it left running that holds the pipes open is not waited for.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private static final AtomicInteger THREADS = new AtomicInteger();

    /**
     * Keeps the first {@link Limits#MAX_COMMAND_OUTPUT_BYTES} of standard output and reads the rest
     * without keeping it: a chatty reboot command or rpm still runs to its end.
     */
    @Override
    public CommandResult run(List<String> argv, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        return run(argv, workDir, timeout, Limits.MAX_COMMAND_OUTPUT_BYTES, false);
    }

    /** Reads at most {@code maxOutputBytes} of standard output: one byte more and the command is killed. */
    @Override
    public CommandResult run(List<String> argv, Path workDir, Duration timeout, int maxOutputBytes)
            throws IOException, InterruptedException {
        return run(argv, workDir, timeout, maxOutputBytes, true);
    }

    private CommandResult run(List<String> argv, Path workDir, Duration timeout, int maxOutputBytes,
                              boolean killPastMax) throws IOException, InterruptedException {
        if (argv == null || argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("command is empty");
        }
        if (maxOutputBytes < 0) {
            throw new IllegalArgumentException("maxOutputBytes must be 0 or more, got " + maxOutputBytes);
        }
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close(); // nothing to read: a command waiting for input sees end of file
        Reader out = new Reader(process.getInputStream(), maxOutputBytes, killPastMax, process);
        Reader err = new Reader(process.getErrorStream(), Limits.MAX_COMMAND_ERROR_BYTES, false, process);
        out.start();
        err.start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        if (!finished) {
            kill(process);
            if (!(killPastMax && out.overflowed)) {
                throw new CommandTimeoutException(argv, timeout);
            }
        }
        out.join(Limits.COMMAND_DRAIN_MS); // a child left running may hold the pipes open
        err.join(Limits.COMMAND_DRAIN_MS);
        // A reader still blocked on a pipe a left-over child holds is a daemon: it stops at its limit.
        return new CommandResult(finished ? process.exitValue() : -1, decode(out.bytes()), out.overflowed,
                decode(err.bytes()));
    }

    /** Children first: once the parent is gone they are no longer its descendants. */
    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.SECONDS);
    }

    /** Reads one stream while the command runs, keeping at most {@code max} bytes. */
    private static final class Reader extends Thread {
        private final InputStream in;
        private final int max;
        private final boolean killPastMax;
        private final Process process;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        volatile boolean overflowed;

        Reader(InputStream in, int max, boolean killPastMax, Process process) {
            super("command-output-" + THREADS.incrementAndGet());
            setDaemon(true);
            this.in = in;
            this.max = max;
            this.killPastMax = killPastMax;
            this.process = process;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    int room;
                    synchronized (kept) {
                        room = max - kept.size();
                        kept.write(buffer, 0, Math.min(room, n));
                    }
                    if (n > room) {
                        overflowed = true;
                        if (killPastMax) {
                            // Past the limit: stop reading and stop the command, rather than take what it prints.
                            try {
                                kill(process);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return;
                        }
                        // Past what is kept: read and dropped, so the command never blocks on a full pipe.
                    }
                }
            } catch (IOException e) {
                // The stream closed under us (the command was killed): what was read stands.
            }
        }

        byte[] bytes() {
            synchronized (kept) {
                return kept.toByteArray();
            }
        }
    }

    private static String decode(byte[] bytes) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    }
}
