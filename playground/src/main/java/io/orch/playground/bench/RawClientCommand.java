package io.orch.playground.bench;

import io.orch.cli.UsageException;
import io.orch.protocol.Limits;
import io.orch.protocol.bus.BrokerUrl;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.PrintWriter;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
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
        if (bench.signed) {
            publicKey = BenchOptions.signingKey().generatePublicKey();
            checkers = Executors.newFixedThreadPool(Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
                    Limits.MAX_CLI_REPLY_CHECKERS)), r -> {
                        Thread t = new Thread(r, "bench-raw-checker");
                        t.setDaemon(true);
                        return t;
                    });
        }
        try {
            connection.start();
            int code = 0;
            for (int round = 0; round < rounds; round++) {
                code = Math.max(code, round(connection));
            }
            return code;
        } finally {
            connection.close();
            if (checkers != null) {
                checkers.shutdownNow();
            }
        }
    }

    /** Checks signed replies, as many threads as orch's CLI uses for its own; null when unsigned. */
    private ExecutorService checkers;
    /** The public half of {@link BenchOptions#signingKey()}, made ready once as the CLI does for a known key. */
    private Ed25519PublicKeyParameters publicKey;

    /** Whether a reply to the request {@code id} carries a good signature over its text and that id. */
    private boolean signatureHolds(Message message, String id) {
        try {
            String signature = message.getStringProperty(BenchOptions.SIGNATURE_PROPERTY);
            if (signature == null || !(message instanceof TextMessage text) || !id.equals(message.getJMSCorrelationID())) {
                return false;
            }
            byte[] signed = RawFleet.signed(text.getText(), id);
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, publicKey);
            verifier.update(signed, 0, signed.length);
            return verifier.verifySignature(Base64.getDecoder().decode(signature));
        } catch (JMSException | IllegalArgumentException e) {
            return false;
        }
    }

    /** One publish and its replies, on a reply queue of its own; prints one JSON line. */
    private int round(Connection connection) throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(null);
        Session replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue queue = replySession.createTemporaryQueue();
        AtomicInteger answers = new AtomicInteger();
        AtomicInteger badSignatures = new AtomicInteger();
        AtomicLong last = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        String id = UUID.randomUUID().toString();
        Runnable counted = () -> {
            last.set(System.nanoTime());
            if (answers.incrementAndGet() >= expect) {
                all.countDown();
            }
        };
        replySession.createConsumer(queue).setMessageListener(message -> {
            if (checkers == null) {
                counted.run();
                return;
            }
            // As orch's CLI: the listener hands each reply to the checker threads, a reply counts once checked.
            checkers.execute(() -> {
                if (signatureHolds(message, id)) {
                    counted.run();
                } else {
                    badSignatures.incrementAndGet();
                }
            });
        });
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
        out.printf("{\"answers\":%d,\"expected\":%d,\"publish_to_last_reply_ms\":%d,\"complete\":%b,"
                + "\"bad_signatures\":%d}%n", heard, expect, lastMs, complete, badSignatures.get());
        out.flush();
        return complete ? 0 : 4;
    }
}
