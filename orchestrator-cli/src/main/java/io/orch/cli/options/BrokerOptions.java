package io.orch.cli.options;

import io.orch.cli.UsageException;
import io.orch.protocol.bus.Destinations;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the bus is. The defaults here apply when neither a flag nor the client configuration
 * ({@link io.orch.cli.config.ClientConfig}: {@code ORCH_*} environment, then the config files) gives a value.
 */
public final class BrokerOptions {
    public static final String DEFAULT_BROKER = "tcp://127.0.0.1:61616";

    @Option(names = "--broker", paramLabel = "URL", defaultValue = DEFAULT_BROKER,
            description = "Broker URL, e.g. tcp://broker:61616 or failover:(tcp://a:61616,tcp://b:61616) "
                    + "(config: broker, env ORCH_BROKER; default: ${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--collective", paramLabel = "NAME",
            defaultValue = Destinations.DEFAULT_COLLECTIVE,
            description = "Collective to talk to (config: collective, env ORCH_COLLECTIVE; default: ${DEFAULT-VALUE}).")
    String collective;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Give up on the broker after this long (config: connect_timeout, env ORCH_CONNECT_TIMEOUT; "
                    + "default: ${DEFAULT-VALUE}); exit code 3.")
    Duration connectTimeout;

    public String broker() {
        return broker;
    }

    public Destinations destinations() {
        try {
            return new Destinations(collective);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--collective: " + e.getMessage());
        }
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }
}
