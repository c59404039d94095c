package io.orch.cli.client;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.NoData;
import io.orch.trust.SecuritySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * A connection to the broker begun as the process starts, beside the building and parsing of the command line
 * (a third of a short run), with what the configuration and a first look at the arguments say it will be: the
 * broker, the collective, the connect timeout and the operator's key files ({@link Plan}). The key is read and
 * handed to the handshake on the head start's thread, and a request is signed once ahead (never sent).
 *
 * <p>A command takes it only when the plan it works out from its parsed options is equal, field by field, to
 * this one ({@link HeadStart#claim}); then it is exactly the connection the command would have begun itself,
 * only earlier. Any other plan, a command line that does not parse, or a command that does not connect closes
 * it: nothing has been sent on it by then, not even a subscription.
 */
public final class EarlyConnection {
    /**
     * What a command connects with.
     *
     * @param brokerUrl      the broker URL as given
     * @param collective     the collective
     * @param connectTimeout how long connecting may take
     * @param keyFiles       the operator's key, certificate, CA and CRL; null for {@code security: insecure}
     * @param stateDir       the CLI's state folder (its remembered certificate chains)
     */
    public record Plan(String brokerUrl, String collective, Duration connectTimeout, SecuritySettings.Locations keyFiles,
                       Path stateDir) {
        public Plan {
            Objects.requireNonNull(brokerUrl, "brokerUrl == null");
            Objects.requireNonNull(collective, "collective == null");
            Objects.requireNonNull(connectTimeout, "connectTimeout == null");
        }
    }

    private final Plan plan;
    private final OrchClient.Connecting connecting;
    private final ClientSecurity security;

    private EarlyConnection(Plan plan, OrchClient.Connecting connecting, ClientSecurity security) {
        this.plan = plan;
        this.connecting = connecting;
        this.security = security;
    }

    /**
     * Begins connecting per {@code plan}, reads the key with {@code loadKey} (the command's own loader) and hands
     * it over. Null when any of that fails: the command then does it all again itself and reports what fails,
     * with its own words and exit code.
     */
    static EarlyConnection begin(Plan plan, Function<Plan, ClientSecurity> loadKey) {
        OrchClient.Connecting connecting = null;
        try {
            Destinations destinations = new Destinations(plan.collective());
            connecting = OrchClient.begin(plan.brokerUrl(), destinations, plan.connectTimeout(),
                    plan.keyFiles() == null);
            ClientSecurity security = loadKey.apply(plan);
            connecting.secure(security);
            prepare(connecting, plan);
            return new EarlyConnection(plan, connecting, security);
        } catch (RuntimeException e) {
            if (connecting != null) {
                connecting.close();
            }
            return null;
        }
    }

    /** The signer's and the codec's first use, as the command's own prepare does; the text is thrown away. */
    private static void prepare(OrchClient.Connecting connecting, Plan plan) {
        try {
            connecting.prepare(Request.create(plan.collective(), Action.DISCOVER, FilterSpec.EMPTY, NoData.INSTANCE,
                    "prepare", "prepare", Instant.now(), Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            // only a warm-up: the command prepares its own request
        }
    }

    public Plan plan() {
        return plan;
    }

    /** The connection under way, the operator's key already handed to it. */
    public OrchClient.Connecting connecting() {
        return connecting;
    }

    /** The operator's key material, read and checked as the command's own loader does. */
    public ClientSecurity security() {
        return security;
    }

    /** Gives the connection up, whenever it comes. */
    void close() {
        connecting.close();
    }
}
