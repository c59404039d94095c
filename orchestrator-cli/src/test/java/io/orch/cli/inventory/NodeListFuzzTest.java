package io.orch.cli.inventory;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.orch.cli.UsageException;
import io.orch.protocol.bus.Destinations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Whatever a {@code --nodes} file holds (any bytes, any encoding), {@link NodeList#read} gives a
 * non-empty set of valid identities or a {@link UsageException} naming the file. Seeds in
 * {@code NodeListFuzzTestInputs/read/}. See docs/fuzzing.md.
 */
class NodeListFuzzTest {

    private static final Path FILE = tempFile();

    @FuzzTest
    void read(byte[] content) throws IOException {
        Files.write(FILE, content);
        Set<String> nodes;
        try {
            nodes = NodeList.read("--nodes", FILE);
        } catch (UsageException documented) {
            assertFalse(documented.getMessage().isBlank(), "a refusal says what is wrong");
            return;
        }
        assertFalse(nodes.isEmpty());
        for (String node : nodes) {
            if (Destinations.identityProblem(node) != null) {
                throw new AssertionError("accepted a bad identity '" + node + "'");
            }
        }
    }

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("nodes", ".txt");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
