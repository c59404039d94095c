package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orch bench-soak} (bench/soak.sh) at small scale, on a real broker and lab: real signed pings back to
 * back on one connection, every request hearing every node; and a node gone from the bus is a lost reply,
 * named in the request's line and the summary, with exit 4.
 */
class SoakBenchTest {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^sample requests=(\\d+) heap_after_gc_kb=(\\d+) "
            + "rss_kb=(\\d+) elapsed_s=");

    @TempDir
    Path dir;

    @Test
    void everyRequestOfTheSoakHearsEveryNodeAndMemoryIsSampled() throws Exception {
        try (LabFixture fixture = LabFixture.start(5, 0.0, 17, dir.resolve("lab"))) {
            Cli.Result soak = Cli.run("bench-soak", "--expect", "5", "--requests", "10", "--sample-every", "5",
                    "--broker", fixture.url());
            assertEquals(0, soak.exitCode(), soak::toString);
            for (int i = 1; i <= 10; i++) {
                assertTrue(soak.out().contains("request " + i + ": 5/5 heard, "), soak::toString);
            }
            assertTrue(soak.out().contains("summary: 10 requests to 5 nodes, 10 heard every node, 0 lost replies"),
                    soak::toString);
            // Before the first request, after the fifth and after the tenth.
            Matcher samples = SAMPLE.matcher(soak.out());
            StringBuilder at = new StringBuilder();
            while (samples.find()) {
                at.append(samples.group(1)).append(' ');
                assertTrue(Long.parseLong(samples.group(2)) > 0, soak::toString);
                assertTrue(Long.parseLong(samples.group(3)) > 0, soak::toString);
            }
            assertEquals("0 5 10 ", at.toString(), soak::toString);
        }
    }

    @Test
    void aNodeGoneFromTheBusIsALostReplyNamedInEachRequest() throws Exception {
        try (LabFixture fixture = LabFixture.start(5, 0.0, 19, dir.resolve("lab"))) {
            fixture.lab.node("lab-0003").disconnect(); // known from its announcement, no longer answering
            Cli.Result soak = Cli.run("bench-soak", "--expect", "5", "--requests", "2", "--discovery-timeout", "2s",
                    "--broker", fixture.url());
            assertEquals(4, soak.exitCode(), soak::toString);
            assertTrue(soak.out().contains("request 1: 4/5 heard, "), soak::toString);
            assertTrue(soak.out().contains("request 2: 4/5 heard, "), soak::toString);
            assertTrue(soak.out().contains("exit 4, missing lab-0003\n"), soak::toString);
            assertTrue(soak.out().contains("summary: 2 requests to 5 nodes, 0 heard every node, 2 lost replies"),
                    soak::toString);
            assertTrue(soak.out().contains("summary: request 2 heard 4/5, exit 4, missing lab-0003"),
                    soak::toString);
        }
    }
}
