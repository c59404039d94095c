package io.orch.playground.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.responder.security.NodeSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabNodeKeysTest {
    private final Clock clock = Clock.systemUTC();

    @Test
    void aNodeOfTheNextLabInTheSameFolderHasTheKeyItHadBefore(@TempDir Path dir) throws Exception {
        LabPki first = LabPki.openOrCreate(dir, clock);
        NodeSecurity before = first.node("lab-0001", clock);
        first.keepNodeKeys();
        Path kept = dir.resolve(LabNodeKeys.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));

        LabPki next = LabPki.openOrCreate(dir, clock);
        NodeSecurity after = next.node("lab-0001", clock);
        assertEquals(before.credentials().certificate(), after.credentials().certificate());
        assertEquals(before.credentials().key(), after.credentials().key());
        assertEquals("lab-0001", after.name());
        // Each node still its own: another identity gets another key.
        assertNotEquals(after.credentials().key(), next.node("lab-0002", clock).credentials().key());
    }

    @Test
    void keysNeitherUsedNorNewAreKeptAsTheyWereWhenTheFileIsWrittenAgain(@TempDir Path dir) throws Exception {
        LabPki first = LabPki.openOrCreate(dir, clock);
        NodeSecurity one = first.node("lab-0001", clock);
        NodeSecurity two = first.node("lab-0002", clock);
        first.keepNodeKeys();

        // A smaller lab in the same folder: lab-0001 used (decoded), lab-0003 new, lab-0002 never looked at.
        LabPki second = LabPki.openOrCreate(dir, clock);
        assertEquals(one.credentials().certificate(), second.node("lab-0001", clock).credentials().certificate());
        NodeSecurity three = second.node("lab-0003", clock);
        second.keepNodeKeys();

        LabPki third = LabPki.openOrCreate(dir, clock);
        assertEquals(one.credentials().certificate(), third.node("lab-0001", clock).credentials().certificate());
        assertEquals(two.credentials().certificate(), third.node("lab-0002", clock).credentials().certificate());
        assertEquals(three.credentials().certificate(), third.node("lab-0003", clock).credentials().certificate());
        assertEquals(3, Files.readAllLines(dir.resolve(LabNodeKeys.FILE_NAME)).size());
    }

    @Test
    void aKeptKeyOfAnotherLabsCaIsNeverUsedButIssuedAnew(@TempDir Path a, @TempDir Path b) throws Exception {
        LabPki labA = LabPki.openOrCreate(a, clock);
        NodeSecurity ofA = labA.node("lab-0001", clock);
        labA.keepNodeKeys();
        LabPki labB = LabPki.openOrCreate(b, clock);
        Files.copy(a.resolve(LabNodeKeys.FILE_NAME), b.resolve(LabNodeKeys.FILE_NAME));

        NodeSecurity ofB = labB.node("lab-0001", clock);
        assertNotEquals(ofA.credentials().certificate(), ofB.credentials().certificate());
        assertEquals(labB.siteCa(), ofB.credentials().ca());
        labB.keepNodeKeys();
        assertTrue(Files.readString(b.resolve(LabNodeKeys.FILE_NAME)).contains(
                java.util.Base64.getEncoder().encodeToString(ofB.credentials().certificate().getEncoded())));
    }

    @Test
    void aKeptKeyUnderAnotherNodesNameIsIssuedAnew(@TempDir Path dir) throws Exception {
        LabPki lab = LabPki.openOrCreate(dir, clock);
        NodeSecurity one = lab.node("lab-0001", clock);
        lab.keepNodeKeys();
        Path kept = dir.resolve(LabNodeKeys.FILE_NAME);
        Files.writeString(kept, Files.readString(kept).replace("lab-0001 ", "lab-0002 "));

        NodeSecurity two = LabPki.openOrCreate(dir, clock).node("lab-0002", clock);
        assertEquals("lab-0002", two.name());
        assertNotEquals(one.credentials().certificate(), two.credentials().certificate());
    }

    @Test
    void anUnreadableKeysFileMeansNewKeysNotAFailedLab(@TempDir Path dir) throws Exception {
        LabPki.openOrCreate(dir, clock);
        Files.writeString(dir.resolve(LabNodeKeys.FILE_NAME), "lab-0001 not-base64! nor-this\n");
        assertEquals("lab-0001", LabPki.openOrCreate(dir, clock).node("lab-0001", clock).name());
    }
}
