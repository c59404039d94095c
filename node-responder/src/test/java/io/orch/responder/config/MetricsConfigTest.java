package io.orch.responder.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code metrics:} section of responder.yaml: read, defaulted and checked before the node starts. */
class MetricsConfigTest {
    @TempDir
    Path dir;

    private ResponderConfig load(String yaml) throws Exception {
        Path file = dir.resolve("responder.yaml");
        Files.writeString(file, yaml);
        return ResponderConfig.load(file);
    }

    @Test
    void offUnlessTheFileSaysWhere() throws Exception {
        ResponderConfig.Metrics metrics = load("identity: web01\n").metrics();

        assertFalse(metrics.on());
        assertNull(metrics.textfile());
        assertNull(metrics.listen());
        assertEquals(60, metrics.intervalS());
    }

    @Test
    void everyKeyIsRead() throws Exception {
        ResponderConfig.Metrics metrics = load("""
                metrics:
                  textfile: /var/lib/prometheus/node-exporter/orch.prom
                  interval_s: 30
                  listen: 127.0.0.1:9469
                """).metrics();

        assertTrue(metrics.on());
        assertEquals("/var/lib/prometheus/node-exporter/orch.prom", metrics.textfile());
        assertEquals(30, metrics.intervalS());
        assertEquals("127.0.0.1:9469", metrics.listen());
        assertEquals(metrics, ResponderWiring.metrics(metrics));
    }

    @Test
    void aMistypedKeyIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("metrics:\n  text_file: /x.prom\n"));
        assertTrue(e.getMessage().contains("text_file"), e.getMessage());
    }

    @Test
    void badValuesAreConfigErrorsThatSayWhatIsWanted() throws Exception {
        String relative = assertThrows(ConfigException.class, () -> ResponderWiring.metrics(
                load("metrics:\n  textfile: orch.prom\n").metrics())).getMessage();
        assertTrue(relative.startsWith("metrics.textfile must be an absolute path ending in .prom"), relative);
        String notProm = assertThrows(ConfigException.class, () -> ResponderWiring.metrics(
                load("metrics:\n  textfile: /var/lib/prometheus/node-exporter/orch.txt\n").metrics())).getMessage();
        assertTrue(notProm.contains("ending in .prom"), notProm);
        String often = assertThrows(ConfigException.class, () -> ResponderWiring.metrics(
                load("metrics:\n  textfile: /x/orch.prom\n  interval_s: 1\n").metrics())).getMessage();
        assertEquals("metrics.interval_s must be between 10 and 3600, got 1", often);
        String listen = assertThrows(ConfigException.class, () -> ResponderWiring.metrics(
                load("metrics:\n  listen: localhost\n").metrics())).getMessage();
        assertTrue(listen.contains("is not host:port"), listen);
        String port = assertThrows(ConfigException.class, () -> ResponderWiring.metrics(
                load("metrics:\n  listen: 127.0.0.1:99999\n").metrics())).getMessage();
        assertTrue(port.contains("has no port between 1 and 65535"), port);
    }
}
