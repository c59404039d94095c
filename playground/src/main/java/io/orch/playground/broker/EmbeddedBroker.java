package io.orch.playground.broker;

import java.net.URI;
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

    /** @param port 0 for any free port */
    public static EmbeddedBroker start(String host, int port) throws Exception {
        BrokerService service = new BrokerService();
        service.setBrokerName("orch-playground-" + port);
        service.setPersistent(false);
        service.setUseJmx(false);
        service.setUseShutdownHook(false);
        service.setAdvisorySupport(false);
        service.setSchedulerSupport(false);
        TransportConnector connector = service.addConnector("tcp://" + host + ":" + port);
        service.start();
        service.waitUntilStarted();
        URI bound = connector.getConnectUri();
        return new EmbeddedBroker(service, "tcp://" + host + ":" + bound.getPort());
    }

    /** A broker on a free loopback port. */
    public static EmbeddedBroker startOnFreePort() throws Exception {
        return start("127.0.0.1", 0);
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
