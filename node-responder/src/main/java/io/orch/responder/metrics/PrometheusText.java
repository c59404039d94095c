package io.orch.responder.metrics;

import io.orch.protocol.payload.LoopGuardState;
import io.orch.protocol.payload.Reason;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A {@link NodeSnapshot} in Prometheus' text format, through the Prometheus client's own model and writer (its
 * escaping of label values, its order). Every series is a gauge. Times are Unix seconds, as node_exporter's own
 * {@code node_boot_time_seconds}, so an alert compares them with {@code time()}.
 */
public final class PrometheusText {
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private PrometheusText() {
    }

    /** The metrics of {@code s}, every family with its HELP and TYPE lines. */
    public static String of(NodeSnapshot s, String version) {
        List<GaugeSnapshot> families = new ArrayList<>();
        families.add(gauge("orch_responder_info", "The node's identity and orch's version; always 1.",
                point(1, "identity", s.identity(), "version", version)));
        families.add(gauge("orch_reboot_pending", "1 when the node needs a reboot (its pending detectors found a "
                + "reason), else 0.", point(s.pending().pending() ? 1 : 0)));
        List<GaugeDataPointSnapshot> reasons = new ArrayList<>();
        for (String name : new java.util.TreeSet<>(Reason.names(s.pending().reasons()))) {
            reasons.add(point(1, "reason", name));
        }
        families.add(gauge("orch_reboot_pending_reason", "1 for each reason the node needs a reboot now.",
                reasons.toArray(GaugeDataPointSnapshot[]::new)));
        if (s.pendingSince() != null) {
            families.add(gauge("orch_reboot_pending_since_timestamp_seconds", "When the node was first seen needing "
                    + "a reboot, with no check since that found it clear.", point(seconds(s.pendingSince()))));
        }
        List<GaugeDataPointSnapshot> errors = new ArrayList<>();
        new TreeMap<>(s.pending().errors()).keySet().forEach(detector -> errors.add(point(1, "detector", detector)));
        families.add(gauge("orch_pending_detector_error", "1 for each pending detector that could not decide (it "
                + "never counts as pending).", errors.toArray(GaugeDataPointSnapshot[]::new)));
        if (s.lastReboot() != null) {
            families.add(gauge("orch_last_reboot_timestamp_seconds", "When the node was back from the last reboot "
                    + "orch made, with that reboot's request id.", point(seconds(s.lastReboot().rebootedAt()),
                    "request_id", s.lastReboot().requestId())));
        }
        List<GaugeDataPointSnapshot> guard = new ArrayList<>();
        for (LoopGuardState.State state : LoopGuardState.State.values()) {
            guard.add(point(state == s.loopGuard().state() ? 1 : 0, "state", state.wireName()));
        }
        families.add(gauge("orch_loop_guard", "The loop guard's verdict on a pending-reboot now: 1 for the state it "
                + "is in (clear lets reboots through).", guard.toArray(GaugeDataPointSnapshot[]::new)));
        if (s.lastRequest() != null) {
            families.add(gauge("orch_last_request_timestamp_seconds", "When this responder last admitted a request "
                    + "(signature, policy and freshness checked).", point(seconds(s.lastRequest()))));
        }
        families.add(gauge("orch_fact_errors", "How many fact sources (files, scripts) failed at the last read.",
                point(s.factErrors().size())));
        List<GaugeDataPointSnapshot> failed = new ArrayList<>();
        new TreeMap<>(s.factErrors()).keySet().forEach(source -> failed.add(point(1, "source", source)));
        families.add(gauge("orch_fact_error", "1 for each fact source that failed at the last read.",
                failed.toArray(GaugeDataPointSnapshot[]::new)));
        families.add(gauge("orch_metrics_updated_timestamp_seconds", "When the responder last read this state; "
                + "older than a few intervals means the responder is not running.", point(seconds(s.at()))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            WRITER.write(out, new MetricSnapshots(new ArrayList<>(families)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    private static GaugeSnapshot gauge(String name, String help, GaugeDataPointSnapshot... points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (GaugeDataPointSnapshot p : points) {
            b.dataPoint(p);
        }
        return b.build();
    }

    private static GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
