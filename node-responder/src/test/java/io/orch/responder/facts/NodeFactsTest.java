package io.orch.responder.facts;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.filter.FilterSpec;
import io.orch.responder.TestClock;
import io.orch.responder.pending.PendingCheck;
import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import io.orch.responder.pending.RebootRequiredFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reboot_pending is volatile: computed afresh for every request, once per request. */
class NodeFactsTest {

    private static final Instant BOOT = Instant.parse("2026-01-31T00:00:00Z");

    @TempDir
    Path root;

    private final TestClock clock = new TestClock(BOOT.plusSeconds(7200));

    private Map<String, Object> stable() {
        return Map.of("identity", "web01", "boot_id", "b-1", "boot_time", BOOT.toString(),
                "os", Map.of("family", "Debian"));
    }

    @Test
    void rebootPendingIsRecomputedForEveryRequest() throws Exception {
        NodeFacts facts = new NodeFacts(stable(), new PendingCheck(List.of(RebootRequiredFile.debian(root))), clock);

        NodeFacts.RequestFacts before = facts.forRequest();
        assertEquals(false, before.lookup(NodeFacts.PENDING));
        assertEquals(List.of(), before.lookup(NodeFacts.PENDING_REASONS));

        write(root, "run/reboot-required", "");

        NodeFacts.RequestFacts after = facts.forRequest();
        assertEquals(true, after.lookup(NodeFacts.PENDING));
        assertEquals(List.of("reboot_required"), after.lookup(NodeFacts.PENDING_REASONS));
        assertEquals(false, before.lookup(NodeFacts.PENDING), "a request keeps the answer it first saw");

        Files.delete(root.resolve("run/reboot-required"));
        assertEquals(false, facts.forRequest().lookup(NodeFacts.PENDING));
    }

    @Test
    void pendingIsComputedAtMostOncePerRequest() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PendingDetector counting = new PendingDetector() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public Optional<Reason> detect() {
                runs.incrementAndGet();
                return Optional.of(new Reason("counting", null, null));
            }
        };
        NodeFacts facts = new NodeFacts(stable(), new PendingCheck(List.of(counting)), clock);

        NodeFacts.RequestFacts view = facts.forRequest();
        assertEquals(0, runs.get(), "nothing is computed before it is asked for");
        assertTrue(new FilterSpec(List.of("reboot_pending=true"), List.of(), "reboot_pending_reasons=~/count/")
                .compile().matches(view));
        view.lookup(NodeFacts.PENDING);
        view.lookup(NodeFacts.PENDING_REASONS);
        assertSame(view.pending(), view.pending());
        assertEquals(1, runs.get());

        facts.forRequest().pending();
        assertEquals(2, runs.get(), "the next request computes again");
    }

    @Test
    void requestThatNeverAsksForPendingNeverRunsTheDetectors() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PendingDetector counting = new PendingDetector() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public Optional<Reason> detect() {
                runs.incrementAndGet();
                return Optional.empty();
            }
        };
        NodeFacts facts = new NodeFacts(stable(), new PendingCheck(List.of(counting)), clock);

        assertTrue(new FilterSpec(List.of("os.family=Debian"), List.of("web01"), null).compile()
                .matches(facts.forRequest()));
        assertEquals(0, runs.get());
    }

    @Test
    void uptimeIsCurrentAtEachLookup() {
        NodeFacts facts = new NodeFacts(stable(), new PendingCheck(List.of()), clock);
        NodeFacts.RequestFacts view = facts.forRequest();

        assertEquals(7200L, view.lookup("uptime_s"));
        clock.set(BOOT.plusSeconds(7260));
        assertEquals(7260L, view.lookup("uptime_s"));
    }

    @Test
    void stableFactsAreLookedUpByDottedPath() {
        NodeFacts facts = new NodeFacts(stable(), new PendingCheck(List.of()), clock);
        NodeFacts.RequestFacts view = facts.forRequest();

        assertEquals("Debian", view.lookup("os.family"));
        assertNull(view.lookup("os.nope"));
        assertEquals("web01", facts.identity());
        assertEquals("b-1", facts.bootId());
    }

    @Test
    void detectorFailureReadsAsNotPending() {
        PendingDetector broken = new PendingDetector() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Optional<Reason> detect() throws Exception {
                throw new java.io.IOException("cannot read /run");
            }
        };
        NodeFacts facts = new NodeFacts(stable(), new PendingCheck(List.of(broken)), clock);
        NodeFacts.RequestFacts view = facts.forRequest();

        assertEquals(false, view.lookup(NodeFacts.PENDING));
        assertFalse(view.pending().errors().isEmpty());
    }
}
