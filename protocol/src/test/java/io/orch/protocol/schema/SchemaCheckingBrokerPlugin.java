package io.orch.protocol.schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.Message;

/**
 * A test broker's plugin that checks every text or bytes message carrying an {@code orch.*} protocol
 * against its schema ({@link MessageSchemas}) and records the violations. It never stops a message:
 * the test asks {@link #assertNoViolations()} at the end, so one fixture line covers every message the
 * responder, the CLI and the lab send in a suite.
 *
 * <pre>{@code
 * SchemaCheckingBrokerPlugin schemas = SchemaCheckingBrokerPlugin.installOn(brokerService); // before start()
 * ...
 * schemas.assertNoViolations(); // in @AfterAll
 * }</pre>
 *
 * <p>A test that sends a broken message on purpose (bad JSON, an old version) to see it refused marks
 * that message with {@link #markDeliberatelyBroken(jakarta.jms.Message)}: it is then counted in
 * {@link #skipped()}, never checked. orch's own code never sets the mark, so nothing it sends is let off.
 */
public final class SchemaCheckingBrokerPlugin implements BrokerPlugin {
    /** The boolean message property that marks a test's own broken message; no orch producer sets it. */
    public static final String DELIBERATELY_BROKEN = "orchTestDeliberatelyBroken";

    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger checked = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final List<String> protocols;

    /** Marks a message a test sends broken on purpose, so the plugin does not count it as a violation. */
    public static <M extends jakarta.jms.Message> M markDeliberatelyBroken(M message) throws jakarta.jms.JMSException {
        message.setBooleanProperty(DELIBERATELY_BROKEN, true);
        return message;
    }

    private SchemaCheckingBrokerPlugin(List<String> protocols) {
        this.protocols = List.copyOf(protocols);
    }

    /**
     * A plugin not yet installed, for a broker that takes its plugins when it is built (the playground's
     * {@code EmbeddedBroker.start(host, port, plugins)}); {@code protocols} as for {@link #installOn}.
     */
    public static SchemaCheckingBrokerPlugin create(String... protocols) {
        return new SchemaCheckingBrokerPlugin(List.of(protocols));
    }

    /**
     * Adds a new plugin to the broker's plugins; call before the broker starts.
     *
     * @param protocols check only messages whose {@code protocol} starts with one of these (for example
     *                  {@code "orch.reply.", "orch.event."} where the test itself sends the requests, some of
     *                  them broken on purpose); none: every orch message
     */
    public static SchemaCheckingBrokerPlugin installOn(BrokerService broker, String... protocols) {
        SchemaCheckingBrokerPlugin plugin = create(protocols);
        BrokerPlugin[] existing = broker.getPlugins() == null ? new BrokerPlugin[0] : broker.getPlugins();
        BrokerPlugin[] plugins = Arrays.copyOf(existing, existing.length + 1);
        plugins[existing.length] = plugin;
        broker.setPlugins(plugins);
        return plugin;
    }

    @Override
    public Broker installPlugin(Broker next) {
        return new BrokerFilter(next) {
            @Override
            public void send(ProducerBrokerExchange exchange, Message message) throws Exception {
                check(message);
                super.send(exchange, message);
            }
        };
    }

    /** Violations so far, each with its destination and the message. */
    public List<String> violations() {
        return new ArrayList<>(violations);
    }

    /** How many orch messages were checked. */
    public int checked() {
        return checked.get();
    }

    /** How many messages were marked deliberately broken, and so not checked. */
    public int skipped() {
        return skipped.get();
    }

    public void assertNoViolations() {
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " message(s) broke their schema:\n"
                    + String.join("\n", violations));
        }
    }

    private void check(Message message) {
        String where = String.valueOf(message.getDestination());
        try {
            if (Boolean.TRUE.equals(message.getProperty(DELIBERATELY_BROKEN))) {
                skipped.incrementAndGet();
                return;
            }
            String body = body(message);
            if (body == null || !MessageSchemas.isOrchMessage(body) || !wanted(body)) {
                return;
            }
            checked.incrementAndGet();
            for (String v : MessageSchemas.validate(body)) {
                violations.add(where + ": " + v + "\n  in " + body);
            }
        } catch (Exception | LinkageError e) {
            violations.add(where + ": cannot check the message: " + e);
        }
    }

    private boolean wanted(String body) {
        String protocol = MessageSchemas.protocolOf(body);
        return protocols.isEmpty() || protocols.stream().anyMatch(protocol::startsWith);
    }

    /** The body as text, read from a copy so the message itself is untouched; null for other kinds. */
    private static String body(Message message) throws Exception {
        if (message instanceof ActiveMQTextMessage text) {
            return ((ActiveMQTextMessage) text.copy()).getText();
        }
        if (message instanceof ActiveMQBytesMessage bytes) {
            ActiveMQBytesMessage copy = (ActiveMQBytesMessage) bytes.copy();
            copy.reset();
            byte[] data = new byte[(int) copy.getBodyLength()];
            copy.readBytes(data);
            return new String(data, StandardCharsets.UTF_8);
        }
        return null;
    }
}
