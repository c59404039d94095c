package io.orch.playground.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.playground.lab.LabPki;
import io.orch.protocol.Limits;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.filter.DestinationMapEntry;
import org.apache.activemq.network.DiscoveryNetworkConnector;
import org.apache.activemq.security.AuthorizationEntry;
import org.apache.activemq.security.DefaultAuthorizationMap;
import org.apache.activemq.security.TempDestinationAuthorizationEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The network configs of {@code deploy/broker/} are the single-broker {@code activemq.xml} plus exactly what
 * {@code orch broker --network} adds ({@link EmbeddedBroker#startTlsMember}), which BrokerNetworkEndToEndTest
 * runs: the same transport, TLS, login and limits; the same rights as {@link BrokerAccess#withBrokers}; and on a
 * spoke the same bridge settings. A change to one file that the others do not follow fails here.
 */
class DeployedNetworkConfigTest {
    private static final Path DEPLOY = Path.of("..", "deploy", "broker").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"activemq-network-hub.xml", "activemq-network-spoke.xml"})
    void keepsEverythingOfTheSingleBrokerConfigThatIsNotAboutTheNetwork(String file) throws Exception {
        Element single = parse("activemq.xml");
        Element network = parse(file);
        for (String element : List.of("transportConnector", "sslContext", "jaasCertificateAuthenticationPlugin",
                "managementContext", "policyEntry", "constantPendingMessageLimitStrategy")) {
            assertEquals(attributes(single, element), attributes(network, element), file + ": <" + element + ">");
        }
        Element broker = elements(network, "broker").get(0);
        assertEquals("true", broker.getAttribute("advisorySupport"), "bridges learn of consumers from advisories");
        assertEquals("false", broker.getAttribute("persistent"));
        assertEquals("${orch.broker.name}", broker.getAttribute("brokerName"), "unique per member");
    }

    @ParameterizedTest
    @ValueSource(strings = {"activemq-network-hub.xml", "activemq-network-spoke.xml"})
    void grantsWhatOrchBrokerNetworkGrantsAndNothingElse(String file) throws Exception {
        DefaultAuthorizationMap deployed = authorizationMap(parse(file));
        DefaultAuthorizationMap embedded = BrokerAccess.operators("alice").withBrokers(List.of("mq1"))
                .authorizationMap();
        List<ActiveMQDestination> probes = new ArrayList<>();
        for (String topic : List.of("orch.broadcast", "orch.node.web01", "orch.events", "orch.registry.web01",
                "orch.other", "ActiveMQ.Advisory.Consumer.Topic.orch.broadcast", "ActiveMQ.Advisory.TempQueue",
                "ActiveMQ.Advisory.TempTopic", "ActiveMQ.Advisory.Connection", "other")) {
            probes.add(new ActiveMQTopic(topic));
        }
        for (ActiveMQDestination probe : probes) {
            assertEquals(names(embedded.getReadACLs(probe)), names(deployed.getReadACLs(probe)), "read " + probe);
            assertEquals(names(embedded.getWriteACLs(probe)), names(deployed.getWriteACLs(probe)), "write " + probe);
            assertEquals(names(embedded.getAdminACLs(probe)), names(deployed.getAdminACLs(probe)), "admin " + probe);
        }
        assertEquals(names(embedded.getTempDestinationReadACLs()), names(deployed.getTempDestinationReadACLs()));
        assertEquals(names(embedded.getTempDestinationWriteACLs()), names(deployed.getTempDestinationWriteACLs()));
        assertEquals(names(embedded.getTempDestinationAdminACLs()), names(deployed.getTempDestinationAdminACLs()));
        assertTrue(names(deployed.getReadACLs(new ActiveMQTopic("ActiveMQ.Advisory.Consumer.Topic.orch.events")))
                .equals(Set.of(BrokerAccess.BROKERS)), "only bridges read where consumers are");
    }

    @org.junit.jupiter.api.Test
    void theSpokesBridgeIsTheOneOrchBrokerOpens() throws Exception {
        Element spoke = parse("activemq-network-spoke.xml");
        List<Element> connectors = elements(spoke, "networkConnector");
        assertEquals(1, connectors.size());
        Element bridge = connectors.get(0);
        Set<String> setters = new TreeSet<>();
        for (PropertyDescriptor p : Introspector.getBeanInfo(DiscoveryNetworkConnector.class).getPropertyDescriptors()) {
            if (p.getWriteMethod() != null) {
                setters.add(p.getName());
            }
        }
        for (String attribute : attributes(spoke, "networkConnector").get(0).keySet()) {
            assertTrue(setters.contains(attribute), "networkConnector has no attribute " + attribute);
        }
        assertEquals("true", bridge.getAttribute("duplex"));
        assertEquals(Integer.toString(EmbeddedBroker.NETWORK_TTL), bridge.getAttribute("networkTTL"));
        assertEquals("true", bridge.getAttribute("conduitSubscriptions"));
        assertEquals("true", bridge.getAttribute("bridgeTempDestinations"));
        assertEquals("static:(ssl://${orch.network.hub}?" + EmbeddedBroker.TRANSPORT_LIMITS + ")?initialReconnectDelay="
                + Limits.RECONNECT_INITIAL_DELAY_MS + "&maxReconnectDelay=" + Limits.RECONNECT_MAX_DELAY_MS
                + "&useExponentialBackOff=true", bridge.getAttribute("uri"));
        List<Element> included = elements(elements(bridge, "staticallyIncludedDestinations").get(0), "topic");
        assertEquals(List.of("orch.registry.>"), included.stream().map(e -> e.getAttribute("physicalName")).toList());
        assertTrue(elements(parse("activemq-network-hub.xml"), "networkConnector").isEmpty(), "the hub dials nobody");
    }

    @org.junit.jupiter.api.Test
    void theLabsBrokersLogInAsBrokersAndNobodyElseDoes() {
        BrokerAccess access = BrokerAccess.operators(LabPki.OPERATOR).withBrokers(List.of(LabPki.BROKER));
        assertEquals(BrokerAccess.BROKERS, access.roleOf(LabPki.BROKER));
        assertEquals(BrokerAccess.OPERATORS, access.roleOf(LabPki.OPERATOR));
        assertEquals(BrokerAccess.NODES, access.roleOf(LabPki.NODES));
        assertEquals(BrokerAccess.NODES, BrokerAccess.operators(LabPki.OPERATOR).roleOf(LabPki.BROKER),
                "a broker on its own has no bridge role");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BrokerAccess.operators("alice").withBrokers(List.of("alice")));
    }

    // --- reading the files ---------------------------------------------------------------------------------

    private static Element parse(String file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document xml = factory.newDocumentBuilder().parse(DEPLOY.resolve(file).toFile());
        return xml.getDocumentElement();
    }

    private static List<Element> elements(Element root, String localName) {
        NodeList list = root.getElementsByTagNameNS("*", localName);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    private static List<Map<String, String>> attributes(Element root, String localName) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Element e : elements(root, localName)) {
            Map<String, String> attributes = new TreeMap<>();
            for (int i = 0; i < e.getAttributes().getLength(); i++) {
                org.w3c.dom.Node a = e.getAttributes().item(i);
                attributes.put(a.getNodeName(), a.getNodeValue());
            }
            out.add(attributes);
        }
        return out;
    }

    /** The file's authorization entries, with the playground's role principal standing in for JAAS's group. */
    @SuppressWarnings("rawtypes")
    private static DefaultAuthorizationMap authorizationMap(Element root) throws Exception {
        List<DestinationMapEntry> entries = new ArrayList<>();
        for (Element e : elements(root, "authorizationEntry")) {
            AuthorizationEntry entry = new AuthorizationEntry();
            entry.setTopic(e.getAttribute("topic"));
            roles(entry, e);
            entries.add(entry);
        }
        DefaultAuthorizationMap map = new DefaultAuthorizationMap(entries);
        for (Element e : elements(root, "tempDestinationAuthorizationEntry")) {
            if (e.hasAttribute("read")) {
                TempDestinationAuthorizationEntry temporary = new TempDestinationAuthorizationEntry();
                roles(temporary, e);
                map.setTempDestinationAuthorizationEntry(temporary);
            }
        }
        return map;
    }

    private static void roles(AuthorizationEntry entry, Element e) throws Exception {
        entry.setGroupClass(RolePrincipal.class.getName());
        entry.setRead(e.getAttribute("read"));
        entry.setWrite(e.getAttribute("write"));
        entry.setAdmin(e.getAttribute("admin"));
    }

    private static Set<String> names(Set<?> principals) {
        Set<String> names = new TreeSet<>();
        if (principals != null) {
            for (Object p : principals) {
                names.add(((java.security.Principal) p).getName());
            }
        }
        return names;
    }
}
