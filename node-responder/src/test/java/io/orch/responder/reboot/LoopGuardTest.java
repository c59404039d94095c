package io.orch.responder.reboot;

import io.orch.protocol.payload.LoopGuardState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.responder.journal.LastReboot;
import io.orch.protocol.payload.Reason;
import io.orch.responder.pending.PendingState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The loop guard and the minimum interval as a table: last reboot, reasons now, time since, minimum. */
class LoopGuardTest {
    private static final Instant NOW = Instant.parse("2024-05-02T03:00:00Z");

    private static Reason debian(String... packages) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("file", "/run/reboot-required");
        if (packages.length > 0) {
            evidence.put("packages", List.of(packages));
        }
        return new Reason("reboot_required", "/run/reboot-required exists", evidence);
    }

    private static Reason kernel(String running, String newest) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("running", running);
        evidence.put("newest", newest);
        return new Reason("kernel_update", "running kernel " + running + " is older than installed " + newest,
                evidence);
    }

    private static PendingState now(Reason... reasons) {
        return new PendingState(List.of(reasons), Map.of());
    }

    private static List<Reason> before(Reason... reasons) {
        return now(reasons).reasons();
    }

    private static LastReboot last(boolean loop, Duration ago, List<Reason> reasons) {
        return new LastReboot("req-last", NOW.minus(ago), reasons, loop);
    }

    static Stream<Arguments> table() {
        Reason glibc = debian("libc6");
        Reason kernel11 = kernel("6.1.0-10-amd64", "6.1.0-11-amd64");
        Duration day = Duration.ofDays(1);
        Duration min30 = Duration.ofMinutes(30);
        // what, last reboot, pending now, minimum interval, refused with (null: allowed)
        return Stream.of(
                arguments("no reboot made before", null, now(glibc), min30, null),
                arguments("loop suspected, same reasons", last(true, day, before(glibc)), now(glibc), min30,
                        "loop_suspected"),
                arguments("loop suspected, same reasons, several", last(true, day, before(glibc, kernel11)),
                        now(glibc, kernel11), min30, "loop_suspected"),
                arguments("loop suspected, same names and evidence, other detail",
                        last(true, day, List.of(new Reason("reboot_required", "worded differently",
                                glibc.evidence()))), now(glibc), Duration.ZERO, "loop_suspected"),
                arguments("loop suspected, other package", last(true, day, before(glibc)), now(debian("systemd")),
                        min30, null),
                arguments("loop suspected, newer kernel installed", last(true, day, before(kernel11)),
                        now(kernel("6.1.0-10-amd64", "6.1.0-12-amd64")), min30, null),
                arguments("loop suspected, a reason more", last(true, day, before(glibc)), now(glibc, kernel11), min30,
                        null),
                arguments("loop suspected, a reason fewer", last(true, day, before(glibc, kernel11)), now(glibc),
                        min30, null),
                arguments("loop suspected, other reason name", last(true, day, before(glibc)),
                        now(new Reason("reboot_needed", "", glibc.evidence())), min30, null),
                arguments("no loop, same reasons, long ago", last(false, day, before(glibc)), now(glibc), min30, null),
                arguments("no loop, 10 s ago, minimum 30 min", last(false, Duration.ofSeconds(10), before(glibc)),
                        now(debian("systemd")), min30, "reboot.min_interval_s is 1800"),
                arguments("no loop, 10 s ago, minimum 0", last(false, Duration.ofSeconds(10), before(glibc)),
                        now(glibc), Duration.ZERO, null),
                arguments("no loop, exactly the minimum ago", last(false, min30, before(glibc)), now(glibc), min30,
                        null),
                arguments("no loop, a second short of the minimum", last(false, min30.minusSeconds(1), before(glibc)),
                        now(glibc), min30, "min_interval_s"),
                arguments("loop suspected, other reasons, but too recent", last(true, Duration.ofSeconds(10),
                        before(glibc)), now(debian("systemd")), min30, "min_interval_s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void refuseFollowsTheTable(String what, LastReboot last, PendingState now, Duration minInterval,
                               String refusedWith) {
        String why = LoopGuard.check(last, now, NOW, minInterval).message();

        if (refusedWith == null) {
            assertNull(why, what);
        } else {
            assertTrue(why != null && why.contains(refusedWith), what + ": " + why);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void checkNamesWhichGuardRefusesSoNobodyReadsItFromTheMessage(String what, LastReboot last, PendingState now,
                                                                 Duration minInterval, String refusedWith) {
        LoopGuardState verdict = LoopGuard.check(last, now, NOW, minInterval);

        LoopGuardState.State expected = refusedWith == null ? LoopGuardState.State.CLEAR
                : refusedWith.equals("loop_suspected") ? LoopGuardState.State.LOOP_SUSPECTED : LoopGuardState.State.MIN_INTERVAL;
        assertEquals(expected, verdict.state(), what);
        assertEquals(expected != LoopGuardState.State.CLEAR, verdict.refuses(), what);
    }

    @Test
    void statesHaveTheirWireNames() {
        assertEquals("clear", LoopGuardState.State.CLEAR.wireName());
        assertEquals("loop_suspected", LoopGuardState.State.LOOP_SUSPECTED.wireName());
        assertEquals("min_interval", LoopGuardState.State.MIN_INTERVAL.wireName());
        assertEquals("unknown", LoopGuardState.State.UNKNOWN.wireName());
    }

    @Test
    void unreadableJournalRefusesAndSaysWhy() {
        LoopGuardState verdict = LoopGuard.unreadable(new java.io.IOException("journal file x is damaged"));

        assertEquals(LoopGuardState.State.UNKNOWN, verdict.state());
        assertTrue(verdict.refuses());
        assertEquals("cannot read the reboot journal, so the loop guard cannot be checked: journal file x is damaged",
                verdict.message());
    }

    @Test
    void loopRefusalNamesTheReasonsTheEarlierRequestAndHowToGetPast() {
        LastReboot last = last(true, Duration.ofDays(1), before(debian("libc6")));

        String why = LoopGuard.check(last, now(debian("libc6")), NOW, Duration.ZERO).message();

        assertTrue(why.startsWith("loop_suspected: the same reasons (reboot_required)"), why);
        assertTrue(why.contains("request req-last"), why);
        assertTrue(why.contains("force"), why);
    }

    @Test
    void intervalRefusalSaysHowLongAgoAndWhichRequest() {
        LastReboot last = last(false, Duration.ofSeconds(10), List.of());

        String why = LoopGuard.check(last, now(debian()), NOW, Duration.ofSeconds(1800)).message();

        assertEquals("orch rebooted this node 10s ago (request req-last); reboot.min_interval_s is 1800", why);
    }

    @Test
    void reasonsReadBackFromJsonCompareEqualToFreshOnes() {
        // What the journal file gives back: plain maps and lists rather than the detector's own types.
        List<Reason> fromFile = List.of(new Reason("reboot_required", "x",
                new LinkedHashMap<>(Map.of("file", "/run/reboot-required"))));

        assertTrue(LoopGuard.sameReasons(fromFile, before(debian())));
        assertFalse(LoopGuard.sameReasons(fromFile, before(debian("libc6"))));
        assertTrue(LoopGuard.sameReasons(List.of(), List.of()));
    }
}
