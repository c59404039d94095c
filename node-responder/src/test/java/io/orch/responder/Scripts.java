package io.orch.responder;

import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandRunner;
import io.orch.responder.command.CommandTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Harmless shell scripts for tests, and a runner that answers with canned results instead of running anything. */
public final class Scripts {
    private Scripts() {
    }

    /** An executable {@code #!/bin/sh} script with the given body. */
    public static Path script(Path dir, String name, String body) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Answers each command from a function of its argv; a null answer is a timeout. Records every
     * call, and never starts a process.
     */
    public static final class FakeRunner implements CommandRunner {
        public final List<List<String>> calls = new CopyOnWriteArrayList<>();
        public final Map<List<String>, Path> workDirs = new ConcurrentHashMap<>();
        private final Function<List<String>, CommandResult> answer;

        public FakeRunner(Function<List<String>, CommandResult> answer) {
            this.answer = answer;
        }

        /** Every command gets the same answer. */
        public static FakeRunner always(CommandResult result) {
            return new FakeRunner(argv -> result);
        }

        @Override
        public CommandResult run(List<String> argv, Path workDir, Duration timeout) throws IOException {
            calls.add(List.copyOf(argv));
            if (workDir != null) {
                workDirs.put(List.copyOf(argv), workDir);
            }
            CommandResult result = answer.apply(argv);
            if (result == null) {
                throw new CommandTimeoutException(argv, timeout);
            }
            return result;
        }
    }

    /** Changes a file's owner or mode as root may ({@code chown 4242}, {@code chmod o+w}), with the real commands. */
    public static void change(Path path, String command) throws Exception {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
        argv.add(path.toString());
        Process p = new ProcessBuilder(argv).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(argv + " exited " + p.exitValue());
        }
    }
}
