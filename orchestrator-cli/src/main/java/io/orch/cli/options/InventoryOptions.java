package io.orch.cli.options;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How long this host remembers a node that has gone quiet on the registry. */
public final class InventoryOptions {
    @Option(names = "--inventory-forget-after", paramLabel = "DURATION", defaultValue = "30d",
            converter = DurationConverter.Retention.class,
            description = "Forget a known node that has not announced itself for this long, e.g. 30d or 720h "
                    + "(config: inventory_forget_after, env ORCH_INVENTORY_FORGET_AFTER; default: ${DEFAULT-VALUE}).")
    Duration forgetAfter;

    public Duration forgetAfter() {
        return forgetAfter;
    }
}
