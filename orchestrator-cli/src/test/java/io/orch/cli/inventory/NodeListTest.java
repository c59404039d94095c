package io.orch.cli.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --nodes} and {@code --exclude-nodes} files. */
class NodeListTest {
    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        return Files.writeString(dir.resolve("nodes.txt"), content);
    }

    @Test
    void readsOneIdentityALineSkippingCommentsAndBlankLines() throws Exception {
        Path file = file("# web tier\nweb-02\n\n   web-01   # the old one\n\t\n#web-03\nweb.04_x\n");

        assertEquals(List.of("web-02", "web-01", "web.04_x"), List.copyOf(NodeList.read("--nodes", file)));
    }

    @Test
    void aRepeatedIdentityCountsOnce() throws Exception {
        assertEquals(List.of("a", "b"), List.copyOf(NodeList.read("--nodes", file("a\nb\na\n"))));
    }

    @Test
    void windowsLineEndingsAndNoFinalNewlineAreFine() throws Exception {
        assertEquals(List.of("a", "b"), List.copyOf(NodeList.read("--nodes", file("a\r\nb"))));
    }

    @Test
    void aBadIdentityNamesTheFlagTheFileAndTheLine() throws Exception {
        Path file = file("# comment\nweb-01\n\nweb 02\n");

        UsageException e = assertThrows(UsageException.class, () -> NodeList.read("--exclude-nodes", file));

        assertTrue(e.getMessage().startsWith("--exclude-nodes " + file + " line 4: "), e::getMessage);
        assertTrue(e.getMessage().contains("'web 02'"), e::getMessage);
    }

    @Test
    void aWildcardIsNotAnIdentity() throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> NodeList.read("--nodes", file("web-*\n")));

        assertTrue(e.getMessage().contains("line 1"), e::getMessage);
        assertTrue(e.getMessage().contains("'web-*'"), e::getMessage);
    }

    @Test
    void aListWithNoNodeIsAnError() throws Exception {
        Path file = file("# nobody yet\n\n");

        UsageException e = assertThrows(UsageException.class, () -> NodeList.read("--nodes", file));

        assertEquals("--nodes " + file + " lists no node", e.getMessage());
    }

    @Test
    void anEmptyFileIsAnError() throws Exception {
        Path file = file("");

        UsageException e = assertThrows(UsageException.class, () -> NodeList.read("--nodes", file));

        assertEquals("--nodes " + file + " lists no node", e.getMessage());
    }

    @Test
    void aMissingFileNamesTheFlagAndTheFile() {
        Path missing = dir.resolve("missing.txt");

        UsageException e = assertThrows(UsageException.class, () -> NodeList.read("--nodes", missing));

        assertEquals("--nodes " + missing + ": no such file", e.getMessage());
    }

    @Test
    void aDirectoryCannotBeRead() {
        UsageException e = assertThrows(UsageException.class, () -> NodeList.read("--nodes", dir));

        assertTrue(e.getMessage().startsWith("--nodes " + dir + ": cannot read"), e::getMessage);
    }

    @Test
    void aFileThatIsNotTextNamesTheFlagAndTheFile() throws Exception {
        Path file = Files.write(dir.resolve("binary.txt"), new byte[] {'a', '\n', (byte) 0xff, (byte) 0xfe, '\n'});

        UsageException e = assertThrows(UsageException.class, () -> NodeList.read("--nodes", file));

        assertTrue(e.getMessage().startsWith("--nodes " + file + ": cannot read"), e::getMessage);
    }
}
