package io.orch.playground.broker;

import io.orch.protocol.Limits;
import io.orch.trust.TlsMaterial;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.SslContext;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.broker.region.policy.ConstantPendingMessageLimitStrategy;
import org.apache.activemq.broker.region.policy.LastImageSubscriptionRecoveryPolicy;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.security.AuthorizationPlugin;

/**
 * A non-persistent ActiveMQ broker listening on one loopback port: plain TCP ({@link #start}), or
 * TLS only with client certificates, certificate logins and per-role authorisation
 * ({@link #startTls}). orch's messages are non-persistent with a TTL, so a playground broker needs
 * no store.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /**
     * Options of every connector, as in deploy/broker/activemq.xml: a frame over {@link Limits#MAX_FRAME_BYTES}
     * is refused from its size prefix and closes only the connection that sent it; a silent connection is
     * dropped after {@link Limits#MAX_INACTIVITY_MS}.
     */
    public static final String TRANSPORT_LIMITS = "wireFormat.maxFrameSize=" + Limits.MAX_FRAME_BYTES
            + "&wireFormat.maxInactivityDuration=" + Limits.MAX_INACTIVITY_MS;

    private final BrokerService service;
    private final String url;
    /** Where STOMP clients connect ({@code stomp+ssl://host:port}), or null when not opened. */
    private final String stompUrl;

    private EmbeddedBroker(BrokerService service, String url) {
        this(service, url, null);
    }

    private EmbeddedBroker(BrokerService service, String url, String stompUrl) {
        this.service = service;
        this.url = url;
        this.stompUrl = stompUrl;
    }

    /**
     * @param port    0 for any free port
     * @param plugins added to the broker before it starts (tests check every message with one)
     */
    public static EmbeddedBroker start(String host, int port, BrokerPlugin... plugins) throws Exception {
        BrokerService service = service(port);
        if (plugins.length > 0) {
            service.setPlugins(plugins.clone());
        }
        TransportConnector connector = service.addConnector("tcp://" + host + ":" + port + "?" + TRANSPORT_LIMITS);
        service.start();
        service.waitUntilStarted();
        URI bound = connector.getConnectUri();
        return new EmbeddedBroker(service, "tcp://" + host + ":" + bound.getPort());
    }

    /**
     * A broker that listens only on {@code ssl://host:port} and requires a client certificate: the TLS
     * layer accepts only certificates of the site's CA that its CRLs do not revoke ({@code brokerTls}'s
     * trust managers), each connection is logged in as its certificate's common name, and
     * {@code access} says what that name may read and write. No plain TCP transport is opened.
     *
     * <p>Clients connect to {@link #url()} ({@code ssl://host:port}) with their own {@link TlsMaterial};
     * they verify the host name against the broker's certificate, so {@code brokerTls}' certificate
     * must name {@code host} (e.g. {@code 127.0.0.1} and {@code localhost}) in its subject alternative names.
     *
     * @param port    0 for any free port
     * @param plugins added before the login and the authorisation (so they see only what was allowed)
     */
    public static EmbeddedBroker startTls(String host, int port, TlsMaterial brokerTls, BrokerAccess access,
                                          BrokerPlugin... plugins) throws Exception {
        return startTls(host, port, NO_STOMP, brokerTls, access, plugins);
    }

    /** No {@code stomp+ssl} connector. */
    public static final int NO_STOMP = -1;

    /**
     * As {@link #startTls(String, int, TlsMaterial, BrokerAccess, BrokerPlugin...)}, plus a
     * {@code stomp+ssl://host:stompPort} connector for clients in other languages (docs/protocol.md §9):
     * the same TLS material, client certificates required, the same certificate logins and the same
     * authorisation, as the shipped broker config would add it.
     *
     * @param stompPort 0 for any free port, {@link #NO_STOMP} for none
     */
    public static EmbeddedBroker startTls(String host, int port, int stompPort, TlsMaterial brokerTls,
                                          BrokerAccess access, BrokerPlugin... plugins) throws Exception {
        return startTls(host, port, stompPort, brokerTls, access, null, plugins);
    }

    /**
     * As {@link #startTls(String, int, int, TlsMaterial, BrokerAccess, BrokerPlugin...)}, as a member of
     * {@code network} ({@link #joinNetwork}): {@code access} must name the members' certificates
     * ({@link BrokerAccess#withBrokers}), or their bridges are refused like any node's writes.
     */
    public static EmbeddedBroker startTlsMember(String host, int port, int stompPort, TlsMaterial brokerTls,
                                                BrokerAccess access, BrokerNetwork network, BrokerPlugin... plugins)
            throws Exception {
        Objects.requireNonNull(network, "network == null");
        if (access.brokers().isEmpty()) {
            throw new IllegalArgumentException("a network member needs the brokers' certificate names in its access "
                    + "rules (BrokerAccess.withBrokers), or no bridge can log in");
        }
        return startTls(host, port, stompPort, brokerTls, access, network, plugins);
    }

    private static EmbeddedBroker startTls(String host, int port, int stompPort, TlsMaterial brokerTls,
                                           BrokerAccess access, BrokerNetwork network, BrokerPlugin... plugins)
            throws Exception {
        Objects.requireNonNull(brokerTls, "brokerTls == null");
        Objects.requireNonNull(access, "access == null");
        BrokerService service = service(port);
        List<BrokerPlugin> all = new ArrayList<>(List.of(plugins));
        all.add(new CertificateLoginPlugin(access));
        all.add(new AuthorizationPlugin(access.authorizationMap()));
        service.setPlugins(all.toArray(BrokerPlugin[]::new));
        SslContext tls = new SslContext();
        tls.setSSLContext(brokerTls.sslContext());
        service.setSslContext(tls); // before addConnector: the connector binds its socket with it
        TransportConnector connector = service.addConnector("ssl://" + host + ":" + port + "?needClientAuth=true&"
                + TRANSPORT_LIMITS);
        // STOMP's wire format has its own frame limit, under the same name. Its inactivity monitor
        // follows the client's heart-beat header: a client that sends none is held to one every
        // MAX_INACTIVITY_MS (defaultHeartBeat), and one that never sends CONNECT is closed after as long.
        TransportConnector stomp = stompPort == NO_STOMP ? null
                : service.addConnector("stomp+ssl://" + host + ":" + stompPort + "?needClientAuth=true"
                        + "&maximumConnections=" + Limits.MAX_BROKER_STOMP_CONNECTIONS
                        + "&wireFormat.maxFrameSize=" + Limits.MAX_FRAME_BYTES
                        + "&transport.defaultHeartBeat=" + Limits.MAX_INACTIVITY_MS + ",0"
                        + "&transport.connectAttemptTimeout=" + Limits.MAX_INACTIVITY_MS);
        if (network != null) {
            joinNetwork(service, network, access, port);
        }
        service.start();
        service.waitUntilStarted();
        URI bound = connector.getConnectUri();
        return new EmbeddedBroker(service, "ssl://" + host + ":" + bound.getPort(),
                stomp == null ? null : "stomp+ssl://" + host + ":" + stomp.getConnectUri().getPort());
    }

    /** How many brokers a message or a consumer's interest may cross: spoke, hub, spoke. */
    public static final int NETWORK_TTL = 2;

    /**
     * Makes {@code service} a member of {@code network}, as deploy/broker/activemq-network-*.xml does for a
     * standalone broker: a duplex bridge to each of {@code network.connectTo()}, over TLS with the broker's
     * own certificate and trust ({@code service}'s SslContext), retried every
     * {@link Limits#RECONNECT_MAX_DELAY_MS} at most. Through a bridge a message goes where there is a consumer
     * for it ("demand": one copy per member however many consumers it has, conduitSubscriptions), replies
     * find the temporary queue of a client on another member (bridgeTempDestinations), and the registry
     * topics go to the other side whether or not anyone listens (staticallyIncludedDestinations), so the
     * hub holds every node's announcement. Advisories are turned on: they are how bridges learn of consumers.
     */
    private static void joinNetwork(BrokerService service, BrokerNetwork network, BrokerAccess access, int port)
            throws Exception {
        service.setAdvisorySupport(true);
        // Unique in the network: a bridge refuses a peer with its own name, and logs speak of members by name.
        service.setBrokerName(network.name() + "-" + (port != 0 ? Integer.toString(port)
                : java.util.UUID.randomUUID().toString().substring(0, 8)));
        for (URI member : network.connectTo()) {
            org.apache.activemq.network.DiscoveryNetworkConnector bridge =
                    new org.apache.activemq.network.DiscoveryNetworkConnector(new URI("static:(" + member + "?"
                            + TRANSPORT_LIMITS + ")?initialReconnectDelay=" + Limits.RECONNECT_INITIAL_DELAY_MS
                            + "&maxReconnectDelay=" + Limits.RECONNECT_MAX_DELAY_MS + "&useExponentialBackOff=true"));
            bridge.setName(network.name() + "-" + member.getHost() + "-" + member.getPort());
            bridge.setDuplex(true);
            bridge.setNetworkTTL(NETWORK_TTL);
            bridge.setConduitSubscriptions(true);
            bridge.setBridgeTempDestinations(true);
            bridge.setSuppressDuplicateTopicSubscriptions(true);
            List<org.apache.activemq.command.ActiveMQDestination> registries = new ArrayList<>();
            for (String collective : access.collectives()) {
                registries.add(new org.apache.activemq.command.ActiveMQTopic(collective + ".registry.>"));
            }
            bridge.setStaticallyIncludedDestinations(registries);
            service.addNetworkConnector(bridge);
        }
    }

    /** The registry topics of every collective: {@code <collective>.registry.<identity>} and the barrier. */
    public static final String REGISTRY_TOPICS = "*.registry.>";

    /**
     * The destination policies, as in deploy/broker/activemq.xml. Of several entries matching a topic,
     * ActiveMQ uses the most specific one ({@code DestinationMap.chooseValue}: an entry whose pattern
     * matches another's sorts after it), so the registry entry replaces the general one there.
     */
    public static PolicyMap destinationPolicy() {
        // A consumer that cannot keep up loses the oldest of its topic messages rather than making the
        // broker hold them without bound.
        PolicyEntry topics = new PolicyEntry();
        topics.setTopic(">");
        topics.setPendingMessageLimitStrategy(pendingLimit(Limits.MAX_BROKER_TOPIC_PENDING));
        // Announcements: the broker keeps the latest message of each registry topic and hands them all to
        // a consumer that subscribes with consumer.retroactive=true. A new inventory reader gets one per
        // node at once, more than the general limit: their own, larger bound keeps the recovery whole.
        PolicyEntry registry = new PolicyEntry();
        registry.setTopic(REGISTRY_TOPICS);
        registry.setSubscriptionRecoveryPolicy(new LastImageSubscriptionRecoveryPolicy());
        registry.setPendingMessageLimitStrategy(pendingLimit(Limits.MAX_BROKER_REGISTRY_PENDING));
        PolicyMap policies = new PolicyMap();
        policies.setPolicyEntries(List.of(topics, registry));
        return policies;
    }

    private static ConstantPendingMessageLimitStrategy pendingLimit(int limit) {
        ConstantPendingMessageLimitStrategy pending = new ConstantPendingMessageLimitStrategy();
        pending.setLimit(limit);
        return pending;
    }

    private static BrokerService service(int port) {
        BrokerService service = new BrokerService();
        service.setDestinationPolicy(destinationPolicy());
        service.setBrokerName("orch-playground-" + port);
        service.setPersistent(false);
        service.setUseJmx(false);
        service.setUseShutdownHook(false);
        service.setAdvisorySupport(false);
        service.setSchedulerSupport(false);
        return service;
    }

    /** A broker on a free loopback port. */
    public static EmbeddedBroker startOnFreePort(BrokerPlugin... plugins) throws Exception {
        return start("127.0.0.1", 0, plugins);
    }

    /** Where clients connect: {@code tcp://host:port}, or {@code ssl://host:port} for a TLS broker. */
    public String url() {
        return url;
    }

    /** Where STOMP clients connect ({@code stomp+ssl://host:port}), or null when the broker opened no STOMP. */
    public String stompUrl() {
        return stompUrl;
    }

    /** The bridges this member opened ({@link BrokerNetwork#connectTo()}) that are up now: both sides started. */
    public int bridgesUp() {
        int up = 0;
        for (org.apache.activemq.network.NetworkConnector connector : service.getNetworkConnectors()) {
            up += connector.activeBridges().size();
        }
        return up;
    }

    /**
     * Takes down the bridges this member opened, as a network outage between it and the others would,
     * while its own clients stay connected to it (the playground and tests: a bridge outage on purpose).
     */
    public void stopBridges() throws Exception {
        for (org.apache.activemq.network.NetworkConnector connector : service.getNetworkConnectors()) {
            connector.stop();
        }
    }

    /** Opens again the bridges {@link #stopBridges()} took down. */
    public void startBridges() throws Exception {
        for (org.apache.activemq.network.NetworkConnector connector : service.getNetworkConnectors()) {
            connector.start();
        }
    }

    /** Every transport the broker listens on, as bound. */
    public List<URI> listening() throws Exception {
        List<URI> uris = new ArrayList<>();
        for (TransportConnector connector : service.getTransportConnectors()) {
            uris.add(connector.getConnectUri());
        }
        return uris;
    }

    @Override
    public void close() {
        try {
            service.stop();
        } catch (Exception e) {
            throw new IllegalStateException("broker did not stop cleanly", e);
        }
        service.waitUntilStopped();
    }
}
