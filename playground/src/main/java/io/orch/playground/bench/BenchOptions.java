package io.orch.playground.bench;

import io.orch.cli.options.BrokerOptions;
import io.orch.playground.lab.LabPki;
import io.orch.responder.security.NodeSecurity;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.activemq.ActiveMQConnectionFactory;
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
        return broker.destinations().node("bench-raw");
    }

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
