package io.orch.cli.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of when each node was last heard from, kept between runs. */
class LastSeenTest {
    private static final Instant EARLY = Instant.parse("2026-01-02T03:04:05Z");
    private static final Instant LATE = Instant.parse("2026-03-04T05:06:07.123Z");

    @TempDir
    Path dir;

    private Path file(String collective) {
        return dir.resolve("last-seen-" + collective + ".json");
    }

    @Test
    void whatIsSavedLoadsBack() {
        LastSeen record = LastSeen.load(dir, "lab");
        record.saw("lab-0001", EARLY);
        record.saw("lab-0002", LATE);

        assertNull(record.save());
        LastSeen loaded = LastSeen.load(dir, "lab");

        assertEquals(Optional.of(EARLY), loaded.of("lab-0001"));
        assertEquals(Optional.of(LATE), loaded.of("lab-0002"));
        assertEquals(Optional.empty(), loaded.of("lab-0003"));
        assertTrue(Files.isRegularFile(file("lab")));
    }

    @Test
    void aRecordOfAnOlderOrchWithIsoTimesStillLoads() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(file("lab"), "{\"a\": \"" + EARLY + "\", \"b\": " + LATE.toEpochMilli() + "}");

        LastSeen loaded = LastSeen.load(dir, "lab");

        assertEquals(Optional.of(EARLY), loaded.of("a"));
        assertEquals(Optional.of(LATE), loaded.of("b"));
    }

    @Test
    void keepsTheLaterOfTwoTimesInEitherOrder() {
        LastSeen record = LastSeen.load(dir, "lab");
        record.saw("a", LATE);
        record.saw("a", EARLY);
        record.saw("b", EARLY);
        record.saw("b", LATE);

        assertEquals(Optional.of(LATE), record.of("a"));
        assertEquals(Optional.of(LATE), record.of("b"));
    }

    @Test
    void anEarlierTimeDoesNotOverwriteALaterSavedOne() {
        LastSeen first = LastSeen.load(dir, "lab");
        first.saw("a", LATE);
        first.save();

        LastSeen second = LastSeen.load(dir, "lab");
        second.saw("a", EARLY);
        second.save();

        assertEquals(Optional.of(LATE), LastSeen.load(dir, "lab").of("a"));
    }

    @Test
    void aMissingFileIsAnEmptyRecord() {
        assertEquals(Optional.empty(), LastSeen.load(dir.resolve("not-there"), "lab").of("a"));
    }

    @Test
    void aCorruptFileLoadsEmptyAndIsReplacedByTheNextSave() throws Exception {
        Files.writeString(file("lab"), "{\"a\": \"2026-01-02T03:04:05Z\", oops");

        LastSeen record = LastSeen.load(dir, "lab");
        assertEquals(Optional.empty(), record.of("a"));

        record.saw("b", LATE);
        assertNull(record.save());
        Map<?, ?> saved = new ObjectMapper().readValue(file("lab").toFile(), Map.class);

        assertEquals(Map.of("b", LATE.toEpochMilli()), saved);
        assertEquals(Optional.of(LATE), LastSeen.load(dir, "lab").of("b"));
    }

    @Test
    void aFileOfTheWrongShapeLoadsEmpty() throws Exception {
        Files.writeString(file("lab"), "[1, 2, 3]");

        assertEquals(Optional.empty(), LastSeen.load(dir, "lab").of("1"));
    }

    @Test
    void oneBadEntryIsForgottenAndTheOthersKept() throws Exception {
        Files.writeString(file("lab"), "{\"a\": \"yesterday\", \"b\": \"" + EARLY + "\"}");

        LastSeen record = LastSeen.load(dir, "lab");

        assertEquals(Optional.empty(), record.of("a"));
        assertEquals(Optional.of(EARLY), record.of("b"));
    }

    @Test
    void eachCollectiveHasItsOwnRecord() {
        LastSeen lab = LastSeen.load(dir, "lab");
        lab.saw("a", EARLY);
        lab.save();

        assertEquals(Optional.empty(), LastSeen.load(dir, "prod").of("a"));
        assertEquals(Optional.of(EARLY), LastSeen.load(dir, "lab").of("a"));
    }

    @Test
    void saveCreatesTheStateDirectory() {
        Path nested = dir.resolve("state").resolve("orch");
        LastSeen record = LastSeen.load(nested, "lab");
        record.saw("a", EARLY);

        assertNull(record.save());
        assertEquals(Optional.of(EARLY), LastSeen.load(nested, "lab").of("a"));
    }

    @Test
    void saveLeavesNoTemporaryFileBehind() throws Exception {
        LastSeen record = LastSeen.load(dir, "lab");
        record.saw("a", EARLY);
        record.save();
        record.saw("b", LATE);
        record.save();

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file("lab")), files.toList());
        }
    }

    @Test
    void saveIntoADirectoryThatCannotExistSaysWhyInsteadOfThrowing() throws Exception {
        Path regularFile = Files.writeString(dir.resolve("not-a-dir"), "x");
        LastSeen record = LastSeen.load(regularFile.resolve("orch"), "lab");
        record.saw("a", EARLY);

        String why = record.save();

        assertNotNull(why);
        assertTrue(why.startsWith("cannot record when nodes were last seen in "), why);
        assertTrue(why.contains(regularFile.resolve("orch").resolve("last-seen-lab.json").toString()), why);
    }

    @Test
    void theStateDirectoryFollowsXdgStateHome() {
        assertEquals(Path.of("/x/state", "orch"), LastSeen.defaultStateDir(Map.of("XDG_STATE_HOME", "/x/state")));
    }

    @Test
    void withoutXdgStateHomeItIsUnderTheHomeDirectory() {
        Path expected = Path.of(System.getProperty("user.home"), ".local", "state", "orch");

        assertEquals(expected, LastSeen.defaultStateDir(Map.of()));
        assertEquals(expected, LastSeen.defaultStateDir(Map.of("XDG_STATE_HOME", "  ")));
    }
}
