package io.orch.playground.bench;

import io.orch.cli.UsageException;
import io.orch.protocol.Limits;
import io.orch.protocol.bus.BrokerUrl;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.ActiveMQConnectionFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orch bench-raw-client}: one broadcast to the raw consumers, timed from just before the publish
 * to the last reply, on the same terms as orch's {@code timings_ms.discovery_last_reply}: the reply queue
 * exists before the clock starts, the clock stops when a reply is in hand.
 */
@Command(name = "bench-raw-client", hidden = true, mixinStandardHelpOptions = true,
        description = {"Benchmark only (bench/fanout.sh): publish one message to the raw consumers and print, "
                + "as one JSON line, how many answered and the milliseconds from publish to the last reply."})
public final class RawClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions bench;

    @Option(names = "--expect", required = true, description = "Replies to wait for.")
    int expect;

    @Option(names = "--timeout-ms", defaultValue = "60000",
            description = "Give up waiting after this long (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--rounds", defaultValue = "1",
            description = "Publish this many times, one after the other, in this JVM (a warm client from the second "
                    + "on); one JSON line each (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        if (expect < 1 || rounds < 1) {
            throw new UsageException("--expect and --rounds must be positive");
        }
        // As the CLI connects: orch's transport limits, no advisories, the CLI's prefetch.
        ActiveMQConnectionFactory factory = bench.factory(BrokerUrl.withTransportLimits(bench.url()), true);
        factory.setWatchTopicAdvisories(false);
        factory.getPrefetchPolicy().setQueuePrefetch(Limits.CLI_PREFETCH);
        factory.getPrefetchPolicy().setTopicPrefetch(Limits.CLI_PREFETCH);
        Connection connection = factory.createConnection();
        try {
            connection.start();
            int code = 0;
            for (int round = 0; round < rounds; round++) {
                code = Math.max(code, round(connection));
            }
            return code;
        } finally {
            connection.close();
        }
    }

    /** One publish and its replies, on a reply queue of its own; prints one JSON line. */
    private int round(Connection connection) throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(null);
        Session replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue queue = replySession.createTemporaryQueue();
        AtomicInteger answers = new AtomicInteger();
        AtomicLong last = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        replySession.createConsumer(queue).setMessageListener(message -> {
            last.set(System.nanoTime());
            if (answers.incrementAndGet() >= expect) {
                all.countDown();
            }
        });
        String id = UUID.randomUUID().toString();
        long published = System.nanoTime();
        TextMessage request = session.createTextMessage(RawFleet.body("{\"raw\":\"request\",\"id\":\"" + id
                + "\",\"pad\":\"", bench.requestBytes));
        request.setJMSReplyTo(queue);
        request.setJMSCorrelationID(id);
        producer.send(session.createTopic(bench.topic()), request, DeliveryMode.NON_PERSISTENT,
                Message.DEFAULT_PRIORITY, timeoutMs);
        boolean complete = all.await(timeoutMs, TimeUnit.MILLISECONDS);
        replySession.close();
        session.close();
        int heard = answers.get();
        long lastMs = heard == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(last.get() - published);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("{\"answers\":%d,\"expected\":%d,\"publish_to_last_reply_ms\":%d,\"complete\":%b}%n",
                heard, expect, lastMs, complete);
        out.flush();
        return complete ? 0 : 4;
    }
}
