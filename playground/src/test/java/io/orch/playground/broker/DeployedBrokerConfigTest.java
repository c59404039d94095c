package io.orch.playground.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.orch.trust.LocalCa;
import io.orch.trust.TlsMaterial;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.Principal;
import java.security.cert.CRL;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.SslContext;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.command.ConnectionInfo;
import org.apache.activemq.filter.DestinationMapEntry;
import org.apache.activemq.security.AuthorizationEntry;
import org.apache.activemq.security.AuthorizationPlugin;
import org.apache.activemq.security.DefaultAuthorizationMap;
import org.apache.activemq.security.SecurityContext;
import org.apache.activemq.security.TempDestinationAuthorizationEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code deploy/broker/} as a site installs it holds the {@link BrokerAclContract}. The key stores and
 * the user files are made by the shipped scripts ({@code make-broker-keystores}, {@code make-broker-users})
 * from a throwaway CA's PEM files; the broker is built from {@code activemq.xml} itself: its transport,
 * its broker settings, its sslContext (read as ActiveMQ's {@code SpringSslContext} reads it: PKCS12, PKIX,
 * the CRL), its authorization entries (set through the very setters the XML names), and its JAAS entry in
 * {@code login.config}, whose {@code TextFileCertificateLoginModule} is played by a small plugin here.
 *
 * <p>Why not the XML through ActiveMQ's own loader: {@code xbean:} URIs need activemq-spring, Spring and
 * activemq-jaas, which this build cannot fetch. What this test cannot catch, then: a misspelt element or
 * attribute that ActiveMQ's schema would refuse. Every element and attribute it reads is checked against
 * the names ActiveMQ's classes have (an unknown one fails the test).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployedBrokerConfigTest extends BrokerAclContract {
    private static final Path DEPLOY = Path.of("..", "deploy", "broker").toAbsolutePath().normalize();

    Path home;
    Path conf;
    Document xml;
    BrokerService service;
    DefaultAuthorizationMap deployedMap;
    TextFileCertificateLogin login;
    String url;

    @BeforeAll
    void start(@TempDir Path home) throws Exception {
        assumeTrue(onPath("openssl") && onPath("keytool"), "the deploy scripts need openssl and keytool");
        this.home = home;
        identities();
        conf = Files.createDirectories(home.resolve("conf"));
        Path ssl = home.resolve("puppet-ssl");
        pki.site.writeLayout(ssl, pki.brokerCertificate, List.of(), pki.crl);
        run(DEPLOY.resolve("make-broker-keystores"), "--cert", ssl.resolve("certs/broker.pem").toString(),
                "--key", ssl.resolve("private_keys/broker.pem").toString(), "--ca", ssl.resolve("certs/ca.pem").toString(),
                "--crl", ssl.resolve("crl.pem").toString(), "--out", conf.resolve("orch").toString());
        users("web01", "web02");
        Files.copy(DEPLOY.resolve("login.config"), conf.resolve("login.config"));

        xml = parse(DEPLOY.resolve("activemq.xml"));
        service = brokerFrom(xml);
        service.start();
        service.waitUntilStarted();
        TransportConnector connector = service.getTransportConnectors().get(0);
        url = "ssl://127.0.0.1:" + connector.getConnectUri().getPort();
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.stop();
            service.waitUntilStopped();
        }
    }

    @Override
    String url() {
        return url;
    }

    // --- the file itself -------------------------------------------------------------------------------

    @Test
    void onlyTheTlsTransportIsOpenAndItRequiresAClientCertificate() {
        List<Element> connectors = elements(xml.getDocumentElement(), "transportConnector");
        assertEquals(1, connectors.size());
        URI uri = URI.create(connectors.get(0).getAttribute("uri"));
        assertEquals("ssl", uri.getScheme());
        assertTrue(uri.getQuery().contains("needClientAuth=true"), uri.toString());
        assertTrue(elements(xml.getDocumentElement(), "import").isEmpty(), "no jetty.xml: no web console");
        assertEquals("false", elements(xml.getDocumentElement(), "managementContext").get(1).getAttribute("createConnector"));
    }

    @Test
    void transportAndSlowConsumerLimitsAreOrchs() {
        URI uri = URI.create(elements(xml.getDocumentElement(), "transportConnector").get(0).getAttribute("uri"));
        List<String> options = List.of(uri.getQuery().split("&"));
        assertTrue(options.contains("wireFormat.maxFrameSize=" + io.orch.protocol.Limits.MAX_FRAME_BYTES), uri.toString());
        assertTrue(options.contains("wireFormat.maxInactivityDuration=" + io.orch.protocol.Limits.MAX_INACTIVITY_MS),
                uri.toString());
        Element pending = elements(xml.getDocumentElement(), "constantPendingMessageLimitStrategy").get(0);
        assertEquals(Integer.toString(io.orch.protocol.Limits.MAX_BROKER_TOPIC_PENDING), pending.getAttribute("limit"));
        assertEquals(">", ((Element) pending.getParentNode().getParentNode()).getAttribute("topic"));
    }

    @Test
    void itsDestinationPoliciesAreTheEmbeddedBrokers() {
        // The file's policy entries, built as ActiveMQ would, then asked about the same topics as the embedded map.
        List<org.apache.activemq.broker.region.policy.PolicyEntry> entries = new ArrayList<>();
        for (Element element : elements(xml.getDocumentElement(), "policyEntry")) {
            org.apache.activemq.broker.region.policy.PolicyEntry entry = new org.apache.activemq.broker.region.policy.PolicyEntry();
            entry.setTopic(element.getAttribute("topic"));
            if (!elements(element, "lastImageSubscriptionRecoveryPolicy").isEmpty()) {
                entry.setSubscriptionRecoveryPolicy(new org.apache.activemq.broker.region.policy.LastImageSubscriptionRecoveryPolicy());
            }
            org.apache.activemq.broker.region.policy.ConstantPendingMessageLimitStrategy limit =
                    new org.apache.activemq.broker.region.policy.ConstantPendingMessageLimitStrategy();
            limit.setLimit(Integer.parseInt(elements(element, "constantPendingMessageLimitStrategy").get(0)
                    .getAttribute("limit")));
            entry.setPendingMessageLimitStrategy(limit);
            entries.add(entry);
        }
        org.apache.activemq.broker.region.policy.PolicyMap deployed = new org.apache.activemq.broker.region.policy.PolicyMap();
        deployed.setPolicyEntries(entries);
        org.apache.activemq.broker.region.policy.PolicyMap embedded = EmbeddedBroker.destinationPolicy();
        for (String topic : List.of("orch.registry.web01", "orch.registry.~sync", "staging.registry.db1", "orch.events",
                "orch.broadcast", "orch.node.web01", "orch.node.registry.x")) {
            ActiveMQTopic destination = new ActiveMQTopic(topic);
            assertEquals(describe(embedded.getEntryFor(destination)), describe(deployed.getEntryFor(destination)), topic);
        }
        assertEquals(List.of("last image", io.orch.protocol.Limits.MAX_BROKER_REGISTRY_PENDING),
                describe(deployed.getEntryFor(new ActiveMQTopic("orch.registry.web01"))));
    }

    private static List<Object> describe(org.apache.activemq.broker.region.policy.PolicyEntry entry) {
        boolean lastImage = entry.getSubscriptionRecoveryPolicy()
                instanceof org.apache.activemq.broker.region.policy.LastImageSubscriptionRecoveryPolicy;
        return List.of(lastImage ? "last image" : "none",
                entry.getPendingMessageLimitStrategy().getMaximumPendingMessageLimit(null));
    }

    @Test
    void keyStoresAreOwnerAndGroupReadableOnly() throws Exception {
        for (String file : List.of("broker.p12", "truststore.p12", "tls.properties", "crl.pem", "users.properties",
                "groups.properties")) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(conf.resolve("orch").resolve(file))), file);
        }
    }

    @Test
    void itsAuthorizationMapIsTheEmbeddedBrokersForTheDefaultCollective() {
        DefaultAuthorizationMap embedded = BrokerAccess.operators("alice").authorizationMap();
        for (String topic : List.of("orch.broadcast", "orch.node.web01", "orch.node.web01.example.com", "orch.events",
                "orch.registry.web01", "orch.registry.>", "orch.registry.~sync", "orch.node.>", "orch.>", "orch.*", ">",
                "staging.broadcast",
                "ActiveMQ.Advisory.TempQueue", "ActiveMQ.Advisory.TempTopic", "ActiveMQ.Advisory.Connection")) {
            ActiveMQTopic destination = new ActiveMQTopic(topic);
            assertEquals(embedded.getReadACLs(destination), deployedMap.getReadACLs(destination), "read " + topic);
            assertEquals(embedded.getWriteACLs(destination), deployedMap.getWriteACLs(destination), "write " + topic);
            assertEquals(embedded.getAdminACLs(destination), deployedMap.getAdminACLs(destination), "admin " + topic);
        }
        ActiveMQQueue queue = new ActiveMQQueue("orch.broadcast");
        assertEquals(Set.of(), deployedMap.getWriteACLs(queue), "no queue is open");
        assertEquals(embedded.getWriteACLs(queue), deployedMap.getWriteACLs(queue));
        assertEquals(embedded.getTempDestinationReadACLs(), deployedMap.getTempDestinationReadACLs());
        assertEquals(embedded.getTempDestinationWriteACLs(), deployedMap.getTempDestinationWriteACLs());
        assertEquals(embedded.getTempDestinationAdminACLs(), deployedMap.getTempDestinationAdminACLs());
    }

    // --- what a standalone broker adds: only the listed certificates get in ------------------------------

    @Test
    void certificateOfTheCaThatIsNotListedIsRefusedAtLogin() throws Exception {
        TlsMaterial web03 = pki.identity("web03");
        login.refused.clear();
        JMSException e = assertThrows(JMSException.class, () -> TlsClients.connect(url, web03));
        assertEquals(List.of("CN=web03"), List.copyOf(login.refused), "the broker's login refused it");
        // The broker answers the refusal, then closes the socket 2 s later (AMQ-6561). A client stalled past
        // that (a GC pause in a loaded test JVM) reads only the close, so the refusal is checked on the
        // broker's side and the client's message only when the answer reached it.
        if (e instanceof JMSSecurityException) {
            assertTrue(e.getMessage().contains("No user for client certificate: CN=web03"), e.getMessage());
        }
    }

    @Test
    void anyNodeLetsInEveryOtherCertificateOfTheCaAsANode() throws Exception {
        try {
            run(DEPLOY.resolve("make-broker-users"), "--operators", "alice", "--any-node", "--out",
                    conf.resolve("orch").toString());
            TlsMaterial web03 = pki.identity("web03");
            try (Connection connection = TlsClients.connect(url, web03)) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createTopic("orch.events")).send(session.createTextMessage("{}"));
                assertThrows(JMSSecurityException.class, () -> session.createProducer(session.createTopic("orch.broadcast")));
            }
            try (Connection operator = TlsClients.connect(url, alice)) {
                Session session = operator.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertNotNull(session.createProducer(session.createTopic("orch.broadcast")));
            }
        } finally {
            users("web01", "web02");
        }
    }

    // --- building the broker from the file ---------------------------------------------------------------

    private void users(String... nodes) throws Exception {
        List<String> args = new ArrayList<>(List.of("--operators", "alice", "--out", conf.resolve("orch").toString()));
        args.addAll(List.of(nodes));
        run(DEPLOY.resolve("make-broker-users"), args.toArray(String[]::new));
    }

    private BrokerService brokerFrom(Document document) throws Exception {
        Map<String, String> placeholders = placeholders(document);
        Element broker = elements(document.getDocumentElement(), "broker").get(0);
        BrokerService service = new BrokerService();
        service.setUseJmx(false);
        service.setUseShutdownHook(false);
        for (Node attribute : iterable(broker.getAttributes())) {
            String value = resolve(attribute.getNodeValue(), placeholders);
            switch (attribute.getNodeName()) {
                case "xmlns" -> { }
                case "brokerName" -> service.setBrokerName(value + "-deploy-test");
                case "dataDirectory" -> service.setDataDirectory(value);
                case "persistent" -> service.setPersistent(Boolean.parseBoolean(value));
                case "advisorySupport" -> service.setAdvisorySupport(Boolean.parseBoolean(value));
                case "schedulerSupport" -> service.setSchedulerSupport(Boolean.parseBoolean(value));
                default -> throw new AssertionError("broker attribute this test does not know: " + attribute);
            }
        }
        for (Element child : children(broker)) {
            // destinationPolicy and managementContext do not bear on who may connect or do what.
            assertTrue(Set.of("destinationPolicy", "managementContext", "plugins", "sslContext", "transportConnectors")
                    .contains(child.getLocalName()), "broker element this test does not know: " + child.getLocalName());
        }
        List<BrokerPlugin> plugins = new ArrayList<>();
        for (Element plugin : children(elements(broker, "plugins").get(0))) {
            switch (plugin.getLocalName()) {
                case "jaasCertificateAuthenticationPlugin" ->
                        plugins.add(login = new TextFileCertificateLogin(conf.resolve("login.config"),
                                plugin.getAttribute("configuration")));
                case "authorizationPlugin" -> {
                    deployedMap = authorizationMap(plugin);
                    plugins.add(new AuthorizationPlugin(deployedMap));
                }
                default -> throw new AssertionError("plugin this test does not know: " + plugin.getLocalName());
            }
        }
        service.setPlugins(plugins.toArray(BrokerPlugin[]::new));
        service.setSslContext(sslContext(elements(elements(broker, "sslContext").get(0), "sslContext").get(0), placeholders));
        for (Element connector : elements(broker, "transportConnector")) {
            URI uri = URI.create(resolve(connector.getAttribute("uri"), placeholders));
            // Loopback and a free port instead of 0.0.0.0:61617; everything after the port as written.
            service.addConnector(new URI(uri.getScheme(), null, "127.0.0.1", 0, uri.getPath(), uri.getQuery(), null));
        }
        return service;
    }

    /** As ActiveMQ's SpringSslContext builds it: key and trust stores by type, PKIX with the CRLs of crlPath. */
    private static SslContext sslContext(Element element, Map<String, String> placeholders) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (Node attribute : iterable(element.getAttributes())) {
            a.put(attribute.getNodeName(), resolve(attribute.getNodeValue(), placeholders));
        }
        Set<String> known = Set.of("keyStore", "keyStoreType", "keyStorePassword", "trustStore", "trustStoreType",
                "trustStorePassword", "trustStoreAlgorithm", "crlPath");
        assertTrue(known.containsAll(a.keySet()), "sslContext attributes this test does not know: " + a.keySet());
        KeyStore keys = load(a.get("keyStoreType"), a.get("keyStore"), a.get("keyStorePassword"));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, a.get("keyStorePassword").toCharArray());
        KeyStore trusted = load(a.get("trustStoreType"), a.get("trustStore"), a.get("trustStorePassword"));
        assertEquals("PKIX", a.get("trustStoreAlgorithm"), "SpringSslContext checks CRLs only with PKIX");
        PKIXBuilderParameters pkix = new PKIXBuilderParameters(trusted, new X509CertSelector());
        pkix.setRevocationEnabled(true);
        Collection<? extends CRL> crls;
        try (InputStream in = Files.newInputStream(Path.of(URI.create(a.get("crlPath"))))) {
            crls = CertificateFactory.getInstance("X.509").generateCRLs(in);
        }
        pkix.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(a.get("trustStoreAlgorithm"));
        tmf.init(new CertPathTrustManagerParameters(pkix));
        return new SslContext(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    }

    private static KeyStore load(String type, String url, String password) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(URI.create(url)))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    /** The entries as xbean makes them: each attribute through its setter, with our role class as group class. */
    @SuppressWarnings("rawtypes")
    private static DefaultAuthorizationMap authorizationMap(Element plugin) throws Exception {
        Element map = elements(plugin, "authorizationMap").get(0);
        List<DestinationMapEntry> entries = new ArrayList<>();
        for (Element entry : elements(map, "authorizationEntry")) {
            entries.add(entry(new AuthorizationEntry(), entry));
        }
        DefaultAuthorizationMap answer = new DefaultAuthorizationMap(entries);
        List<Element> temporary = elements(map, "tempDestinationAuthorizationEntry");
        assertEquals(2, temporary.size(), "<tempDestinationAuthorizationEntry><tempDestinationAuthorizationEntry .../>");
        answer.setTempDestinationAuthorizationEntry(
                (TempDestinationAuthorizationEntry) entry(new TempDestinationAuthorizationEntry(), temporary.get(1)));
        return answer;
    }

    private static AuthorizationEntry entry(AuthorizationEntry entry, Element element) throws Exception {
        entry.setGroupClass(RolePrincipal.class.getName());
        for (Node attribute : iterable(element.getAttributes())) {
            String value = attribute.getNodeValue();
            switch (attribute.getNodeName()) {
                case "topic" -> entry.setTopic(value);
                case "queue" -> entry.setQueue(value);
                case "read" -> entry.setRead(value);
                case "write" -> entry.setWrite(value);
                case "admin" -> entry.setAdmin(value);
                default -> throw new AssertionError("authorization attribute this test does not know: " + attribute);
            }
        }
        return entry;
    }

    /** ${activemq.conf} and ${activemq.data} as bin/activemq sets them, and the file the placeholder configurer reads. */
    private Map<String, String> placeholders(Document document) throws IOException {
        Map<String, String> values = new HashMap<>();
        values.put("activemq.conf", conf.toString());
        values.put("activemq.data", home.resolve("data").toString());
        Element configurer = elements(document.getDocumentElement(), "bean").get(0);
        assertEquals("org.springframework.beans.factory.config.PropertyPlaceholderConfigurer",
                configurer.getAttribute("class"));
        String location = resolve(elements(configurer, "value").get(0).getTextContent().trim(), values);
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(URI.create(location)))) {
            properties.load(in);
        }
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }

    private static String resolve(String text, Map<String, String> values) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            assertNotNull(value, "no value for ${" + m.group(1) + "}");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /**
     * What JAAS's {@code TextFileCertificateLoginModule} does with the entry of login.config: the
     * certificate's subject (as {@code getSubjectDN().getName()} prints it) is looked up exactly in the
     * users file, then against its {@code /regex/} values; the user's roles come from the groups file.
     * Re-read at every login, as {@code reload=true} has it.
     */
    static final class TextFileCertificateLogin implements BrokerPlugin {
        /** The subjects it refused, in order. */
        final Queue<String> refused = new ConcurrentLinkedQueue<>();
        private final Path users;
        private final Path groups;

        TextFileCertificateLogin(Path loginConfig, String entry) throws IOException {
            String text = Files.readString(loginConfig);
            Matcher block = Pattern.compile(Pattern.quote(entry) + "\\s*\\{(.*?)};", Pattern.DOTALL).matcher(text);
            assertTrue(block.find(), "no entry " + entry + " in " + loginConfig);
            String options = block.group(1);
            assertTrue(options.contains("org.apache.activemq.jaas.TextFileCertificateLoginModule required"), options);
            users = loginConfig.resolveSibling(option(options, "org.apache.activemq.jaas.textfiledn.user"));
            groups = loginConfig.resolveSibling(option(options, "org.apache.activemq.jaas.textfiledn.group"));
        }

        private static String option(String options, String name) {
            Matcher m = Pattern.compile(Pattern.quote(name) + "=\"([^\"]*)\"").matcher(options);
            assertTrue(m.find(), "no option " + name);
            return m.group(1);
        }

        @Override
        public Broker installPlugin(Broker broker) {
            return new BrokerFilter(broker) {
                @Override
                public void addConnection(ConnectionContext context, ConnectionInfo info) throws Exception {
                    if (context.getSecurityContext() == null) {
                        context.setSecurityContext(login(info.getTransportContext()));
                    }
                    super.addConnection(context, info);
                }
            };
        }

        @SuppressWarnings("deprecation")
        private SecurityContext login(Object transportContext) throws IOException {
            if (!(transportContext instanceof X509Certificate[] certs) || certs.length == 0) {
                throw new SecurityException("Unable to authenticate transport without SSL certificate.");
            }
            String dn = certs[0].getSubjectDN().getName();
            Properties userFile = properties(users);
            String user = null;
            for (String name : userFile.stringPropertyNames()) {
                if (userFile.getProperty(name).equals(dn)) {
                    user = name;
                }
            }
            if (user == null) {
                for (String name : userFile.stringPropertyNames()) {
                    String value = userFile.getProperty(name);
                    if (value.length() > 2 && value.startsWith("/") && value.endsWith("/")
                            && Pattern.compile(value.substring(1, value.length() - 1)).matcher(dn).matches()) {
                        user = name;
                    }
                }
            }
            if (user == null) {
                refused.add(dn);
                throw new SecurityException("User name [null] or password is invalid. No user for client certificate: " + dn);
            }
            Set<Principal> principals = new HashSet<>();
            Properties groupFile = properties(groups);
            for (String group : groupFile.stringPropertyNames()) {
                for (String member : groupFile.getProperty(group).split(",")) {
                    if (member.trim().equals(user)) {
                        principals.add(new RolePrincipal(group));
                    }
                }
            }
            return new SecurityContext(user) {
                @Override
                public Set<Principal> getPrincipals() {
                    return principals;
                }
            };
        }

        private static Properties properties(Path file) throws IOException {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            }
            return properties;
        }
    }

    // --- plumbing --------------------------------------------------------------------------------------

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** Descendants named {@code name} (by local name), in document order. */
    private static List<Element> elements(Element root, String name) {
        NodeList list = root.getElementsByTagNameNS("*", name);
        List<Element> answer = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            answer.add((Element) list.item(i));
        }
        return answer;
    }

    private static List<Element> children(Element parent) {
        List<Element> answer = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                answer.add(e);
            }
        }
        return answer;
    }

    private static List<Node> iterable(org.w3c.dom.NamedNodeMap attributes) {
        List<Node> answer = new ArrayList<>();
        for (int i = 0; i < attributes.getLength(); i++) {
            answer.add(attributes.item(i));
        }
        return answer;
    }

    private static void run(Path script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
        assertEquals(0, process.exitValue(), script.getFileName() + " failed: " + output);
        assertFalse(output.isBlank());
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
