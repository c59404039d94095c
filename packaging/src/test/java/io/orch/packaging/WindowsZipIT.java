package io.orch.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The Windows node's zip: the jar, its lib/ with JNA (registry and shutdown), the WinSW config, the configs. */
class WindowsZipIT {
    @Test
    void theZipHoldsWhatTheServiceConfigNames() throws Exception {
        Path zip;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> found = files.filter(f -> f.getFileName().toString().matches("orch-responder-.*-windows\\.zip"))
                    .toList();
            assertEquals(1, found.size(), found::toString);
            zip = found.get(0);
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> names = z.stream().map(ZipEntry::getName).toList();
            for (String name : List.of("orch-responder.jar", "orch-responder.xml", "ProgramData/responder.yaml",
                    "ProgramData/logback.xml", "ProgramData/policy.yaml.example")) {
                assertTrue(names.contains(name), name + " in " + names);
            }
            assertTrue(names.stream().anyMatch(n -> n.matches("lib/jna-platform-.*\\.jar")), names::toString);
            assertTrue(names.stream().anyMatch(n -> n.matches("lib/activemq-client-.*\\.jar")), names::toString);
            String service = new String(z.getInputStream(z.getEntry("orch-responder.xml")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(service.contains("-jar \"C:\\Program Files\\orch\\orch-responder.jar\""), service);
            assertTrue(service.contains("--config \"C:\\ProgramData\\orch\\responder.yaml\""), service);
        }
    }
}
