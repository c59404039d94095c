package io.orch.responder;

import static io.orch.responder.Fixture.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.re2j.Pattern;
import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM flags the systemd unit ships, read from its ExecStart line (never copied here): the
 * responder started with exactly those flags starts every time, RE2/J compiles the worst filter
 * the budget allows inside a thread of the unit's {@code -Xss}, and a responder process with the
 * unit's 32 MiB heap refuses the filter that once ran it out of memory and keeps answering.
 * Each responder is its own {@code java} process (the test classpath instead of {@code -jar}, a
 * test config: the embedded broker on loopback, a temporary state folder, the logging executor).
 */
class ShippedJvmFlagsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize(); // tests run in node-responder/
    private static final Path UNIT = REPO.resolve("deploy/systemd/orch-responder.service");
    private static final String BOOT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    /** 9,900 estimated steps: within the per-regex budget; 100 of them needed over 70 MiB. */
    private static final String HEAVY = "x=~/(a{99}){99}/";

    @TempDir
    Path dir;

    private BrokerService broker;
    private String brokerUrl;
    private BusClient client;
    private final List<Process> processes = new CopyOnWriteArrayList<>();

    /** The embedded broker on loopback, for the tests that start responders. */
    private void startBroker() throws Exception {
        broker = BusClient.startBroker("shipped-flags-test");
        brokerUrl = BusClient.url(broker);
        client = BusClient.connect(brokerUrl);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : processes) {
            stop(p);
        }
        if (broker != null) {
            client.close();
            BusClient.stopAndCheck(broker);
        }
    }

    // ---- the unit's flags

    /** The JVM options of the unit's ExecStart, as systemd would pass them: between the java binary and -jar. */
    static List<String> unitJvmOptions() throws IOException {
        String unit = Files.readString(UNIT, StandardCharsets.UTF_8).replace("\\\n", " ");
        String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst()
                .orElseThrow(() -> new AssertionError("no ExecStart in " + UNIT));
        List<String> words = List.of(exec.substring("ExecStart=".length()).trim().split("\\s+"));
        assertTrue(words.get(0).endsWith("/java"), exec);
        int jar = words.indexOf("-jar");
        assertTrue(jar > 0, "ExecStart runs a jar: " + exec);
        return words.subList(1, jar);
    }

    /** The unit's -Xss in bytes. */
    static long unitStackBytes() throws IOException {
        String xss = unitJvmOptions().stream().filter(o -> o.startsWith("-Xss")).findFirst()
                .orElseThrow(() -> new AssertionError("the unit sets no -Xss"));
        String size = xss.substring(4).toLowerCase();
        long unit = switch (size.charAt(size.length() - 1)) {
            case 'k' -> 1024;
            case 'm' -> 1024 * 1024;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? size : size.substring(0, size.length() - 1)) * unit;
    }

    /**
     * The command line of a responder started with the unit's exact JVM options. Paths the unit
     * names under /etc/orch are the files deploy/config installs there; logs go to the test's folder.
     */
    private List<String> command(Path config, Path logs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : unitJvmOptions()) {
            int eq = option.indexOf('=');
            if (option.startsWith("-D") && eq > 0 && option.startsWith("/etc/orch/", eq + 1)) {
                Path installed = REPO.resolve("deploy/config").resolve(option.substring(eq + "=/etc/orch/".length()));
                assertTrue(Files.exists(installed), installed + " for " + option);
                option = option.substring(0, eq + 1) + installed;
            }
            command.add(option);
        }
        command.add("-Dorch.log.dir=" + logs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.orch.responder.main.ResponderMain",
                "--config", config.toString(), "--broker", brokerUrl));
        return command;
    }

    private Path config(String identity) throws IOException {
        Path home = dir.resolve(identity);
        Path root = home.resolve("root");
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", BOOT_ID + "\n");
        write(root, "proc/uptime", "86400.00 170000.00\n");
        write(root, "boot/vmlinuz-6.1.0-10-amd64", "");
        Path config = home.resolve("responder.yaml");
        Files.writeString(config, String.join("\n",
                "identity: " + identity,
                "facts:",
                "  root: " + quote(root),
                "pending:",
                "  detectors: [reboot_required, kernel_update]",
                "reboot:",
                "  executor: log",
                "  state_dir: " + quote(home.resolve("state")),
                "security:",
                "  ssl_dir: " + quote(TestTrust.shared().writeSslDir(home.resolve("ssl"), identity)),
                "policy_file: " + quote(TestTrust.shared().policyFile()),
                ""), StandardCharsets.UTF_8);
        return config;
    }

    private static String quote(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }

    /** A started responder process and the file its output goes to. */
    private record Started(Process process, Path output) {
        String text() {
            try {
                return Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(cannot read " + output + ": " + e + ")";
            }
        }
    }

    private Started start(String identity, Path config, int run) throws IOException {
        Path logs = dir.resolve(identity).resolve("log");
        Path output = dir.resolve(identity).resolve("run-" + run + ".out");
        Process process = new ProcessBuilder(command(config, logs)).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        processes.add(process);
        process.getOutputStream().close();
        return new Started(process, output);
    }

    private long startedEvents(String identity) {
        return client.events(EventType.STARTED).stream().filter(e -> e.node().equals(identity)).count();
    }

    /** Null when the node announced itself and answered a ping, else what went wrong. */
    private String serves(String identity, Started started, long startedBefore) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> startedEvents(identity) > startedBefore || !started.process().isAlive());
        if (!started.process().isAlive()) {
            return "exited with " + started.process().exitValue() + " before it served";
        }
        Reply pong = client.ask("orch.node." + identity, request(Action.PING, null));
        return pong.status() == ReplyStatus.OK ? null : "ping answered " + pong.status() + ": " + pong.message();
    }

    private static Request request(Action action, FilterSpec filter) {
        return Request.create("orch", action, filter, Map.of(), "tester", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    private static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** What in a responder's output means it did not start cleanly, or null. */
    private static String trouble(String output) {
        for (String sign : List.of("StackOverflowError", "OutOfMemoryError", "Exception in thread", "\nERROR ")) {
            if (("\n" + output).contains(sign)) {
                return "its output shows " + sign.trim();
            }
        }
        return null;
    }

    // ---- a) the flags start every time

    @Test
    void fiftyStartsWithTheUnitsExactFlagsZeroFailures() throws Exception {
        assertTrue(unitJvmOptions().contains("-XX:+ExitOnOutOfMemoryError"), unitJvmOptions().toString());
        startBroker();
        int starts = 50;
        int atOnce = 2;
        List<String> failures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(atOnce);
        try {
            List<Future<?>> slots = new ArrayList<>();
            for (int slot = 0; slot < atOnce; slot++) {
                String identity = "flags-node-" + slot;
                Path config = config(identity);
                int runs = starts / atOnce;
                slots.add(pool.submit(() -> {
                    for (int run = 1; run <= runs; run++) {
                        long startedBefore = startedEvents(identity);
                        Started started = start(identity, config, run);
                        String failure;
                        try {
                            failure = serves(identity, started, startedBefore);
                        } catch (Exception | AssertionError e) {
                            failure = e.toString();
                        }
                        stop(started.process());
                        processes.remove(started.process());
                        if (failure == null) {
                            failure = trouble(started.text());
                        }
                        if (failure != null) {
                            failures.add(identity + " start " + run + ": " + failure + "\n" + started.text());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> slot : slots) {
                slot.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), failures, failures.size() + " of " + starts + " starts failed");
    }

    // ---- b) the regex-compile stack test

    /**
     * Compiles the worst filters the budgets allow, and the destination name patterns, in a thread
     * with the unit's -Xss, in a JVM started with the unit's flags plus {@code -Xcomp}. How deep
     * RE2/J can recurse in a given stack depends on which of its methods the JIT has compiled by
     * then (compiled frames are the larger here: {@code a{0,240}} overflows 256 KiB compiled but
     * not interpreted), which varies from run to run and is how the shipped flags crashed one
     * start in three to five; {@code -Xcomp} compiles everything first, so the probe sees the
     * worst case every time.
     */
    @Test
    void theWorstFiltersTheBudgetAllowsCompileAtTheShippedStackSize() throws Exception {
        ProbeRun within = probe("budget");
        assertEquals(0, within.exitCode(), within.output());
        assertTrue(within.output().contains("compiled " + RegexStackProbe.worstFilters().size() + " filters"),
                within.output());

        // The probe can fail: a regex the budget refuses (RE2/J nests a{0,1000} a thousand deep)
        // overflows a thread of the same size.
        ProbeRun control = probe("control");
        assertEquals(1, control.exitCode(), control.output());
        assertTrue(control.output().contains("java.lang.StackOverflowError"), control.output());
    }

    private record ProbeRun(int exitCode, String output) {
    }

    private ProbeRun probe(String mode) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(unitJvmOptions().stream().filter(o -> !o.startsWith("-D")).toList());
        command.addAll(List.of("-Xcomp", "-cp", System.getProperty("java.class.path"), RegexStackProbe.class.getName(),
                String.valueOf(unitStackBytes()), mode));
        Path output = dir.resolve("probe-" + mode + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        processes.add(process);
        process.getOutputStream().close();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the probe finished");
        return new ProbeRun(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** Run by {@link #theWorstFiltersTheBudgetAllowsCompileAtTheShippedStackSize} in its own JVM. */
    static final class RegexStackProbe {
        static List<FilterSpec> worstFilters() {
            int n = Limits.MAX_REGEX_NESTING;
            String groups = "(".repeat(n) + "a" + ")".repeat(n);
            String half = "(".repeat(n / 2) + "a{0," + n / 2 + "}" + ")".repeat(n / 2);
            return List.of(
                    // nesting at the limit, in every shape, as many regexes as one request may hold
                    new FilterSpec(List.of("a=~/" + groups + "/", "b=~/a{0," + n + "}/", "c=~/" + half + "/",
                            "d=~/(?i)(?:a{0,9}){0," + (n - 10) + "}/", "e=~/\\pL{0," + n + "}/"),
                            List.of("/" + groups + "/", "/^web\\d{0," + n + "}$/"),
                            String.join(" or ", Collections.nCopies(Limits.MAX_FILTER_REGEXES - 7, "f=~/" + groups + "/"))),
                    // the largest programs the request budget allows together
                    new FilterSpec(List.of(HEAVY, "y=~/(a{1000}){9}/"), List.of(), null),
                    // the deepest compound expression (each "not (" is two levels), with the deepest
                    // regexes of every shape at its bottom: groups around a counted repetition add up
                    new FilterSpec(List.of(), List.of(), "not (".repeat(Limits.MAX_FILTER_DEPTH / 2)
                            + String.join(" or ", "g=~/" + groups + "/", "h=~/" + half + "/",
                                    "i=~/(a{0," + (n - 1) + "})/",
                                    "j=~/" + "(".repeat(n - 1) + "a{0,1}" + ")".repeat(n - 1) + "/")
                            + ")".repeat(Limits.MAX_FILTER_DEPTH / 2)));
        }

        /** Groups around a counted repetition, each at the limit: refused by the budget (200 levels for RE2/J). */
        static String overNested() {
            int n = Limits.MAX_REGEX_NESTING;
            return "(".repeat(n) + "a{0," + n + "}" + ")".repeat(n);
        }

        public static void main(String[] args) throws Exception {
            long stack = Long.parseLong(args[0]);
            boolean control = args[1].equals("control");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread thread = new Thread(null, () -> {
                try {
                    if (control) {
                        Pattern.compile("a{0,1000}");
                        return;
                    }
                    // The destination patterns, compiled by Destinations' class initialisation in this thread.
                    String problem = io.orch.protocol.bus.Destinations.identityProblem("a".repeat(Limits.MAX_IDENTITY_CHARS));
                    if (problem != null) {
                        throw new AssertionError(problem);
                    }
                    new io.orch.protocol.bus.Destinations("c".repeat(Limits.MAX_COLLECTIVE_CHARS));
                    try {
                        new FilterSpec(List.of("k=~/" + overNested() + "/"), List.of(), null).compile();
                        throw new AssertionError("the budget let " + overNested() + " through");
                    } catch (io.orch.protocol.filter.FilterSyntaxException expected) {
                        // refused before RE2/J saw it
                    }
                    var facts = new io.orch.protocol.filter.MapFactView(Map.of("identity", "web01", "a", "aaa"));
                    for (FilterSpec filter : worstFilters()) {
                        filter.compile().matches(facts);
                    }
                } catch (Throwable t) {
                    thrown.set(t);
                }
            }, "regex-stack-probe", stack);
            thread.start();
            thread.join();
            if (thrown.get() != null) {
                thrown.get().printStackTrace(System.out);
                System.out.flush();
                System.exit(1);
            }
            System.out.println("compiled " + worstFilters().size() + " filters and the destination patterns in a "
                    + stack + "-byte stack");
        }
    }

    // ---- c) the filter that ran a node out of memory, against the shipped heap

    @Test
    void theOutOfMemoryFilterIsRefusedInvalidByAResponderWithTheShippedHeapWhichKeepsAnswering() throws Exception {
        assertTrue(unitJvmOptions().contains("-Xmx32m"), unitJvmOptions().toString());
        startBroker();
        String identity = "heap-node";
        Started started = start(identity, config(identity), 1);
        try {
            assertNull(serves(identity, started, 0));

            Request discover = request(Action.DISCOVER, new FilterSpec(Collections.nCopies(100, HEAVY), List.of(), null));
            String inner = new Codec().encodeInnerRequest(client.routed("orch.broadcast", discover));
            assertTrue(inner.length() > 2_000 && inner.length() < 2_600, "the 2.3 KB request: " + inner.length());
            Reply refused = client.ask("orch.broadcast", discover);

            assertEquals(ReplyStatus.INVALID, refused.status(), refused.message());
            assertEquals("filter has 100 regexes, limit 16", refused.message());
            assertEquals(identity, refused.node());
            Reply pong = client.ask("orch.node." + identity, request(Action.PING, null));
            assertEquals(ReplyStatus.OK, pong.status(), pong.message());
            assertTrue(started.process().isAlive());
            assertNull(trouble(started.text()), started.text());
        } catch (Throwable t) {
            System.err.println("---------- responder output\n" + started.text());
            throw t;
        }
    }
}
