package io.orch.playground.broker;

import io.orch.protocol.bus.Destinations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.activemq.filter.DestinationMapEntry;
import org.apache.activemq.security.AuthorizationEntry;
import org.apache.activemq.security.DefaultAuthorizationMap;
import org.apache.activemq.security.TempDestinationAuthorizationEntry;

/**
 * Who may do what on a TLS broker. A client is known by its certificate's common name; the names in
 * {@link #operators()} are operators, every other certificate of the site's CA is a node (the site
 * decides who operates, nothing is guessed from a name). In each collective {@code C}:
 *
 * <pre>
 * destination           operators   nodes
 * topic C.broadcast     write       read
 * topic C.node.&gt;        write       read
 * topic C.events        read        write
 * topic C.registry.&gt;    read        write
 * topic C.registry.~sync read, write  write  (an inventory reader's marker; the entries add up)
 * temporary queues      create, read  write (replies)
 * ActiveMQ.Advisory.TempQueue, .TempTopic  read  read
 * </pre>
 *
 * <p>In a network of brokers the members' certificate names, {@link #brokers()}, have the role
 * {@value #BROKERS}: a bridge reads, writes and creates every destination above, temporary queues included
 * (it carries replies), and reads the advisories that tell it where consumers are ({@code ActiveMQ.Advisory.>}).
 * A broker with no members named gives that role to nobody and opens no advisory beyond the two above.
 *
 * "Create" ({@code admin}) on a topic is given to both roles, since a topic comes into being when its
 * first producer or consumer arrives. {@code deploy/broker/activemq.xml} holds the same map for the
 * default collective.
 */
public final class BrokerAccess {
    /** The role of the names in {@link #operators()}. */
    public static final String OPERATORS = "operators";
    /** The role of every other certificate of the site's CA. */
    public static final String NODES = "nodes";
    /** The role of the other members of a network of brokers ({@link #brokers()}). */
    public static final String BROKERS = "brokers";

    private final List<String> collectives;
    private final Set<String> operators;
    private final Set<String> brokers;

    private BrokerAccess(List<String> collectives, Set<String> operators, Set<String> brokers) {
        this.collectives = collectives;
        this.operators = operators;
        this.brokers = brokers;
    }

    /**
     * @param collectives one or more collective names (each a valid {@link Destinations} collective)
     * @param operators   the operators' certificate names; may be empty (then nobody can send requests)
     */
    public static BrokerAccess of(Collection<String> collectives, Collection<String> operators) {
        Objects.requireNonNull(collectives, "collectives == null");
        Objects.requireNonNull(operators, "operators == null");
        if (collectives.isEmpty()) {
            throw new IllegalArgumentException("no collective: name at least one");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String collective : collectives) {
            names.add(new Destinations(collective).collective());
        }
        for (String operator : operators) {
            if (operator == null || operator.isBlank()) {
                throw new IllegalArgumentException("blank operator name");
            }
        }
        return new BrokerAccess(List.copyOf(names), Set.copyOf(operators), Set.of());
    }

    /**
     * These rules, plus the certificate names of the brokers of a network ({@value #BROKERS}): what their
     * bridges need and nothing for anyone else.
     */
    public BrokerAccess withBrokers(Collection<String> brokerNames) {
        Objects.requireNonNull(brokerNames, "brokerNames == null");
        for (String broker : brokerNames) {
            if (broker == null || broker.isBlank()) {
                throw new IllegalArgumentException("blank broker name");
            }
            if (operators.contains(broker)) {
                throw new IllegalArgumentException("'" + broker + "' is named both operator and broker: give a broker "
                        + "its own certificate");
            }
        }
        return new BrokerAccess(collectives, operators, Set.copyOf(brokerNames));
    }

    /** The default collective, with these operators. */
    public static BrokerAccess operators(String... operators) {
        return of(List.of(Destinations.DEFAULT_COLLECTIVE), List.of(operators));
    }

    public List<String> collectives() {
        return collectives;
    }

    public Set<String> operators() {
        return operators;
    }

    /** The certificate names of the network's brokers; empty for a broker on its own. */
    public Set<String> brokers() {
        return brokers;
    }

    /** {@link #OPERATORS}, {@link #BROKERS} or {@link #NODES}. */
    public String roleOf(String certificateName) {
        return operators.contains(certificateName) ? OPERATORS : brokers.contains(certificateName) ? BROKERS : NODES;
    }

    /** The authorization map of the table above, for ActiveMQ's {@code AuthorizationPlugin}. */
    @SuppressWarnings("rawtypes") // DefaultAuthorizationMap takes a raw List<DestinationMapEntry>
    public DefaultAuthorizationMap authorizationMap() {
        try {
            List<DestinationMapEntry> entries = new ArrayList<>();
            String both = OPERATORS + "," + NODES;
            String bridge = brokers.isEmpty() ? "" : "," + BROKERS;
            for (String collective : collectives) {
                entries.add(topic(collective + ".broadcast", NODES + bridge, OPERATORS + bridge, both + bridge));
                entries.add(topic(collective + ".node.>", NODES + bridge, OPERATORS + bridge, both + bridge));
                entries.add(topic(collective + ".events", OPERATORS + bridge, NODES + bridge, both + bridge));
                entries.add(topic(collective + ".registry.>", OPERATORS + bridge, NODES + bridge, both + bridge));
                // The inventory reader's marker (see RegistryBarrier); bridges carry it with the registry.
                entries.add(topic(new Destinations(collective).registryBarrier(), OPERATORS + bridge, OPERATORS + bridge,
                        both + bridge));
            }
            // A stock JMS client watches temporary destinations (orch's clients do not); no other advisory is open.
            entries.add(topic("ActiveMQ.Advisory.TempQueue", both, null, both));
            entries.add(topic("ActiveMQ.Advisory.TempTopic", both, null, both));
            if (!brokers.isEmpty()) {
                networkEntries(entries);
            }
            DefaultAuthorizationMap map = new DefaultAuthorizationMap(entries);
            TempDestinationAuthorizationEntry temporary = new TempDestinationAuthorizationEntry();
            roles(temporary, OPERATORS + bridge, both + bridge, OPERATORS + bridge);
            map.setTempDestinationAuthorizationEntry(temporary);
            return map;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the authorization map", e);
        }
    }

    /**
     * What a bridge needs beyond orch's destinations: the advisories by which each side learns where the
     * other's consumers are and which temporary queues exist (ActiveMQ sends them as the broker; the bridge
     * reads them, and relays them to the other side on a duplex bridge).
     */
    @SuppressWarnings("rawtypes")
    private static void networkEntries(List<DestinationMapEntry> entries) throws Exception {
        entries.add(topic("ActiveMQ.Advisory.>", BROKERS, BROKERS, BROKERS));
    }

    private static AuthorizationEntry topic(String name, String read, String write, String admin) throws Exception {
        AuthorizationEntry entry = new AuthorizationEntry();
        entry.setTopic(name);
        roles(entry, read, write, admin);
        return entry;
    }

    /** Null or empty: nobody. */
    private static void roles(AuthorizationEntry entry, String read, String write, String admin) throws Exception {
        entry.setGroupClass(RolePrincipal.class.getName());
        entry.setRead(read == null ? "" : read);
        entry.setWrite(write == null ? "" : write);
        entry.setAdmin(admin == null ? "" : admin);
    }

    @Override
    public String toString() {
        return "collectives " + collectives + ", operators " + operators + (brokers.isEmpty() ? "" : ", brokers " + brokers);
    }
}
