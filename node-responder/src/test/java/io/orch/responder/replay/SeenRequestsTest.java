package io.orch.responder.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.orch.protocol.Limits;
import io.orch.responder.LogCapture;
import io.orch.responder.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay memory on its own: what survives a reopen, what is forgotten, and how it fails. */
class SeenRequestsTest {
    private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");

    @TempDir
    Path dir;

    private Path state;
    private final TestClock clock = new TestClock(T0);
    private final LogCapture log = LogCapture.of(SeenRequests.class);

    @BeforeEach
    void stateDir() {
        state = dir.resolve("var/lib/orch");
        log.clear();
    }

    private Instant in(int seconds) {
        return clock.instant().plusSeconds(seconds);
    }

    /** The file as an earlier run left it (owner-only, as the responder creates it). */
    private void writeState(String text) throws IOException {
        Files.createDirectories(state);
        Path file = Files.createFile(state.resolve(SeenRequests.FILE_NAME),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(state.resolve(SeenRequests.FILE_NAME));
    }

    @Test
    void idIsNewOnceAndARepeatAfterAReopenToo() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock);
        assertTrue(seen.firstSeen("req-1", in(90), false));
        assertFalse(seen.firstSeen("req-1", in(90), false));

        SeenRequests afterRestart = SeenRequests.open(state, clock);

        assertFalse(afterRestart.firstSeen("req-1", in(90), false), "remembered across the restart");
        assertTrue(afterRestart.firstSeen("req-2", in(90), false));
        assertEquals(2, afterRestart.size());
    }

    @Test
    void fileIsALineLogOfExpiryAndIdReadableByItsOwnerOnly() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock);

        seen.firstSeen("req-1", T0.plusMillis(90_500), false);
        seen.firstSeen("reboot-1", T0.plusSeconds(120), true);

        // Rounded up to whole seconds: never forgotten before the request could no longer be accepted.
        assertEquals(List.of(T0.getEpochSecond() + 91 + " req-1", T0.getEpochSecond() + 120 + " reboot-1"), lines());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve(SeenRequests.FILE_NAME))));
    }

    @Test
    void durableIdIsOnDiskWhenFirstSeenReturnsAndAReopenKnowsIt() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock);

        assertTrue(seen.firstSeen("reboot-1", in(330), true));

        assertEquals(List.of(T0.getEpochSecond() + 330 + " reboot-1"), lines());
        assertFalse(SeenRequests.open(state, clock).firstSeen("reboot-1", in(330), true));
    }

    @Test
    void idIsKeptUntilItsTimeAndForgottenAfter() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock);
        seen.firstSeen("req-1", in(90), false);

        clock.advance(Duration.ofSeconds(90));
        assertFalse(SeenRequests.open(state, clock).firstSeen("req-1", in(90), false), "still kept at its time");

        clock.advance(Duration.ofSeconds(1));
        assertTrue(SeenRequests.open(state, clock).firstSeen("req-1", in(90), false), "forgotten after it");
    }

    @Test
    void expiredIdsLeaveMemoryAndTheFileIsRewrittenWithoutThem() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock);
        int many = Limits.REPLAY_FILE_COMPACT_AT_LINES + 10;
        for (int i = 0; i < many; i++) {
            seen.firstSeen("old-" + i, in(60), false);
        }
        seen.firstSeen("long-lived", in(3600), false);
        assertEquals(many + 1, lines().size());

        clock.advance(Duration.ofSeconds(SeenRequests.SWEEP_INTERVAL_S + 61));
        assertTrue(seen.firstSeen("new", in(60), false));

        assertEquals(2, seen.size(), "only the live ids");
        assertEquals(List.of("long-lived", "new"), lines().stream().map(l -> l.split(" ")[1]).sorted().toList());
        assertFalse(seen.firstSeen("long-lived", in(60), false));
        assertFalse(Files.exists(state.resolve(SeenRequests.FILE_NAME + ".tmp")));
    }

    @Test
    void reopenDropsExpiredIdsAndRewritesAFileOfMostlyExpiredLines() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock);
        for (int i = 0; i < Limits.REPLAY_FILE_COMPACT_AT_LINES; i++) {
            seen.firstSeen("old-" + i, in(60), false);
        }
        seen.firstSeen("reboot-1", in(600), true);
        clock.advance(Duration.ofSeconds(120));

        SeenRequests reopened = SeenRequests.open(state, clock);

        assertEquals(1, reopened.size());
        assertEquals(List.of(T0.getEpochSecond() + 600 + " reboot-1"), lines());
    }

    @Test
    void unreadableLinesAreSkippedWithOneWarningAndALastLineCutShortIsTolerated() throws Exception {
        long later = T0.getEpochSecond() + 300;
        writeState(later + " req-1\n"
                + "garbage\n"
                + later + " has space\n"
                + "-5 req-x\n"
                + later + " req-2\n"
                + later + " req-3");

        SeenRequests seen = SeenRequests.open(state, clock);

        assertFalse(seen.firstSeen("req-1", in(60), false));
        assertFalse(seen.firstSeen("req-2", in(60), false));
        assertFalse(seen.firstSeen("req-3", in(60), false), "what the cut line holds is kept");
        List<String> warnings = log.lines().stream().filter(l -> l.startsWith("WARN ")).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("skipped 3 unreadable line(s), the first at line 2"), warnings.get(0));
        // Rewritten clean, so that the next line does not continue the half one.
        assertTrue(seen.firstSeen("req-4", in(60), false));
        assertEquals(List.of("req-1", "req-2", "req-3", "req-4"),
                lines().stream().map(l -> l.split(" ")[1]).sorted().toList());
    }

    @Test
    void lineCutShortAfterItsNewlineIsNotJoinedToTheNextOne() throws Exception {
        writeState((T0.getEpochSecond() + 300) + " req-1\n" + (T0.getEpochSecond() + 300) + " re");

        SeenRequests seen = SeenRequests.open(state, clock);
        seen.firstSeen("req-2", in(60), true);

        assertFalse(SeenRequests.open(state, clock).firstSeen("req-2", in(60), false));
        assertTrue(log.lines().stream().noneMatch(l -> l.startsWith("WARN ")), log.lines().toString());
    }

    @Test
    void fullMemoryRefusesNewIdsRatherThanForgetLiveOnes() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock, 3);
        seen.firstSeen("req-1", in(60), false);
        seen.firstSeen("req-2", in(60), false);
        seen.firstSeen("req-3", in(600), false);

        ReplayMemoryException full = assertThrows(ReplayMemoryException.class,
                () -> seen.firstSeen("req-4", in(60), true));

        assertTrue(full.getMessage().startsWith("replay memory full (3 live request ids); "), full.getMessage());
        assertFalse(seen.firstSeen("req-1", in(60), false), "a live id is still a repeat");
        clock.advance(Duration.ofSeconds(61));
        assertTrue(seen.firstSeen("req-4", in(60), true), "room again once ids expired");
        assertEquals(2, seen.size());
    }

    @Test
    void theDefaultLimitIsNamed() {
        assertEquals(65_536, Limits.MAX_LIVE_REQUEST_IDS);
        assertEquals(Limits.MAX_LIVE_REQUEST_IDS / 4, Limits.MAX_LIVE_REQUEST_IDS_PER_CALLER);
    }

    @Test
    void oneCallerTakesAtMostItsShareAndTheOthersKeepTheirs() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock, 10, 2);
        assertTrue(seen.firstSeen("a-1", "alice", in(60), false));
        assertTrue(seen.firstSeen("a-2", "alice", in(600), false));

        ReplayShareException share = assertThrows(ReplayShareException.class,
                () -> seen.firstSeen("a-3", "alice", in(60), true));

        assertTrue(share.getMessage().startsWith("replay memory share of this caller full (2 live request ids, limit "
                + "MAX_LIVE_REQUEST_IDS_PER_CALLER)"), share.getMessage());
        assertFalse(seen.seen("a-3"), "a refused id is not kept");
        assertFalse(seen.firstSeen("a-1", "alice", in(60), false), "a live id is still a repeat");
        assertTrue(seen.firstSeen("b-1", "bob", in(60), false), "bob has his own share");
        assertEquals(2, seen.size("alice"));
        clock.advance(Duration.ofSeconds(61));
        assertTrue(seen.firstSeen("a-3", "alice", in(60), false), "room again once one of hers expired");
        assertEquals(2, seen.size("alice"));
        assertEquals(0, seen.size("bob"), "bob's expired id was swept too");
        // Who sent an id is not on disk: ids read back count against the whole, not against a share.
        SeenRequests reopened = SeenRequests.open(state, clock, 10, 2);
        assertEquals(2, reopened.size());
        assertTrue(reopened.seen("a-2") && reopened.seen("a-3"));
        assertTrue(reopened.firstSeen("a-4", "alice", in(60), false));
    }

    @Test
    void idsFarInTheFutureAreKeptNoLongerThanAnyRequestCanLive() throws Exception {
        writeState((T0.getEpochSecond() + 86_400 * 365) + " req-1\n");

        SeenRequests.open(state, clock);
        clock.advance(SeenRequests.LONGEST_KEPT.plusSeconds(1));

        assertTrue(SeenRequests.open(state, clock).firstSeen("req-1", in(60), false));
    }

    @Test
    void fileOthersCouldReadIsMadeTheOwnersOnly() throws Exception {
        Files.createDirectories(state);
        Path file = Files.writeString(state.resolve(SeenRequests.FILE_NAME), "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));

        SeenRequests.open(state, clock);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void stateDirBelowAFileIsAClearErrorAtOpen() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "");

        IOException e = assertThrows(IOException.class, () -> SeenRequests.open(file.resolve("orch"), clock));

        assertTrue(e.getMessage().startsWith("state folder " + file.resolve("orch") + ": cannot create it "
                + "(something else is in the way: " + file), e.getMessage());
        assertTrue(e.getMessage().contains("set reboot.state_dir to another path"), e.getMessage());
    }

    @Test
    void stateFileThatIsAFolderIsAClearErrorAtOpen() throws Exception {
        Files.createDirectories(state.resolve(SeenRequests.FILE_NAME));

        IOException e = assertThrows(IOException.class, () -> SeenRequests.open(state, clock));

        assertTrue(e.getMessage().startsWith("replay memory: cannot "), e.getMessage());
        assertTrue(e.getMessage().contains(state.resolve(SeenRequests.FILE_NAME).toString()), e.getMessage());
    }

    @Test
    void stateDirThisUserCannotWriteIsAClearErrorAtOpen() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root writes to any folder");
        Files.createDirectories(state);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r-x------"));
        try {
            IOException e = assertThrows(IOException.class, () -> SeenRequests.open(state, clock));

            assertTrue(e.getMessage().startsWith("replay memory: cannot write in the state folder " + state
                    + " (permission denied)"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void durableIdThatCannotBeWrittenIsRefusedButAPingIsStillAnswered() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock);
        Path file = state.resolve(SeenRequests.FILE_NAME);
        Files.delete(file);
        Files.createDirectory(file); // the file can no longer be opened for writing, whoever we are

        ReplayMemoryException e = assertThrows(ReplayMemoryException.class,
                () -> seen.firstSeen("reboot-1", in(60), true));
        assertTrue(e.getMessage().startsWith("cannot record the request id in " + file), e.getMessage());
        assertTrue(e.getMessage().endsWith("not acting on a request that could be replayed after a restart"),
                e.getMessage());
        assertFalse(seen.firstSeen("reboot-1", in(60), true), "still a repeat, in memory");

        assertTrue(seen.firstSeen("ping-1", in(60), false));
        assertTrue(seen.firstSeen("ping-2", in(60), false));
        assertEquals(1, log.lines().stream().filter(l -> l.startsWith("WARN ")
                && l.contains("cannot append to the replay memory")).count(), "one warning, not one per request");
    }

    @Test
    void idThatIsNotPlainIsRefusedBeforeItReachesTheFile() throws Exception {
        SeenRequests seen = SeenRequests.open(state, clock);

        assertThrows(IllegalArgumentException.class, () -> seen.firstSeen("a b\n1 c", in(60), false));
        assertEquals(List.of(), lines());
    }
}
