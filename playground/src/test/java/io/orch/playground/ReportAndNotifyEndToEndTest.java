package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --report-file} and {@code --notify} as a timer job uses them: the table on stdout, the JSON report in a
 * file, the summary posted to a webhook (a real HTTP server on loopback), and what happens when either fails.
 */
class ReportAndNotifyEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stands for the secret part of a Slack webhook's address: it must never be printed. */
    private static final String SECRET = "T000-B000-XXXXsecretXXXX";

    @TempDir
    Path dir;

    private HttpServer hook;
    private final List<Posted> posted = new CopyOnWriteArrayList<>();
    private volatile int answer = 200;

    private record Posted(String method, String contentType, String userAgent, JsonNode body) {
    }

    @BeforeEach
    void webhook() throws IOException {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hooks/" + SECRET, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            posted.add(new Posted(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("User-Agent"),
                    JSON.readTree(new String(body, StandardCharsets.UTF_8))));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        hook.start();
    }

    @AfterEach
    void stopWebhook() {
        hook.stop(0);
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + hook.getAddress().getPort() + "/hooks/" + SECRET;
    }

    @Test
    void theTableGoesToStdoutTheReportToTheFileAndTheSummaryToTheWebhook() throws Exception {
        Path report = dir.resolve("reports").resolve("noop.json");
        Files.createDirectories(report.getParent());
        try (LabFixture fixture = LabFixture.start(6, 0.5, 7, dir.resolve("lab"))) {
            Cli.Result result = Cli.run("reboot", "-F", "reboot_pending=true", "--noop", "--report-file",
                    report.toString(), "--notify", hookUrl(), "--broker", fixture.url());

            assertEquals(0, result.exitCode(), result::toString);
            assertFalse(result.out().trim().startsWith("{"), "stdout keeps the table: " + result);
            JsonNode written = JSON.readTree(report.toFile());
            assertEquals("orch.report.v1", written.get("protocol").asText());
            assertEquals(0, written.get("exit_code").asInt());
            int noop = written.get("summary").get("noop").asInt();
            assertTrue(noop > 0 && noop < 6, written::toPrettyString);
            assertTrue(result.out().contains(written.get("summary_line").asText()), result::toString);

            assertEquals(1, posted.size(), posted::toString);
            Posted post = posted.get(0);
            assertEquals("POST", post.method());
            assertTrue(post.contentType().startsWith("application/json"), post::toString);
            assertTrue(post.userAgent().startsWith("orch/"), post::toString);
            String text = post.body().get("text").asText();
            assertTrue(text.startsWith("orch reboot on "), text);
            assertTrue(text.endsWith("(noop): " + written.get("summary_line").asText() + " (exit 0)"), text);
            JsonNode orch = post.body().get("orch");
            assertEquals("orch.notify.v1", orch.get("protocol").asText());
            assertEquals("reboot", orch.get("action").asText());
            assertTrue(orch.get("noop").asBoolean());
            assertEquals(0, orch.get("exit_code").asInt());
            assertEquals(written.get("summary"), orch.get("summary"));
            assertEquals(written.get("request_ids"), orch.get("request_ids"));
            assertFalse(result.err().contains("warning"), result::toString);
        }
    }

    @Test
    void aWebhookThatRefusesIsAWarningWithoutItsSecretAndTheExitCodeIsTheRuns() throws Exception {
        answer = 500;
        try (LabFixture fixture = LabFixture.start(3, 0.0, 7, dir.resolve("lab"))) {
            Cli.Result result = Cli.run("ping", "--notify", hookUrl(), "--broker", fixture.url());

            assertEquals(0, result.exitCode(), result::toString);
            assertEquals(1, posted.size());
            assertTrue(result.err().contains("orch: warning: --notify: http://127.0.0.1:" + hook.getAddress().getPort()
                    + "/... answered HTTP 500; the summary was not taken; the exit code is the run's"), result::toString);
            assertFalse(result.err().contains(SECRET) || result.out().contains(SECRET), result::toString);
        }
    }

    @Test
    void aWebhookNobodyListensOnIsAWarningAndTheRunStillCounts() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        try (LabFixture fixture = LabFixture.start(3, 0.0, 7, dir.resolve("lab"))) {
            Cli.Result result = Cli.run("ping", "--nodes", nodesFile("lab-0001", "lab-0002", "lab-0003", "lab-0042")
                    .toString(), "--discovery-timeout", "2s", "--notify", "http://127.0.0.1:" + closed + "/hooks/" + SECRET,
                    "--broker", fixture.url());

            assertEquals(4, result.exitCode(), result::toString);
            assertTrue(result.err().contains("orch: warning: --notify: could not post to http://127.0.0.1:" + closed
                    + "/..."), result::toString);
            assertFalse(result.err().contains(SECRET), result::toString);
        }
    }

    @Test
    void aRunThatCannotReachTheBrokerIsPostedWithExitThree() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Cli.Result result = Cli.run("reboot", "-F", "reboot_pending=true", "--connect-timeout", "1s",
                "--notify", hookUrl(), "--broker", "ssl://127.0.0.1:" + closed);

        assertEquals(3, result.exitCode(), result::toString);
        assertEquals(1, posted.size(), result::toString);
        JsonNode orch = posted.get(0).body().get("orch");
        assertEquals(3, orch.get("exit_code").asInt());
        assertEquals("reboot", orch.get("action").asText());
        assertTrue(orch.get("error").asText().contains("127.0.0.1:" + closed), orch::toPrettyString);
        assertTrue(posted.get(0).body().get("text").asText().startsWith("orch reboot on "), posted::toString);
    }

    @Test
    void aReportFileInAFolderThatIsNotThereStopsTheRunBeforeAnythingIsSent() throws Exception {
        Path report = dir.resolve("no-such-folder").resolve("r.json");
        Cli.Result result = Cli.run("reboot", "-F", "reboot_pending=true", "--report-file", report.toString(),
                "--broker", "ssl://127.0.0.1:1");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("--report-file " + report + ": the folder " + report.getParent()
                + " does not exist; create it first (mkdir -p)"), result::toString);
        assertEquals(0, posted.size());
    }

    @Test
    void aBadWebhookAddressStopsTheRunBeforeAnythingIsSent() {
        Cli.Result result = Cli.run("ping", "--notify", "ftp://hooks.example.com/x", "--broker", "ssl://127.0.0.1:1");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("--notify: 'ftp://hooks.example.com/...' is not an http or https address"),
                result::toString);
    }

    @Test
    void aReportThatCannotBeWrittenAtTheEndMakesAGoodRunExitSix() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("reports"));
        Path report = folder.resolve("ping.json");
        try (LabFixture fixture = LabFixture.start(3, 0.0, 7, dir.resolve("lab"))) {
            // The folder goes away while the run is on the bus (as a cleanup job or a full disk would have it).
            ActiveMQConnectionFactory factory = Cli.PKI.connectionFactory(fixture.url());
            try (Connection watcher = factory.createConnection()) {
                watcher.start();
                Session session = watcher.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createConsumer(session.createTopic("orch.broadcast")).setMessageListener(m -> {
                    try {
                        Files.deleteIfExists(folder);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Cli.Result result = Cli.run("ping", "--report-file", report.toString(), "--broker", fixture.url());

                assertEquals(6, result.exitCode(), result::toString);
                assertTrue(result.out().contains("3 ok, 0 failed"), result::toString);
                assertTrue(result.err().contains("orch: error: could not write the report to " + report
                        + ": no such folder (exit code 6)"), result::toString);
            }
        }
    }

    private Path nodesFile(String... nodes) throws IOException {
        Path file = dir.resolve("nodes.txt");
        Files.writeString(file, String.join("\n", nodes) + "\n");
        return file;
    }
}
