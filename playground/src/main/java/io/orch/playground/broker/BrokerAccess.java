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
 * "Create" ({@code admin}) on a topic is given to both roles, since a topic comes into being when its
 * first producer or consumer arrives. {@code deploy/broker/activemq.xml} holds the same map for the
 * default collective.
 */
public final class BrokerAccess {
    /** The role of the names in {@link #operators()}. */
    public static final String OPERATORS = "operators";
    /** The role of every other certificate of the site's CA. */
    public static final String NODES = "nodes";

    private final List<String> collectives;
    private final Set<String> operators;

    private BrokerAccess(List<String> collectives, Set<String> operators) {
        this.collectives = collectives;
        this.operators = operators;
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
        return new BrokerAccess(List.copyOf(names), Set.copyOf(operators));
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

    /** {@link #OPERATORS} or {@link #NODES}. */
    public String roleOf(String certificateName) {
        return operators.contains(certificateName) ? OPERATORS : NODES;
    }

    /** The authorization map of the table above, for ActiveMQ's {@code AuthorizationPlugin}. */
    @SuppressWarnings("rawtypes") // DefaultAuthorizationMap takes a raw List<DestinationMapEntry>
    public DefaultAuthorizationMap authorizationMap() {
        try {
            List<DestinationMapEntry> entries = new ArrayList<>();
            String both = OPERATORS + "," + NODES;
            for (String collective : collectives) {
                entries.add(topic(collective + ".broadcast", NODES, OPERATORS, both));
                entries.add(topic(collective + ".node.>", NODES, OPERATORS, both));
                entries.add(topic(collective + ".events", OPERATORS, NODES, both));
                entries.add(topic(collective + ".registry.>", OPERATORS, NODES, both));
                entries.add(topic(new Destinations(collective).registryBarrier(), OPERATORS, OPERATORS, both));
            }
            // A stock JMS client watches temporary destinations (orch's clients do not); no other advisory is open.
            entries.add(topic("ActiveMQ.Advisory.TempQueue", both, null, both));
            entries.add(topic("ActiveMQ.Advisory.TempTopic", both, null, both));
            DefaultAuthorizationMap map = new DefaultAuthorizationMap(entries);
            TempDestinationAuthorizationEntry temporary = new TempDestinationAuthorizationEntry();
            roles(temporary, OPERATORS, both, OPERATORS);
            map.setTempDestinationAuthorizationEntry(temporary);
            return map;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the authorization map", e);
        }
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
        return "collectives " + collectives + ", operators " + operators;
    }
}
