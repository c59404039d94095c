package io.orch.playground.broker;

import java.net.URI;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;

/**
 * A non-persistent ActiveMQ broker listening on one loopback TCP port. orch's messages are
 * non-persistent with a TTL, so a playground broker needs no store.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final BrokerService service;
    private final String url;

    private EmbeddedBroker(BrokerService service, String url) {
        this.service = service;
        this.url = url;
    }

    /**
     * @param port    0 for any free port
     * @param plugins added to the broker before it starts (tests check every message with one)
     */
    public static EmbeddedBroker start(String host, int port, BrokerPlugin... plugins) throws Exception {
        BrokerService service = new BrokerService();
        service.setBrokerName("orch-playground-" + port);
        service.setPersistent(false);
        service.setUseJmx(false);
        service.setUseShutdownHook(false);
        service.setAdvisorySupport(false);
        service.setSchedulerSupport(false);
        if (plugins.length > 0) {
            service.setPlugins(plugins.clone());
        }
        TransportConnector connector = service.addConnector("tcp://" + host + ":" + port);
        service.start();
        service.waitUntilStarted();
        URI bound = connector.getConnectUri();
        return new EmbeddedBroker(service, "tcp://" + host + ":" + bound.getPort());
    }

    /** A broker on a free loopback port. */
    public static EmbeddedBroker startOnFreePort(BrokerPlugin... plugins) throws Exception {
        return start("127.0.0.1", 0, plugins);
    }

    public String url() {
        return url;
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
