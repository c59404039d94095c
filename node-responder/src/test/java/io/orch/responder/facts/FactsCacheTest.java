package io.orch.responder.facts;

import static io.orch.responder.Fixture.mkdirs;
import static io.orch.responder.Fixture.write;
import static io.orch.responder.Scripts.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.orch.responder.Scripts.FakeRunner;
import io.orch.responder.TestClock;
import io.orch.responder.command.CommandResult;
import io.orch.responder.pending.PendingCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static files and external facts are read at start, used for their TTL, and read again on the
 * first request after it; a failing source reports an error and keeps its last good facts.
 */
class FactsCacheTest {

    private static final Instant BOOT = Instant.parse("2026-01-31T00:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(300);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(BOOT.plusSeconds(3600));
    /** What each script prints, by file name; a missing entry is a timeout. */
    private final Map<String, CommandResult> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final FakeRunner runner =
            new FakeRunner(argv -> answers.get(Path.of(argv.get(0)).getFileName().toString()));

    private Path factsDir() {
        return dir.resolve("facts.d");
    }

    private Path externalScript(String name, String output) {
        answers.put(name, CommandResult.of(0, output));
        return script(factsDir(), name, "exit 0"); // the fake runner answers; the file only has to be executable
    }

    private FactsCache cache(List<Path> files, Duration ttl) {
        return new FactsCache(files, new ExternalFacts(factsDir(), Duration.ofSeconds(5), runner), ttl, clock);
    }

    private NodeFacts nodeFacts(FactsCache cache) {
        return new NodeFacts(Map.of("identity", "web01", "boot_id", "b-1", "boot_time", BOOT.toString(),
                "os", Map.of("family", "RedHat")), cache, new PendingCheck(List.of()), clock);
    }

    @Test
    void builtinsWinOverStaticFilesWhichWinOverExternalFacts() {
        externalScript("10-a.sh", "role=db\nrack=r1\nidentity=evil\nzone=a\n");
        externalScript("20-b.sh", "{\"zone\": \"b\", \"os\": {\"family\": \"windows\"}}");
        Path file = write(dir, "facts.yaml", "role: web\n");

        NodeFacts facts = nodeFacts(cache(List.of(file), TTL));
        NodeFacts.RequestFacts view = facts.forRequest();

        assertEquals("web", view.lookup("role"), "static file over external");
        assertEquals("r1", view.lookup("rack"));
        assertEquals("b", view.lookup("zone"), "later script over earlier one");
        assertEquals("web01", view.lookup("identity"));
        assertEquals("web01", facts.identity());
        assertEquals("RedHat", view.lookup("os.family"), "built-ins over everything");
        assertEquals(Map.of(), facts.factErrors());
        assertEquals("web", facts.stable().get("role"));
    }

    @Test
    void factsAreReadAgainOnlyOnTheFirstRequestAfterTheTtl() {
        externalScript("role.sh", "role=web\n");
        NodeFacts facts = nodeFacts(cache(List.of(), TTL));
        assertEquals(1, runner.calls.size(), "read once at start");

        answers.put("role.sh", CommandResult.of(0, "role=db\n"));
        clock.set(clock.instant().plusSeconds(299));
        assertEquals("web", facts.forRequest().lookup("role"));
        assertEquals(1, runner.calls.size(), "within the TTL nothing runs");

        clock.set(clock.instant().plusSeconds(1));
        assertEquals(1, runner.calls.size(), "expiry alone reads nothing; the next request does");
        NodeFacts.RequestFacts view = facts.forRequest();
        assertEquals("db", view.lookup("role"));
        assertEquals(2, runner.calls.size());
        facts.forRequest();
        assertEquals(2, runner.calls.size(), "and then holds for another TTL");
    }

    @Test
    void zeroTtlReadsForEveryRequest() {
        externalScript("role.sh", "role=web\n");
        NodeFacts facts = nodeFacts(cache(List.of(), Duration.ZERO));

        facts.forRequest();
        facts.forRequest();

        assertEquals(3, runner.calls.size());
    }

    @Test
    void requestKeepsTheReadingItStartedWith() {
        externalScript("role.sh", "role=web\n");
        NodeFacts facts = nodeFacts(cache(List.of(), Duration.ZERO));
        NodeFacts.RequestFacts first = facts.forRequest();

        answers.put("role.sh", CommandResult.of(0, "role=db\n"));
        NodeFacts.RequestFacts second = facts.forRequest();

        assertEquals("web", first.lookup("role"));
        assertEquals("db", second.lookup("role"));
    }

    @Test
    void failingScriptReportsItsErrorAndKeepsItsLastGoodFactsUntilItRecovers() {
        Path script = externalScript("role.sh", "role=web\n");
        externalScript("rack.sh", "rack=r1\n");
        NodeFacts facts = nodeFacts(cache(List.of(), Duration.ZERO));

        answers.put("role.sh", CommandResult.of(0, "not a fact\n"));
        answers.put("rack.sh", CommandResult.of(0, "rack=r2\n"));
        NodeFacts.RequestFacts failing = facts.forRequest();

        assertEquals("web", failing.lookup("role"), "last good value kept");
        assertEquals("r2", failing.lookup("rack"), "the other script is read as usual");
        assertEquals(Map.of(script.toString(), "output line 1 is not key=value (nor is the output a JSON object): "
                + "not a fact (its last good facts are kept)"), failing.factErrors());
        assertEquals(failing.factErrors(), facts.factErrors());

        answers.remove("role.sh"); // now it hangs
        assertEquals(Map.of(script.toString(), "did not finish within 5s; killed (its last good facts are kept)"),
                facts.forRequest().factErrors());

        answers.put("role.sh", CommandResult.of(0, "role=db\n"));
        NodeFacts.RequestFacts recovered = facts.forRequest();
        assertEquals("db", recovered.lookup("role"));
        assertEquals(Map.of(), recovered.factErrors());
    }

    @Test
    void scriptThatNeverWorkedHasAnErrorAndNoFacts() {
        Path script = script(factsDir(), "broken.sh", "exit 0");
        answers.put("broken.sh", new CommandResult(2, "role=web\n", false, "database locked"));

        NodeFacts facts = nodeFacts(cache(List.of(), TTL));

        assertEquals(null, facts.forRequest().lookup("role"));
        assertEquals(Map.of(script.toString(), "exited 2: database locked"), facts.factErrors());
    }

    @Test
    void removedScriptTakesItsFactsWithIt() throws Exception {
        Path script = externalScript("role.sh", "role=web\n");
        NodeFacts facts = nodeFacts(cache(List.of(), Duration.ZERO));
        assertEquals("web", facts.forRequest().lookup("role"));

        Files.delete(script);

        assertEquals(null, facts.forRequest().lookup("role"));
        assertEquals(Map.of(), facts.factErrors());
    }

    @Test
    void staticFileBrokenAtRunTimeReportsAnErrorAndKeepsItsLastGoodFacts() {
        mkdirs(dir, "facts.d");
        Path file = write(dir, "facts.yaml", "role: web\n");
        NodeFacts facts = nodeFacts(cache(List.of(file), Duration.ZERO));

        write(dir, "facts.yaml", "- no\n- longer a map\n");
        NodeFacts.RequestFacts view = facts.forRequest();

        assertEquals("web", view.lookup("role"));
        assertEquals(Map.of(file.toString(), "facts file " + file + " must hold a map of facts, got array "
                + "(its last good facts are kept)"), view.factErrors());
    }

    @Test
    void externalFolderThatDisappearsIsAnErrorAndTheFactsStay() throws Exception {
        Path script = externalScript("role.sh", "role=web\n");
        NodeFacts facts = nodeFacts(cache(List.of(), Duration.ZERO));

        Files.delete(script);
        Files.delete(factsDir());
        NodeFacts.RequestFacts view = facts.forRequest();

        assertEquals("web", view.lookup("role"));
        assertEquals(List.of(factsDir().toString()), List.copyOf(view.factErrors().keySet()));
    }

    @Test
    void clockSetBackCountsAsExpired() {
        externalScript("role.sh", "role=web\n");
        FactsCache cache = cache(List.of(), TTL);
        FactsCache.Reading first = cache.current();

        clock.set(clock.instant().minusSeconds(60));

        assertNotSame(first, cache.current());
    }

    @Test
    void requestThatFindsAReadUnderWayUsesTheFactsAsTheyWere() throws Exception {
        externalScript("role.sh", "role=web\n");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Boolean> block = new AtomicReference<>(false);
        FakeRunner slow = new FakeRunner(argv -> {
            if (block.get()) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return CommandResult.of(0, "role=db\n");
            }
            return CommandResult.of(0, "role=web\n");
        });
        FactsCache cache = new FactsCache(List.of(), new ExternalFacts(factsDir(), Duration.ofSeconds(20), slow),
                Duration.ZERO, clock);
        FactsCache.Reading before = cache.current();
        block.set(true);
        Thread reader = new Thread(cache::current, "first-request");
        reader.start();
        assertEquals(true, entered.await(30, TimeUnit.SECONDS));

        FactsCache.Reading meanwhile = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> cache.current());

        assertSame(before, meanwhile);
        release.countDown();
        reader.join(30_000);
        assertEquals("db", cache.last().facts().get("role"));
    }
}
