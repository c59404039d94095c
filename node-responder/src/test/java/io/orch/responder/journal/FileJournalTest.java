package io.orch.responder.journal;

import io.orch.protocol.payload.Reason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.orch.responder.state.StateFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The journal as files in a temporary state folder: round trips, atomic replacement, damage. */
class FileJournalTest {

    private static final Instant SCHEDULED = Instant.parse("2024-05-01T22:00:00Z");
    private static final List<Reason> REASONS = List.of(new Reason("reboot_required",
            "/run/reboot-required exists (linux-image-6.1.0-11-amd64)",
            Map.of("file", "/run/reboot-required", "packages", List.of("linux-image-6.1.0-11-amd64"))));

    @TempDir
    Path dir;

    private static JournalEntry entry(String requestId) {
        return new JournalEntry(requestId, "alice", "jumphost", "boot-a", REASONS, 120, SCHEDULED, null, null);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void emptyFolderHasNoPendingRebootAndNoLastReboot() throws Exception {
        FileJournal journal = new FileJournal(dir);

        assertEquals(Optional.empty(), journal.pending());
        assertEquals(Optional.empty(), journal.last());
    }

    @Test
    void recordedEntryReadsBackEqualIncludingReasonsWithEvidence() throws Exception {
        FileJournal journal = new FileJournal(dir);
        JournalEntry entry = entry("req-1").executed(SCHEDULED.plusSeconds(5)).stopped(SCHEDULED.plusSeconds(125));

        journal.record(entry);

        assertEquals(Optional.of(entry), journal.pending());
        assertEquals(Optional.of(entry), new FileJournal(dir).pending(), "another instance (a restart) reads it too");
    }

    @Test
    void entryNotYetExecutedReadsBackWithNullTimes() throws Exception {
        FileJournal journal = new FileJournal(dir);

        journal.record(entry("req-1"));

        JournalEntry read = journal.pending().orElseThrow();
        assertEquals(null, read.executedAt());
        assertEquals(null, read.stoppedAt());
        assertEquals(entry("req-1"), read);
    }

    @Test
    void clearRemovesThePendingEntryAndLeavesTheLastReboot() throws Exception {
        FileJournal journal = new FileJournal(dir);
        LastReboot last = new LastReboot("req-0", SCHEDULED.minusSeconds(86_400), REASONS, false);
        journal.recordLast(last);
        journal.record(entry("req-1"));

        journal.clear();

        assertEquals(Optional.empty(), journal.pending());
        assertEquals(Optional.of(last), journal.last());
        assertEquals(List.of("last-reboot.json"), files());
    }

    @Test
    void clearWithNothingRecordedIsHarmless() throws Exception {
        FileJournal journal = new FileJournal(dir.resolve("never-created"));

        journal.clear();

        assertEquals(Optional.empty(), journal.pending());
    }

    @Test
    void lastRebootRoundTripsWithLoopSuspicion() throws Exception {
        FileJournal journal = new FileJournal(dir);
        LastReboot last = new LastReboot("req-7", SCHEDULED.plusSeconds(300), REASONS, true);

        journal.recordLast(last);

        assertEquals(Optional.of(last), new FileJournal(dir).last());
    }

    @Test
    void lastRebootRoundTripsWithBootIdsAndWhatWasStillPending() throws Exception {
        FileJournal journal = new FileJournal(dir);
        LastReboot last = new LastReboot("req-7", SCHEDULED.plusSeconds(300), REASONS, true, "boot-a", "boot-b",
                List.of("reboot_required"));

        journal.recordLast(last);

        assertEquals(Optional.of(last), new FileJournal(dir).last());
    }

    @Test
    void lastRebootWrittenBeforeBootIdsWereKeptReadsThemAsNull() throws Exception {
        Files.writeString(dir.resolve("last-reboot.json"), "{\"request_id\":\"req-0\",\"rebooted_at\":"
                + "\"2024-05-01T22:00:00Z\",\"reasons\":[],\"loop_suspected\":false}", StandardCharsets.UTF_8);

        LastReboot last = new FileJournal(dir).last().orElseThrow();

        assertEquals(new LastReboot("req-0", SCHEDULED, List.of(), false), last);
        assertEquals(null, last.oldBootId());
        assertEquals(null, last.newBootId());
        assertEquals(null, last.pendingAfter());
    }

    @Test
    void reasonsWrittenByAnotherVersionStillReadWithUnknownFieldsIgnoredAndGapsEmpty() throws Exception {
        // A damaged record would set the loop guard to unknown and refuse every reboot of the node.
        Files.writeString(dir.resolve("last-reboot.json"), "{\"request_id\":\"req-0\","
                + "\"rebooted_at\":\"2024-05-01T22:00:00Z\",\"loop_suspected\":true,\"reasons\":["
                + "{\"name\":\"reboot_required\",\"since\":\"2024-04-30\",\"evidence\":{\"file\":\"/run/reboot-required\"}},"
                + "{\"name\":\"kernel_update\",\"detail\":\"newer kernel\",\"evidence\":\"6.1.0-11\"}]}");

        LastReboot last = new FileJournal(dir).last().orElseThrow();

        assertEquals(List.of(new Reason("reboot_required", "", Map.of("file", "/run/reboot-required")),
                new Reason("kernel_update", "newer kernel", Map.of())), last.reasonsBefore());
        assertTrue(last.loopSuspected());
    }

    @Test
    void aDamagedPendingAfterIsDroppedAndTheRestOfTheLastRebootStillCounts() throws Exception {
        // pending_after only informs orch status: it must not blind the loop guard to the rest.
        Files.writeString(dir.resolve("last-reboot.json"), "{\"request_id\":\"req-0\","
                + "\"rebooted_at\":\"2024-05-01T22:00:00Z\",\"pending_after\":[{\"name\":\"x\"}]}");
        LastReboot last = new FileJournal(dir).last().orElseThrow();
        assertEquals("req-0", last.requestId());
        assertEquals(null, last.pendingAfter());
    }

    @Test
    void writeReplacesTheExistingFileAndLeavesNoTemporaryFileBehind() throws Exception {
        FileJournal journal = new FileJournal(dir);
        journal.record(entry("req-1"));
        journal.recordLast(new LastReboot("req-0", SCHEDULED, REASONS, false));

        journal.record(entry("req-2"));
        journal.recordLast(new LastReboot("req-1", SCHEDULED.plusSeconds(60), List.of(), true));

        assertEquals("req-2", journal.pending().orElseThrow().requestId());
        assertEquals(new LastReboot("req-1", SCHEDULED.plusSeconds(60), List.of(), true), journal.last().orElseThrow());
        assertEquals(List.of("last-reboot.json", "pending-reboot.json"), files());
    }

    @Test
    void temporaryFileLeftByACrashIsIgnoredOnReadAndReplacedOnTheNextWrite() throws Exception {
        FileJournal journal = new FileJournal(dir);
        journal.record(entry("req-1"));
        Files.writeString(dir.resolve(".pending-reboot.json.tmp-0123456789abcdef"), "{\"request_id\":\"half",
                StandardCharsets.UTF_8);

        assertEquals("req-1", journal.pending().orElseThrow().requestId(), "the crash left the old file whole");

        journal.record(entry("req-2"));
        assertEquals("req-2", journal.pending().orElseThrow().requestId());
        StateFolder.open(dir); // the next start clears what a crash left
        assertEquals(List.of("pending-reboot.json"), files());
    }

    @Test
    void missingStateFolderIsCreatedOnTheFirstWrite() throws Exception {
        Path state = dir.resolve("var/lib/orch");
        FileJournal journal = new FileJournal(state);

        journal.record(entry("req-1"));

        assertTrue(Files.isRegularFile(state.resolve("pending-reboot.json")));
        assertEquals("req-1", journal.pending().orElseThrow().requestId());
    }

    @Test
    void folderThatCannotBeCreatedIsAnIOException() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        FileJournal journal = new FileJournal(file.resolve("state"));

        assertThrows(IOException.class, () -> journal.record(entry("req-1")));
    }

    @Test
    void fileIsPlainJsonThatNamesTheRequestAndTheBootId() throws Exception {
        new FileJournal(dir).record(entry("req-1"));

        String json = Files.readString(dir.resolve("pending-reboot.json"), StandardCharsets.UTF_8);

        assertTrue(json.contains("\"request_id\":\"req-1\""), json);
        assertTrue(json.contains("\"boot_id\":\"boot-a\""), json);
        assertTrue(json.contains("\"scheduled_at\":\"2024-05-01T22:00:00Z\""), json);
    }

    static Stream<Arguments> damage() {
        return Stream.of(
                arguments("truncated JSON", "{\"request_id\":\"req-1\",\"boot_id\":"),
                arguments("not JSON at all", "\u0000\u0001garbage"),
                arguments("a JSON array", "[\"req-1\"]"),
                arguments("no request id", "{\"boot_id\":\"boot-a\",\"scheduled_at\":\"2024-05-01T22:00:00Z\"}"),
                arguments("request id a number", "{\"request_id\":42,\"scheduled_at\":\"2024-05-01T22:00:00Z\"}"),
                arguments("time that is not a time", "{\"request_id\":\"req-1\",\"boot_id\":\"boot-a\","
                        + "\"scheduled_at\":\"yesterday\",\"rebooted_at\":\"yesterday\"}"),
                arguments("time missing", "{\"request_id\":\"req-1\",\"boot_id\":\"boot-a\"}"),
                arguments("reasons not a list of objects", "{\"request_id\":\"req-1\",\"boot_id\":\"boot-a\","
                        + "\"reasons\":[1,2],\"scheduled_at\":\"2024-05-01T22:00:00Z\","
                        + "\"rebooted_at\":\"2024-05-01T22:00:00Z\"}"));
    }

    @ParameterizedTest(name = "pending: {0}")
    @MethodSource("damage")
    void damagedPendingFileIsAnIOExceptionNamingThePath(String what, String content) throws Exception {
        assertDamaged("pending-reboot.json", content, journal -> journal::pending);
    }

    @ParameterizedTest(name = "last: {0}")
    @MethodSource("damage")
    void damagedLastRebootFileIsAnIOExceptionNamingThePath(String what, String content) throws Exception {
        assertDamaged("last-reboot.json", content, journal -> journal::last);
    }

    private void assertDamaged(String name, String content, java.util.function.Function<FileJournal, Executable> read)
            throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);

        IOException e = assertThrows(IOException.class, read.apply(new FileJournal(dir)));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(Files.exists(file), "a damaged journal is left for the operator to look at");
    }

    @Test
    void damagedPendingFileDoesNotStopANewRecordFromReplacingIt() throws Exception {
        Files.writeString(dir.resolve("pending-reboot.json"), "{{{", StandardCharsets.UTF_8);
        FileJournal journal = new FileJournal(dir);

        journal.record(entry("req-2"));

        assertEquals("req-2", journal.pending().orElseThrow().requestId());
    }

    @Test
    void memoryJournalKeepsWhatItWasGivenUntilCleared() {
        MemoryJournal journal = new MemoryJournal();
        LastReboot last = new LastReboot("req-0", SCHEDULED, REASONS, true);
        journal.record(entry("req-1"));
        journal.recordLast(last);

        journal.clear();

        assertFalse(journal.pending().isPresent());
        assertEquals(Optional.of(last), journal.last());
    }
}
