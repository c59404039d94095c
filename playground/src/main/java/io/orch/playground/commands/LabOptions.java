package io.orch.playground.commands;

import io.orch.playground.lab.LabPki;
import java.nio.file.Path;
import io.orch.cli.UsageException;
import io.orch.cli.options.DurationConverter;
import io.orch.playground.lab.LabTiming;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The lab's shape, shared by {@code orch lab} and {@code orch demo}. */
final class LabOptions {
    @Option(names = "--pending", paramLabel = "RATE", defaultValue = "30%",
            description = "Share of nodes with a reboot pending, as 30%% or 0.3 (default: 30%%).")
    String pending;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed for facts and the pending set; the same seed gives the same lab (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--time-scale", defaultValue = "0.05",
            description = "Reboot delays are multiplied by this, so the default 1m delay takes 3s (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--down-time", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "How long a rebooting node stays off the bus (default: ${DEFAULT-VALUE}).")
    Duration downTime;

    @Option(names = "--pki-dir", paramLabel = "DIR",
            description = "The lab's throwaway CA, the operator's and broker's certificates and the nodes' keys, made "
                    + "on first use and shared by orch broker, orch lab and orch (default: ~/.orch/lab).")
    Path pkiDir;

    @Option(names = "--insecure",
            description = "Nodes verify nothing and sign nothing (security: insecure), as orch ran before it had "
                    + "security; for a broker started with --insecure and orch --security insecure.")
    boolean insecure;

    /** The lab's PKI folder. */
    Path pkiDir() {
        return pkiDir != null ? pkiDir : LabPki.defaultDir();
    }

    long seed() {
        return seed;
    }

    double pendingRate() {
        String p = pending.trim();
        try {
            double rate = p.endsWith("%") ? Double.parseDouble(p.substring(0, p.length() - 1)) / 100
                    : Double.parseDouble(p);
            if (rate < 0 || rate > 1 || Double.isNaN(rate)) {
                throw new UsageException("--pending must be between 0% and 100%, got '" + pending + "'");
            }
            return rate;
        } catch (NumberFormatException e) {
            throw new UsageException("--pending must be a rate like 30% or 0.3, got '" + pending + "'");
        }
    }

    LabTiming timing() {
        try {
            return new LabTiming(timeScale, downTime);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--time-scale: " + e.getMessage());
        }
    }
}
