package io.orch.playground.bench;

import io.orch.cli.options.BrokerOptions;
import io.orch.playground.lab.LabPki;
import io.orch.responder.security.NodeSecurity;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What both halves of the raw baseline share: the broker, the lab's PKI (or none), the topic and body sizes. */
final class BenchOptions {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--pki-dir", paramLabel = "DIR",
            description = "The lab's PKI folder, as given to orch broker and orch lab (default: ~/.orch/lab).")
    Path pkiDir;

    @Option(names = "--insecure", description = "Plain TCP, for a broker started with --insecure.")
    boolean insecure;

    @Option(names = "--signed", description = {"Each consumer signs its reply (Ed25519, Bouncy Castle, as a node signs "
            + "its own) and the client checks every signature before it counts the reply: the cost of the arithmetic "
            + "alone, the floor of any fan-out whose answers are signed and checked."})
    boolean signed;

    @Option(names = "--request-bytes", defaultValue = "1024",
            description = "Size of the raw request body (default: ${DEFAULT-VALUE}).")
    int requestBytes;

    @Option(names = "--reply-bytes", defaultValue = "1024",
            description = "Size of the fixed raw reply body (default: ${DEFAULT-VALUE}).")
    int replyBytes;

    /**
     * The raw topic: under the collective's node topics, which the broker's access rules already let the
     * nodes' certificate read and the operator's write, and which no lab node subscribes to.
     */
    String topic() {
        // Signing consumers have a topic of their own, so that both kinds can answer on one broker in one run.
        return broker.destinations().node(signed ? "bench-raw-signed" : "bench-raw");
    }

    /**
     * The baseline's one signing key, the same on both sides: benchmark only, it stands for each node's own key
     * (an Ed25519 signature and its check cost the same whatever the key).
     */
    static Ed25519PrivateKeyParameters signingKey() {
        byte[] seed = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
        Arrays.fill(seed, (byte) 7);
        return new Ed25519PrivateKeyParameters(seed);
    }

    /** The JMS property a signed raw reply carries its signature in, base64. */
    static final String SIGNATURE_PROPERTY = "orch_bench_signature";

    String url() {
        return broker.broker().trim();
    }

    /** A factory for {@code url} with the lab nodes' certificate, or the operator's when {@code operator}. */
    ActiveMQConnectionFactory factory(String url, boolean operator) throws Exception {
        if (insecure) {
            return new ActiveMQConnectionFactory(url);
        }
        LabPki pki = LabPki.openOrCreate(pkiDir != null ? pkiDir : LabPki.defaultDir(), Clock.systemUTC());
        return operator ? NodeSecurity.connectionFactory(url, pki.operator()) : pki.connectionFactory(url);
    }

}
