package io.orch.responder.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.responder.audit.AuditEntry;
import io.orch.responder.audit.FileAuditLog;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.replay.SeenRequests;
import io.orch.trust.Verifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state folder's checks at start and how its files are made. The tests run as root, whom
 * modes never stop: ownership is tested with files chowned to another uid, and modes by what the
 * checks read, not by a write being refused.
 */
class StateFolderTest {
    private static final int OTHER_UID = 4242;

    @TempDir
    Path dir;

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static JournalEntry entry(String id) {
        return new JournalEntry(id, "alice", "laptop", "boot-a", List.of(), 60, Instant.parse("2026-01-01T00:00:00Z"),
                null, null);
    }

    @Test
    void newFolderIsOwnerOnlyAndEveryFileInItToo() throws Exception {
        Path state = dir.resolve("var/lib/orch");

        StateFolder folder = StateFolder.open(state);
        new FileJournal(folder).record(entry("req-1"));
        SeenRequests.open(folder, Clock.systemUTC()).firstSeen("req-2", Instant.now().plusSeconds(60), true);
        new FileAuditLog(folder, Clock.systemUTC()).record(new AuditEntry(Instant.now(), "req-3",
                new Verifier.Signer("alice", true), true, "laptop", "ping", Map.of(), "ok", "ok", "", List.of()));

        assertEquals("rwx------", mode(state));
        try (Stream<Path> files = Files.list(state)) {
            for (Path file : files.toList()) {
                assertEquals("rw-------", mode(file), file.toString());
            }
        }
        try (Stream<Path> files = Files.list(state)) {
            assertEquals(List.of("audit.jsonl", "pending-reboot.json", "seen-requests"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
    }

    @Test
    void folderWritableByOthersIsRefusedNamingThePathAndTheFix() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));

        StateFolderException e = assertThrows(StateFolderException.class, () -> StateFolder.open(state));

        assertEquals("state folder " + state + " is writable by group or others (mode 0777): anyone could plant or "
                + "replace the journal the node trusts after boot; fix: chmod 0700 " + state, e.getMessage());
    }

    @Test
    void folderWritableByItsGroupIsRefusedToo() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwx---"));

        StateFolderException e = assertThrows(StateFolderException.class, () -> StateFolder.open(state));

        assertTrue(e.getMessage().contains("(mode 0770)"), e.getMessage());
    }

    @Test
    void folderOwnedByAnotherUserIsRefusedWithTheChown() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setAttribute(state, "unix:uid", OTHER_UID);

        StateFolderException e = assertThrows(StateFolderException.class, () -> StateFolder.open(state));

        assertTrue(e.getMessage().startsWith("state folder " + state + " is owned by uid " + OTHER_UID
                + ", not by the user the responder runs as"), e.getMessage());
        assertTrue(e.getMessage().contains("fix: chown "), e.getMessage());
    }

    @Test
    void folderThatIsASymlinkIsRefused() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path state = Files.createSymbolicLink(dir.resolve("state"), real);

        StateFolderException e = assertThrows(StateFolderException.class, () -> StateFolder.open(state));

        assertTrue(e.getMessage().startsWith("state folder " + state + " is a symlink"), e.getMessage());
    }

    @Test
    void parentWritableByOthersWithoutTheStickyBitIsRefused() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));

        StateFolderException e = assertThrows(StateFolderException.class,
                () -> StateFolder.open(parent.resolve("orch")));

        assertTrue(e.getMessage().contains("its parent " + parent + " is writable by group or others (mode 0777)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("fix: chmod go-w " + parent), e.getMessage());
    }

    @Test
    void parentWritableByOthersWithTheStickyBitIsFineAsTmpIs() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("sticky"));
        Files.setAttribute(parent, "unix:mode", 01777);

        StateFolder.open(parent.resolve("orch"));
    }

    @Test
    void parentOwnedByAnotherUserIsRefused() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("theirs"));
        Files.setAttribute(parent, "unix:uid", OTHER_UID);

        StateFolderException e = assertThrows(StateFolderException.class,
                () -> StateFolder.open(parent.resolve("orch")));

        assertTrue(e.getMessage().contains("its parent " + parent + " is owned by uid " + OTHER_UID), e.getMessage());
    }

    @Test
    void fileOwnedByAnotherUserIsRefused() throws Exception {
        Path state = StateFolder.open(dir.resolve("state")).dir();
        Path planted = Files.writeString(state.resolve("pending-reboot.json"), "{}");
        Files.setAttribute(planted, "unix:uid", OTHER_UID);

        StateFolderException e = assertThrows(StateFolderException.class, () -> StateFolder.open(state));

        assertTrue(e.getMessage().startsWith("state file " + planted + " is owned by uid " + OTHER_UID),
                e.getMessage());
    }

    @Test
    void folderAndFilesOthersCanOnlyReadAreMadeOwnerOnly() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Path audit = Files.writeString(state.resolve("audit.jsonl"), "{}\n");
        Files.setPosixFilePermissions(audit, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));

        StateFolder.open(state);

        assertEquals("rwx------", mode(state));
        assertEquals("rw-------", mode(audit));
    }

    @Test
    void symlinkPlantedInTheFolderStopsTheStart() throws Exception {
        Path state = StateFolder.open(dir.resolve("state")).dir();
        Files.createSymbolicLink(state.resolve("audit.jsonl"), dir.resolve("elsewhere"));

        StateFolderException e = assertThrows(StateFolderException.class, () -> StateFolder.open(state));

        assertTrue(e.getMessage().contains("holds a symlink audit.jsonl"), e.getMessage());
    }

    @Test
    void journalWriteReplacesASymlinkAndNeverWritesThroughIt() throws Exception {
        StateFolder folder = StateFolder.open(dir.resolve("state"));
        Path target = Files.writeString(dir.resolve("shadow"), "untouched", StandardCharsets.UTF_8);
        Files.createSymbolicLink(folder.resolve("pending-reboot.json"), target);

        new FileJournal(folder).record(entry("req-1"));

        assertEquals("untouched", Files.readString(target));
        assertFalse(Files.isSymbolicLink(folder.resolve("pending-reboot.json")));
        assertEquals("req-1", new FileJournal(folder).pending().orElseThrow().requestId());
    }

    @Test
    void journalReadRefusesASymlink() throws Exception {
        StateFolder folder = StateFolder.open(dir.resolve("state"));
        Path target = Files.writeString(dir.resolve("forged.json"), "{\"request_id\":\"forged\"}");
        Files.createSymbolicLink(folder.resolve("last-reboot.json"), target);

        IOException e = assertThrows(IOException.class, () -> new FileJournal(folder).last());

        assertTrue(e.getMessage().contains("is a symlink"), e.getMessage());
    }

    @Test
    void auditAppendRefusesASymlink() throws Exception {
        StateFolder folder = StateFolder.open(dir.resolve("state"));
        Path target = Files.writeString(dir.resolve("shadow"), "untouched", StandardCharsets.UTF_8);
        Files.createSymbolicLink(folder.resolve("audit.jsonl"), target);

        new FileAuditLog(folder, Clock.systemUTC()).record(new AuditEntry(Instant.now(), "req-3",
                new Verifier.Signer("alice", true), true, "laptop", "ping", Map.of(), "ok", "ok", "", List.of()));

        assertEquals("untouched", Files.readString(target), "the failed write is logged, the target untouched");
    }

    @Test
    void probeLeavesNothingBehindAndFailsLikeTheDisk() throws Exception {
        Disk full = new Disk() {
            @Override
            public void write(Path file, java.nio.channels.FileChannel out, java.nio.ByteBuffer bytes)
                    throws IOException {
                throw new java.nio.file.FileSystemException(file.toString(), null, "No space left on device");
            }

            @Override
            public void force(Path file, java.nio.channels.FileChannel out) {
            }
        };
        StateFolder folder = StateFolder.open(dir.resolve("state"), full);

        IOException e = assertThrows(IOException.class, () -> folder.probe("pending-reboot.json", new byte[100]));

        assertTrue(e.getMessage().endsWith("No space left on device"), e.getMessage());
        try (Stream<Path> files = Files.list(folder.dir())) {
            assertEquals(0, files.count());
        }
        StateFolder.open(dir.resolve("state")).probe("pending-reboot.json", new byte[100]);
        try (Stream<Path> files = Files.list(folder.dir())) {
            assertEquals(0, files.count());
        }
        assertArrayEquals(null, folder.read("pending-reboot.json", 10));
    }

    /**
     * The same on a real full file system, where one can be had: a 64 KiB tmpfs, filled. Mounting needs
     * CAP_SYS_ADMIN; without it this test is skipped and the {@link Disk} seam above stands alone.
     */
    @Test
    void reallyFullFileSystemFailsTheJournalCheckWithTheOsReason() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs",
                small.toString()).redirectErrorStream(true).start();
        mount.getInputStream().readAllBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here");
        try {
            FileJournal journal = new FileJournal(StateFolder.open(small.resolve("state")));
            try (var out = Files.newOutputStream(small.resolve("filler"))) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (IOException full) {
                assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
            }

            IOException e = assertThrows(IOException.class, () -> journal.checkWritable(entry("req-1")));

            assertEquals("cannot write the journal in the state folder " + small.resolve("state")
                    + " (No space left on device)", e.getMessage());
            assertTrue(journal.pending().isEmpty());
            try (Stream<Path> files = Files.list(small.resolve("state"))) {
                assertEquals(0, files.count(), "no temporary file left");
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
        }
    }
}
