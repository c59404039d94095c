package io.orch.responder.config;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whatever {@code responder.yaml} holds, loading it and building what the responder builds from it at
 * start (the reboot executor, the freshness check) ends in a value or a {@link ConfigException} with a
 * message, never in anything else. Seeds: deploy/config/responder.yaml and the shapes of
 * ResponderConfigTest, in {@code ResponderConfigFuzzTestInputs/load/}. See docs/fuzzing.md.
 */
class ResponderConfigFuzzTest {

    private static final Path FILE = tempFile("responder", ".yaml");

    @FuzzTest
    void load(byte[] yaml) throws IOException {
        Files.write(FILE, yaml);
        try {
            ResponderConfig config = ResponderConfig.load(FILE);
            ResponderWiring.executor(config.reboot());
            ResponderWiring.freshness(config.requests());
        } catch (ConfigException documented) {
            assertFalse(documented.getMessage().isBlank(), "a refusal says what is wrong");
        }
    }

    static Path tempFile(String prefix, String suffix) {
        try {
            Path file = Files.createTempFile(prefix, suffix);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
