package io.orch.responder.facts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.Limits;
import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandRunner;
import io.orch.responder.command.CommandTimeoutException;
import io.orch.responder.command.TrustedExecutable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A folder of executables (facter's {@code facts.d}): each one is run without a shell, in the
 * folder, and prints a JSON object or {@code key=value} lines. They run side by side, each with
 * the same timeout, so one pass never takes much longer than the timeout however many hang.
 * A script that fails, hangs or prints something else yields an error for that script only, and
 * so does one that anyone but root could change ({@link TrustedExecutable}): it is not run.
 */
public final class ExternalFacts {
    /** Waiting on a runner that ignores its own timeout ends this much later. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path dir;
    private final Duration timeout;
    private final CommandRunner runner;

    public ExternalFacts(Path dir, Duration timeout, CommandRunner runner) {
        this.dir = Objects.requireNonNull(dir, "dir == null");
        this.timeout = Objects.requireNonNull(timeout, "timeout == null");
        this.runner = Objects.requireNonNull(runner, "runner == null");
    }

    public Path dir() {
        return dir;
    }

    /** What one executable gave: its facts, or why there are none. */
    record Outcome(Map<String, Object> facts, String error) {
        public Outcome {
            facts = facts == null ? Map.of() : facts;
        }

        boolean ok() {
            return error == null;
        }
    }

    /**
     * Runs every executable file of the folder (hidden files skipped), by file name order.
     *
     * @throws IOException when the folder cannot be listed
     */
    Map<Path, Outcome> run() throws IOException {
        List<Path> scripts = executables();
        Map<Path, Outcome> outcomes = new LinkedHashMap<>();
        if (scripts.isEmpty()) {
            return outcomes;
        }
        ExecutorService threads = Executors.newFixedThreadPool(scripts.size(), r -> {
            Thread t = new Thread(r, "external-facts-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Path, Future<Outcome>> running = new LinkedHashMap<>();
            for (Path script : scripts) {
                running.put(script, threads.submit(() -> runOne(script)));
            }
            long deadline = System.nanoTime() + timeout.plus(GRACE).toNanos();
            for (Map.Entry<Path, Future<Outcome>> entry : running.entrySet()) {
                outcomes.put(entry.getKey(), await(entry.getValue(), deadline));
            }
        } finally {
            threads.shutdownNow();
        }
        return outcomes;
    }

    private Outcome await(Future<Outcome> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome(null, "did not finish within " + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            return new Outcome(null, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new Outcome(null, "interrupted");
        }
    }

    private List<Path> executables() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (!file.getFileName().toString().startsWith(".") && Files.isRegularFile(file)
                        && Files.isExecutable(file)) {
                    out.add(file);
                }
            }
        }
        out.sort(null);
        return out;
    }

    private Outcome runOne(Path script) {
        TrustedExecutable.Checked checked = TrustedExecutable.check(script.toAbsolutePath());
        if (!checked.trusted()) {
            return new Outcome(null, checked.problem());
        }
        CommandResult result;
        try {
            // the checked real path: a name that is a symlink could be repointed after the check
            result = runner.run(List.of(checked.path().toString()), dir, timeout,
                    Limits.MAX_FACT_SCRIPT_OUTPUT_BYTES);
        } catch (CommandTimeoutException e) {
            return new Outcome(null, "did not finish within " + timeout.toSeconds() + "s; killed");
        } catch (IOException e) {
            return new Outcome(null, "cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted");
        } catch (RuntimeException e) {
            return new Outcome(null, e.toString());
        }
        if (result.truncated()) {
            return new Outcome(null, "printed more than " + Limits.MAX_FACT_SCRIPT_OUTPUT_BYTES + " bytes "
                    + "(Limits.MAX_FACT_SCRIPT_OUTPUT_BYTES); killed");
        }
        if (result.exitCode() != 0) {
            String said = CommandResult.head(result.errors().isBlank() ? result.output() : result.errors(),
                    Limits.MAX_QUOTED_OUTPUT_CHARS);
            return new Outcome(null, "exited " + result.exitCode() + (said.isEmpty() ? "" : ": " + said));
        }
        try {
            return new Outcome(parse(result.output()), null);
        } catch (IllegalArgumentException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    /**
     * A JSON object (nested values allowed), or {@code key=value} lines with string values; blank
     * lines are skipped. Keys cannot contain '.': dotted paths walk nested maps.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String output) {
        String text = output.strip();
        if (text.isEmpty()) {
            return Map.of();
        }
        if (text.startsWith("{")) {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JacksonException e) {
                throw new IllegalArgumentException("output is not a valid JSON object: " + e.getOriginalMessage());
            }
            for (var names = node.fieldNames(); names.hasNext(); ) {
                checkKey(names.next());
            }
            return JSON.convertValue(node, Map.class);
        }
        if (text.startsWith("[") || text.startsWith("\"")) {
            throw new IllegalArgumentException("output must be a JSON object or key=value lines, got JSON "
                    + (text.startsWith("[") ? "array" : "string"));
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        String[] lines = output.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || line.substring(0, eq).isBlank()) {
                throw new IllegalArgumentException("output line " + (i + 1)
                        + " is not key=value (nor is the output a JSON object): " + CommandResult.head(line, 80));
            }
            String key = line.substring(0, eq).strip();
            checkKey(key);
            facts.put(key, line.substring(eq + 1).strip());
        }
        return facts;
    }

    private static void checkKey(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("empty fact name");
        }
        if (key.contains(".")) {
            // As in facts files: a key "os.family" would shadow or fake the built-in os.family.
            throw new IllegalArgumentException("fact name '" + key + "' contains '.'; print a nested JSON object "
                    + "instead");
        }
    }
}
