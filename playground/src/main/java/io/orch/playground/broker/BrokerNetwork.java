package io.orch.playground.broker;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a broker takes part in an ActiveMQ network of brokers: the network's name (the same on every
 * member; it names the bridges) and the members this one opens a duplex bridge to. A hub lists none
 * and waits for its spokes; a spoke lists the hub. Every bridge is TLS with the broker's own
 * certificate, so each side logs the other in as a broker ({@link BrokerAccess#brokers()}).
 *
 * @param name      letters, digits, {@code -} and {@code _}
 * @param connectTo {@code ssl://host:port} of each member to bridge to; may be empty
 */
public record BrokerNetwork(String name, List<URI> connectTo) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public BrokerNetwork {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(connectTo, "connectTo == null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("network name '" + name + "' must be 1 to 64 letters, digits, '-' or '_'");
        }
        for (URI uri : connectTo) {
            if (uri == null || !"ssl".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1
                    || uri.getRawQuery() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
                throw new IllegalArgumentException("a network member is reached as ssl://host:port (bridges are TLS "
                        + "with the broker's certificate), got '" + uri + "'");
            }
        }
        connectTo = List.copyOf(connectTo);
    }

    /** A member that opens no bridge itself: the hub, which its spokes connect to. */
    public static BrokerNetwork hub(String name) {
        return new BrokerNetwork(name, List.of());
    }
}
