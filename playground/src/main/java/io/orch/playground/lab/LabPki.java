package io.orch.playground.lab;

import io.orch.protocol.envelope.Codec;
import io.orch.responder.policy.PolicySource;
import io.orch.responder.security.NodeSecurity;
import io.orch.trust.Credentials;
import io.orch.trust.LocalCa;
import io.orch.trust.SecuritySettings;
import io.orch.trust.SiteCa;
import io.orch.trust.TrustException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's throwaway site PKI, so the lab and the demo sign and verify exactly like a real site:
 * a CA made on the fly, an operator ({@value #OPERATOR}) whose files lie in a Puppet-style ssl
 * folder for the CLI, a broker certificate for TLS, a certificate for every lab node (made in
 * memory when the node boots), and a node policy that lets the operator do everything at any time.
 * Kept in one folder, so {@code orch broker}, {@code orch lab} and {@code orch} in three terminals
 * share it; nothing in it is worth anything outside the lab.
 */
public final class LabPki {
    /** The lab's operator: the only caller the lab's nodes obey. */
    public static final String OPERATOR = "lab-operator";
    /** The certificate the lab's shared node connections present to the broker. */
    public static final String NODES = "lab-nodes";
    /** The lab broker's certificate name. */
    public static final String BROKER = "lab-broker";
    /**
     * Ed25519 for the CA, the operator and the nodes: cheap to make by the thousand, and a certificate
     * chain or a signature checks in a fraction of EC P-256's time on this JDK (measured: 1,000 chain
     * checks ~0.9 s against ~3 s), which is what a CLI believing 1,000 signed answers pays.
     */
    private static final LocalCa.KeyType KEYS = LocalCa.KeyType.ED25519;
    /** EC P-256 for the broker's TLS server certificate: every TLS client speaks it. */
    private static final LocalCa.KeyType BROKER_KEYS = LocalCa.KeyType.EC;
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final Path dir;
    private final LocalCa ca;
    private final SiteCa siteCa;
    private final X509CRL crl;
    private final Credentials operator;
    private final PolicySource policy;
    private final Credentials nodes;
    /** One for every lab node: in one JVM, the operator's certificate is checked once, not once per node. */
    private final io.orch.trust.Verifier verifier;
    /** The nodes' certificates and keys kept from earlier labs; read when the first node boots. */
    private LabNodeKeys nodeKeys;
    /** One for every lab node's sealer: it holds nothing of a node's. */
    private final Codec codec = new Codec();

    /** Where {@code orch broker}, {@code orch lab} and {@code ./orch} find the lab's PKI: {@code ~/.orch/lab}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".orch", "lab");
    }

    private LabPki(Path dir, LocalCa ca, X509CRL crl, Credentials operator, Clock clock) throws TrustException {
        this.dir = dir;
        this.ca = ca;
        this.crl = crl;
        this.siteCa = SiteCa.of(List.of(ca.certificate()), List.of(crl), dir.toString());
        this.operator = operator;
        this.policy = new PolicySource(dir.resolve("policy.yaml"), clock);
        LocalCa.Issued shared = ca.issue(NODES, KEYS, VALIDITY);
        this.nodes = Credentials.of(siteCa, shared.certificate(), List.of(), shared.keys().getPrivate(),
                clock.instant(), NODES);
        this.verifier = io.orch.trust.Verifier.sharedByNodes(siteCa, clock);
    }

    /**
     * The lab PKI in {@code dir}: the one there if it is complete and still valid, else a new one.
     */
    public static synchronized LabPki openOrCreate(Path dir, Clock clock) throws IOException, TrustException {
        Path caCert = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca_key.pem");
        Path ssl = dir.resolve("ssl");
        if (Files.exists(caCert) && Files.exists(caKey) && Files.exists(dir.resolve("policy.yaml"))) {
            try {
                LocalCa ca = LocalCa.load(caCert, caKey);
                Credentials operator = Credentials.load(SecuritySettings.puppet(ssl, OPERATOR)
                        .resolve(ssl, OPERATOR), clock.instant());
                if (ca.certificate().getNotAfter().toInstant().isAfter(clock.instant().plus(Duration.ofDays(1)))) {
                    return new LabPki(dir, ca, ca.crl(), operator, clock);
                }
            } catch (TrustException e) {
                // a broken or foreign lab folder: made again below
            }
        }
        Files.createDirectories(dir);
        LocalCa ca = LocalCa.create("orch lab CA", KEYS, VALIDITY.plusDays(1));
        X509CRL crl = ca.crl();
        LocalCa.writePem(caCert, ca.certificate());
        LocalCa.writePrivateKey(caKey, ca.ca().keys().getPrivate());
        LocalCa.writePem(dir.resolve("crl.pem"), crl); // as orch pki init lays a CA out: orch pki issue works here
        Files.createDirectories(dir.resolve("issued"));
        LocalCa.Issued op = ca.issue(OPERATOR, KEYS, VALIDITY);
        ca.writeLayout(ssl, op, List.of(), crl);
        LocalCa.Issued broker = ca.issue(BROKER, BROKER_KEYS, VALIDITY, "localhost", "127.0.0.1", "::1");
        ca.writeLayout(dir.resolve("broker-ssl"), broker, List.of(), crl);
        Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Credentials operator = Credentials.load(SecuritySettings.puppet(ssl, OPERATOR).resolve(ssl, OPERATOR),
                clock.instant());
        return new LabPki(dir, ca, crl, operator, clock);
    }

    /** What every lab node obeys: its operator, for everything, at any time. */
    static final String POLICY = """
            # The lab's node policy: its throwaway operator may do everything, at any time.
            # A real site's policy (deploy/config/policy.yaml) names its operators and a maintenance window.
            rules:
              - callers: [%s]
                actions: [ping, discover, status, reboot, force, cancel]
                any_time: true
            """.formatted(OPERATOR);

    public Path dir() {
        return dir;
    }

    /** The operator's Puppet-style ssl folder, for {@code orch --ssl-dir DIR --certname lab-operator}. */
    public Path operatorSslDir() {
        return dir.resolve("ssl");
    }

    /** The broker's Puppet-style ssl folder (certname {@value #BROKER}). */
    public Path brokerSslDir() {
        return dir.resolve("broker-ssl");
    }

    public Credentials operator() {
        return operator;
    }

    /** Where the lab's TLS broker listens unless told otherwise. */
    public static final int BROKER_PORT = 61617;

    /**
     * A TLS-only broker with this PKI: client certificates required, the lab's operator the only
     * operator, every other certificate of the CA a node.
     */
    public io.orch.playground.broker.EmbeddedBroker startBroker(String host, int port, Clock clock,
            org.apache.activemq.broker.BrokerPlugin... plugins) throws Exception {
        return io.orch.playground.broker.EmbeddedBroker.startTls(host, port, brokerTls(clock),
                io.orch.playground.broker.BrokerAccess.operators(OPERATOR), plugins);
    }

    /** Where the lab's TLS broker opens {@code stomp+ssl} unless told otherwise (ActiveMQ's usual STOMP+SSL port). */
    public static final int STOMP_PORT = 61614;

    /** As {@link #startBroker}, plus a {@code stomp+ssl} connector on {@code stompPort} with the same logins and rules. */
    public io.orch.playground.broker.EmbeddedBroker startBroker(String host, int port, int stompPort, Clock clock,
            org.apache.activemq.broker.BrokerPlugin... plugins) throws Exception {
        return io.orch.playground.broker.EmbeddedBroker.startTls(host, port, stompPort, brokerTls(clock),
                io.orch.playground.broker.BrokerAccess.operators(OPERATOR), plugins);
    }

    /**
     * As {@link #startBroker(String, int, int, Clock, org.apache.activemq.broker.BrokerPlugin...)}, as a member of
     * {@code network}. Every lab broker shows the one certificate {@value #BROKER}, so a bridge between two of
     * them logs in on each side as a broker (role {@code brokers}).
     */
    public io.orch.playground.broker.EmbeddedBroker startNetworkBroker(String host, int port, int stompPort,
            io.orch.playground.broker.BrokerNetwork network, Clock clock,
            org.apache.activemq.broker.BrokerPlugin... plugins) throws Exception {
        return io.orch.playground.broker.EmbeddedBroker.startTlsMember(host, port, stompPort, brokerTls(clock),
                io.orch.playground.broker.BrokerAccess.operators(OPERATOR).withBrokers(List.of(BROKER)), network,
                plugins);
    }

    /** The broker's TLS material. */
    public io.orch.trust.TlsMaterial brokerTls(Clock clock) throws TrustException {
        return io.orch.trust.TlsMaterial.of(broker(clock));
    }

    public Credentials broker(Clock clock) throws TrustException {
        return Credentials.load(SecuritySettings.puppet(brokerSslDir(), BROKER).resolve(brokerSslDir(), BROKER),
                clock.instant());
    }

    public SiteCa siteCa() {
        return siteCa;
    }

    /** The client settings that make {@code orch} the lab's operator, as {@code ORCH_*} environment. */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ORCH_SECURITY", "verified");
        env.put("ORCH_SSL_DIR", operatorSslDir().toString());
        env.put("ORCH_CERTNAME", OPERATOR);
        return env;
    }

    /**
     * A connection factory for the lab's nodes. In the lab a handful of connections carry a thousand
     * nodes, so they share one certificate, {@value #NODES}: a node's, not the operator's, so the
     * broker gives those connections exactly a node's rights.
     */
    public org.apache.activemq.ActiveMQConnectionFactory connectionFactory(String url) {
        return NodeSecurity.connectionFactory(url, nodes);
    }

    /** A new certificate of the lab's CA for {@code name}, in memory (tests: a forger holding a real node's key). */
    public Credentials issue(String name, Clock clock) throws TrustException {
        LocalCa.Issued issued = ca.issue(name, KEYS, VALIDITY);
        return Credentials.of(siteCa, issued.certificate(), List.of(), issued.keys().getPrivate(), clock.instant(),
                name);
    }

    /**
     * Lab node {@code identity}'s certificate and key, and what it trusts: the ones it had in an earlier lab
     * in this folder while they are still good, else new ones of the lab's CA. Either way checked against the
     * lab's CA before use (signature, names, dates, the key fits: {@link Credentials#issuedBy}).
     */
    public NodeSecurity node(String identity, Clock clock) throws TrustException {
        java.time.Instant now = clock.instant();
        LabNodeKeys keys = nodeKeys();
        LabNodeKeys.Entry kept = keys.get(identity, now);
        if (kept != null) {
            try {
                return security(identity, kept, now);
            } catch (TrustException e) {
                // of an earlier CA in this folder, say: issued anew below
            }
        }
        LocalCa.Issued issued = ca.issue(identity, KEYS, VALIDITY);
        LabNodeKeys.Entry fresh = new LabNodeKeys.Entry(issued.certificate(), issued.keys().getPrivate());
        NodeSecurity security = security(identity, fresh, now);
        keys.put(identity, fresh);
        return security;
    }

    private NodeSecurity security(String identity, LabNodeKeys.Entry entry, java.time.Instant now)
            throws TrustException {
        // Checked against the lab's own CA key rather than by PKIX: the same assurance for a certificate the
        // lab issued itself, at a fraction of the cost, for every node of every lab start.
        Credentials credentials = Credentials.issuedBy(ca, siteCa, entry.certificate(), entry.key(), now,
                "lab node " + identity);
        if (!credentials.name().equals(identity)) {
            throw new TrustException("lab node " + identity + ": certificate is for " + credentials.name());
        }
        return new NodeSecurity(io.orch.trust.Sealer.signing(codec, credentials), verifier, policy, credentials);
    }

    private synchronized LabNodeKeys nodeKeys() {
        if (nodeKeys == null) {
            nodeKeys = LabNodeKeys.load(dir);
        }
        return nodeKeys;
    }

    /** Keeps the keys issued to this lab's nodes in the folder, for the next lab there ({@link LabNodeKeys}). */
    public void keepNodeKeys() throws IOException {
        LabNodeKeys keys;
        synchronized (this) {
            keys = nodeKeys;
        }
        if (keys != null) {
            keys.save();
        }
    }
}
