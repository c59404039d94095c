package io.orch.responder.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands as child processes. Output goes to temporary files rather than pipes: a chatty
 * command cannot block on a full pipe, and a child it left running cannot hold a pipe open
 * after the timeout. On timeout the command and its descendants are killed.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(ProcessCommandRunner.class);

    /** Standard output beyond this is cut off and the result marked truncated. */
    public static final int MAX_OUTPUT_BYTES = 1024 * 1024;
    /** How much of standard error is kept for messages. */
    static final int MAX_ERROR_BYTES = 4096;

    @Override
    public CommandResult run(List<String> argv, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        if (argv == null || argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("command is empty");
        }
        Path out = Files.createTempFile("orch-cmd-", ".out");
        Path err = null;
        try {
            err = Files.createTempFile("orch-cmd-", ".err");
            ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            process.getOutputStream().close(); // nothing to read: a command waiting for input sees end of file
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(process);
                throw e;
            }
            if (!finished) {
                kill(process);
                throw new CommandTimeoutException(argv, timeout);
            }
            byte[] output = head(out, MAX_OUTPUT_BYTES + 1);
            boolean truncated = output.length > MAX_OUTPUT_BYTES;
            return new CommandResult(process.exitValue(),
                    decode(output, truncated ? MAX_OUTPUT_BYTES : output.length), truncated,
                    decode(head(err, MAX_ERROR_BYTES), -1));
        } finally {
            delete(out);
            delete(err);
        }
    }

    /** Children first: once the parent is gone they are no longer its descendants. */
    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.SECONDS);
    }

    private static byte[] head(Path file, int max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(max);
        }
    }

    private static String decode(byte[] bytes, int length) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return decoder.decode(ByteBuffer.wrap(bytes, 0, length < 0 ? bytes.length : length)).toString();
    }

    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("could not delete {}: {}", file, e.getMessage());
        }
    }
}
