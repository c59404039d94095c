package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.stream.Stream;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CliErrorsTest {

    static Stream<Arguments> badFilters() {
        return Stream.of(
                Arguments.of(new String[] {"-F", "os.family=~/[/"}, "/[/"),
                Arguments.of(new String[] {"-F", "os.family debian"}, "debian"),
                Arguments.of(new String[] {"-S", "a=1 and (b=2"}, "("),
                Arguments.of(new String[] {"-S", "a=1 or"}, "or"),
                Arguments.of(new String[] {"-I", "/web(/"}, "/web(/"));
    }

    @ParameterizedTest
    @MethodSource("badFilters")
    void badFilterExitsTwoNamingTheTokenAndPublishesNothing(String[] filter, String token) throws Exception {
        try (SchemaCheckedBroker broker = SchemaCheckedBroker.start()) {
            // A node's certificate: on this broker only nodes may read the broadcast.
            ActiveMQConnectionFactory factory = Cli.PKI.connectionFactory(broker.url());
            try (Connection connection = factory.createConnection()) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer broadcast = session.createConsumer(session.createTopic("orch.broadcast"));
                String[] args = Stream.concat(Stream.of("reboot", "--broker", broker.url()), Stream.of(filter))
                        .toArray(String[]::new);
                Cli.Result result = Cli.run(args);
                assertEquals(2, result.exitCode(), result::toString);
                assertTrue(result.err().contains(token), result::toString);
                assertTrue(result.err().contains("bad filter"), result::toString);
                assertNull(broadcast.receive(500), "a request was published despite the bad filter");
            }
        }
    }

    @Test
    void unreachableBrokerExitsThree() throws Exception {
        Cli.Result result = Cli.run("ping", "--broker", "tcp://127.0.0.1:" + freePort());
        assertEquals(3, result.exitCode(), result::toString);
        assertTrue(result.err().contains("cannot connect to broker"), result::toString);
    }

    @Test
    void unreachableBrokerBehindFailoverExitsThreeAtTheConnectTimeout() throws Exception {
        Cli.Result result = Cli.run("ping", "--connect-timeout", "1s",
                "--broker", "failover:(tcp://127.0.0.1:" + freePort() + ")");
        assertEquals(3, result.exitCode(), result::toString);
        assertTrue(result.err().contains("within 1s"), result::toString);
    }

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of(new String[] {"reboot", "--timeout", "soon"}, "--timeout"),
                Arguments.of(new String[] {"reboot", "--delay", "-5s"}, "--delay"),
                Arguments.of(new String[] {"reboot", "--no-such-flag"}, "--no-such-flag"),
                Arguments.of(new String[] {"ping", "--collective", "a.b>"}, "--collective"),
                Arguments.of(new String[] {"ping", "--nodes", "/nonexistent/nodes.txt"}, "--nodes"),
                Arguments.of(new String[] {"lab", "--pending", "150%"}, "--pending"),
                Arguments.of(new String[] {"reboot", "-F", "a=1", "--onlyif", "kernel_update", "--unless", "x"},
                        "--onlyif and --unless"),
                Arguments.of(new String[] {"reboot", "-F", "a=1", "--onlyif", "Kernel Update"}, "--onlyif"));
    }

    @ParameterizedTest
    @MethodSource("badFlags")
    void badFlagExitsTwoNamingTheFlag(String[] args, String flag) {
        Cli.Result result = Cli.run(args);
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains(flag), result::toString);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
