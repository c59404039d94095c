package io.orch.responder;

import static io.orch.responder.BusClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.security.NodeSecurity;
import io.orch.trust.Credentials;
import io.orch.trust.LocalCa;
import io.orch.trust.Sealer;
import io.orch.trust.SecuritySettings;
import io.orch.trust.SiteCa;
import io.orch.trust.Verifier;
import jakarta.jms.Connection;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.activemq.broker.BrokerService;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole trust path with certificates exactly as a Puppet CA lays them out, read from the files
 * as they lie: {@code ssl/certs/<certname>.pem}, {@code ssl/private_keys/<certname>.pem} as PKCS#1
 * RSA 4096 keys, {@code ssl/certs/ca.pem} holding a root and an intermediate CA, {@code ssl/crl.pem}
 * with both CAs' CRLs. A node and an operator each have such a folder; the node verifies the
 * operator's signed requests, the operator verifies the node's signed replies, and a revoked
 * operator certificate is refused.
 */
class PuppetSiteOverBrokerTest {
    private static final String NODE = "web01.example.com";

    @TempDir
    static Path dir;

    private static BrokerService broker;
    private static LocalCa root;
    private static LocalCa puppetCa;
    private static X509CRL intermediateCrl;
    private static LocalCa.Issued revokedOperator;
    private static final List<RebootPlan> plans = Collections.synchronizedList(new ArrayList<>());
    private static Connection nodeConnection;
    private static NodeEndpoint endpoint;

    @BeforeAll
    static void puppetSiteAndNode() throws Exception {
        root = LocalCa.create("Puppet Root CA: 0a1b2c3d4e5f", LocalCa.KeyType.RSA, Duration.ofDays(3650));
        puppetCa = root.intermediate("Puppet CA: puppet.example.com", LocalCa.KeyType.RSA, Duration.ofDays(3000));
        revokedOperator = puppetCa.issue("mallory", rsa4096(), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(365)));
        intermediateCrl = puppetCa.crl(revokedOperator.certificate());
        puppetLayout(dir.resolve("node-ssl"), NODE);
        puppetLayout(dir.resolve("alice-ssl"), "alice");
        Files.writeString(dir.resolve("policy.yaml"), """
                rules:
                  - callers: [alice, mallory]
                    actions: [ping, discover, status, reboot, cancel]
                    any_time: true
                """);

        broker = BusClient.startBroker("puppet-site");
        Path root = dir.resolve("root");
        write(root.resolve("etc/os-release"), "ID=rhel\nVERSION_ID=\"9.4\"\n");
        write(root.resolve("proc/sys/kernel/osrelease"), "5.14.0-427.el9.x86_64\n");
        write(root.resolve("proc/sys/kernel/random/boot_id"), "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901\n");
        write(root.resolve("proc/uptime"), "100.0 100.0\n");
        write(root.resolve("run/reboot-required"), "");
        ResponderConfig config = new ResponderConfig(NODE, null, null,
                new ResponderConfig.Facts(root.toString(), List.of()),
                new ResponderConfig.Pending(List.of("reboot_required")),
                new ResponderConfig.Reboot("command", null, null, null, null, List.of(), 0, 0,
                        dir.resolve("state").toString()), null,
                new SecuritySettings(false, dir.resolve("node-ssl").toString(), null, null, null, null, null),
                dir.resolve("policy.yaml").toString());
        NodeFacts facts = ResponderWiring.facts(config, Clock.systemUTC());
        // As orch-responder does: the Puppet agent's files for this certname, checked at start.
        NodeSecurity security = ResponderWiring.security(config, facts.identity(), Clock.systemUTC());
        nodeConnection = BusClient.factory(BusClient.url(broker)).createConnection();
        nodeConnection.start();
        endpoint = NodeEndpoint.open(nodeConnection, new Destinations("orch"), new Codec(), security.sealer());
        RebootExecutor executor = new RebootExecutor() {
            @Override
            public void reboot(RebootPlan plan) {
                plans.add(plan);
            }

            @Override
            public String describe(RebootPlan plan) {
                return "recorded by the test";
            }
        };
        endpoint.serve(ResponderWiring.responder(config, facts, executor, Runnable::run, endpoint,
                Clock.systemUTC(), security));
    }

    @AfterAll
    static void stop() throws Exception {
        endpoint.close();
        nodeConnection.close();
        BusClient.stopAndCheck(broker);
    }

    private static KeyPair rsa4096() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(4096);
        return generator.generateKeyPair();
    }

    /** One Puppet agent's ssl folder: PKCS#1 RSA 4096 key (0600), its certificate, root + intermediate, both CRLs. */
    private static void puppetLayout(Path ssl, String certname) throws Exception {
        LocalCa.Issued issued = puppetCa.issue(certname, rsa4096(), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(365)));
        LocalCa.writePem(ssl.resolve("certs/ca.pem"), root.certificate(), puppetCa.certificate());
        LocalCa.writePem(ssl.resolve("crl.pem"), intermediateCrl, root.crl());
        LocalCa.writePem(ssl.resolve("certs/" + certname + ".pem"), issued.certificate());
        Path key = ssl.resolve("private_keys/" + certname + ".pem");
        Files.createDirectories(key.getParent());
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(issued.keys().getPrivate()); // the traditional form: BEGIN RSA PRIVATE KEY
        }
        Files.writeString(key, text.toString());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static Credentials operator(String certname) throws Exception {
        Path ssl = dir.resolve(certname + "-ssl");
        return Credentials.load(SecuritySettings.puppet(ssl, certname).resolve(ssl, certname), Instant.now());
    }

    private static BusClient client(Sealer sealer) throws Exception {
        SiteCa site = SiteCa.load(dir.resolve("alice-ssl/certs/ca.pem"), dir.resolve("alice-ssl/crl.pem"));
        return BusClient.connect(BusClient.url(broker)).verifyingWith(Verifier.of(site, Clock.systemUTC()))
                .signingWith(sealer);
    }

    private static Request request(Action action, Map<String, Object> params) {
        return Request.create("orch", action, null, params, "alice", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    @Test
    void theKeysAreThePuppetAgentsOwn() throws Exception {
        assertTrue(Files.readString(dir.resolve("node-ssl/private_keys/" + NODE + ".pem"))
                .startsWith("-----BEGIN RSA PRIVATE KEY-----"), "PKCS#1, as Puppet writes it");
        assertEquals(4096, ((java.security.interfaces.RSAKey) operator("alice").certificate().getPublicKey())
                .getModulus().bitLength());
        assertEquals(2, io.orch.trust.Pem.certificates(dir.resolve("node-ssl/certs/ca.pem")).size());
    }

    @Test
    void anOperatorsSignedRequestsAreObeyedAndTheNodesSignedRepliesBelieved() throws Exception {
        try (BusClient alice = client(Sealer.signing(new Codec(), operator("alice")))) {
            Reply status = alice.ask("orch.node." + NODE, request(Action.STATUS, Map.of()));
            assertEquals(ReplyStatus.OK, status.status(), status.message());
            assertEquals(NODE, status.node()); // BusClient checked its signature against the Puppet CA

            Reply noop = alice.ask("orch.node." + NODE, request(Action.REBOOT, Map.of("noop", true)));
            assertEquals(ReplyStatus.NOOP, noop.status(), noop.message());
            Reply reboot = alice.ask("orch.node." + NODE, request(Action.REBOOT, Map.of("delay_s", 0)));
            assertEquals(ReplyStatus.SCHEDULED, reboot.status(), reboot.message());
            eventually().until(() -> plans.size() == 1);
        }
    }

    @Test
    void aRevokedOperatorIsRefusedByTheCrlInTheFolder() throws Exception {
        Path key = dir.resolve("mallory.key");
        Credentials mallory = Credentials.of(SiteCa.of(List.of(root.certificate(), puppetCa.certificate()),
                List.of(), "no CRL"), revokedOperator.certificate(), List.of(), revokedOperator.keys().getPrivate(),
                Instant.now(), key.toString());
        int before = plans.size();
        try (BusClient client = client(Sealer.signing(new Codec(), mallory))) {
            Reply reply = client.ask("orch.node." + NODE, request(Action.REBOOT, Map.of("delay_s", 0)));
            assertEquals(ReplyStatus.DENIED, reply.status(), reply.message());
            assertTrue(reply.message().contains("revoked"), reply.message());
        }
        assertEquals(before, plans.size(), "a revoked operator reboots nothing");
    }
}
