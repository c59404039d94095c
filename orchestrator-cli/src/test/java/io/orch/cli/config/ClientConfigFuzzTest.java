package io.orch.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.orch.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whatever {@code client.yaml} holds, {@link ClientConfig#load} returns (it documents that it never
 * throws for what the user wrote) and asking for the settings gives them or a {@link UsageException}
 * naming the first problem. Seeds: deploy/config/client.yaml and bad shapes, in
 * {@code ClientConfigFuzzTestInputs/load/}. See docs/fuzzing.md.
 */
class ClientConfigFuzzTest {

    private static final Path FILE = tempFile();

    @FuzzTest
    void load(byte[] yaml) throws IOException {
        Files.write(FILE, yaml);
        ClientConfig config = ClientConfig.load(Map.of(), FILE, null);
        config.toString();
        try {
            assertEquals(ClientConfig.Key.values().length, config.settings().size());
        } catch (UsageException documented) {
            assertFalse(config.problems().isEmpty(), "a refusal comes from a problem found while reading");
            assertFalse(documented.getMessage().isBlank(), "a refusal says what is wrong");
        }
    }

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("client", ".yaml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
