package io.orch.playground;

import io.orch.playground.broker.BrokerAccess;
import io.orch.playground.broker.EmbeddedBroker;
import io.orch.protocol.schema.SchemaCheckingBrokerPlugin;
import io.orch.trust.TlsMaterial;

/**
 * Every test broker of the playground: an {@link EmbeddedBroker} whose {@link SchemaCheckingBrokerPlugin}
 * checks each orch message the CLI, the responders and the lab send through it; closing it fails the
 * test with every message that broke its schema. A test that sends a broken message on purpose marks it
 * with {@link SchemaCheckingBrokerPlugin#markDeliberatelyBroken}.
 */
final class SchemaCheckedBroker implements AutoCloseable {
    private final EmbeddedBroker broker;
    private final SchemaCheckingBrokerPlugin schemas;

    private SchemaCheckedBroker(EmbeddedBroker broker, SchemaCheckingBrokerPlugin schemas) {
        this.broker = broker;
        this.schemas = schemas;
    }

    /**
     * A broker as a site runs it, on a free loopback port: TLS only, client certificates of the tests'
     * lab PKI ({@link Cli#PKI}), its operator the only one allowed to send requests.
     */
    static SchemaCheckedBroker start() throws Exception {
        SchemaCheckingBrokerPlugin schemas = SchemaCheckingBrokerPlugin.create();
        return new SchemaCheckedBroker(Cli.PKI.startBroker("127.0.0.1", 0, java.time.Clock.systemUTC(), schemas),
                schemas);
    }

    /** As {@link #start()}, plus {@code orch broker}'s {@code stomp+ssl} connector on a free port ({@link #stompUrl()}). */
    static SchemaCheckedBroker startWithStomp() throws Exception {
        SchemaCheckingBrokerPlugin schemas = SchemaCheckingBrokerPlugin.create();
        return new SchemaCheckedBroker(Cli.PKI.startBroker("127.0.0.1", 0, 0, java.time.Clock.systemUTC(), schemas),
                schemas);
    }

    /**
     * As {@link #start()}, as a member of {@code network} on {@code port} (0 for any free one): the lab's
     * brokers share one certificate, which the bridges log in with as a broker.
     */
    static SchemaCheckedBroker startMember(io.orch.playground.broker.BrokerNetwork network, int port) throws Exception {
        SchemaCheckingBrokerPlugin schemas = SchemaCheckingBrokerPlugin.create();
        return new SchemaCheckedBroker(Cli.PKI.startNetworkBroker("127.0.0.1", port, EmbeddedBroker.NO_STOMP, network,
                java.time.Clock.systemUTC(), schemas), schemas);
    }

    /** The broker itself: its bridges, for a test that cuts them. */
    EmbeddedBroker broker() {
        return broker;
    }

    /** A plain TCP broker with no logins ({@code orch broker --insecure}). */
    static SchemaCheckedBroker startInsecure() throws Exception {
        SchemaCheckingBrokerPlugin schemas = SchemaCheckingBrokerPlugin.create();
        return new SchemaCheckedBroker(EmbeddedBroker.startOnFreePort(schemas), schemas);
    }

    /** A TLS-only broker on a free loopback port ({@link EmbeddedBroker#startTls}): {@link #url()} is {@code ssl://}. */
    static SchemaCheckedBroker startTls(TlsMaterial brokerTls, BrokerAccess access) throws Exception {
        SchemaCheckingBrokerPlugin schemas = SchemaCheckingBrokerPlugin.create();
        return new SchemaCheckedBroker(EmbeddedBroker.startTls("127.0.0.1", 0, brokerTls, access, schemas), schemas);
    }

    String url() {
        return broker.url();
    }

    /** {@code stomp+ssl://127.0.0.1:PORT}, or null when it opened no STOMP. */
    String stompUrl() {
        return broker.stompUrl();
    }

    /** Stops the broker without the schema verdict: for a test that takes the broker away mid-run. */
    void stop() {
        broker.close();
    }

    SchemaCheckingBrokerPlugin schemas() {
        return schemas;
    }

    /** Stops the broker, then fails if any message broke its schema. */
    @Override
    public void close() {
        broker.close();
        schemas.assertNoViolations();
    }
}
