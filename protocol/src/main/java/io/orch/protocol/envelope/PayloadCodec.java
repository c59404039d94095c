package io.orch.protocol.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.Limits;
import io.orch.protocol.payload.ActionParams;
import io.orch.protocol.payload.CancelParams;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.LastReboot;
import io.orch.protocol.payload.Maintenance;
import io.orch.protocol.payload.LoopGuardState;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.PingData;
import io.orch.protocol.payload.Reason;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.RebootFailedData;
import io.orch.protocol.payload.RebootInterruptedData;
import io.orch.protocol.payload.RebootParams;
import io.orch.protocol.payload.RebootReport;
import io.orch.protocol.payload.RebootedData;
import io.orch.protocol.payload.RebootingData;
import io.orch.protocol.payload.ReplyData;
import io.orch.protocol.payload.StartedData;
import io.orch.protocol.payload.StatusData;
import io.orch.protocol.payload.StatusParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload records to and from the maps the envelopes carry. The action or event type picks the
 * record here and nowhere else. Encoding gives insertion-ordered maps that write exactly the JSON the
 * nodes and the CLI have always sent (optional fields left out, never written as null, unless they
 * are documented as null); decoding is strict about types and ignores unknown fields.
 */
final class PayloadCodec {
    private static final String REPLY_DATA = "reply data";
    private static final String EVENT_DATA = "event data";

    private final ObjectMapper mapper;

    PayloadCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    // ---------------------------------------------------------------- params

    static Map<String, Object> encode(ActionParams params) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (params instanceof StatusParams status) {
            putIf(map, status.facts() != null, "facts", status.facts());
        } else if (params instanceof RebootParams reboot) {
            map.put("when", reboot.when().wireName());
            putIf(map, reboot.force(), "force", true); // only when true: the CLI has always sent it so
            map.put("noop", reboot.noop());
            map.put("delay_s", reboot.delaySeconds());
            putIf(map, !reboot.message().equals(RebootParams.DEFAULT_MESSAGE), "message", reboot.message());
            putIf(map, !reboot.onlyif().isEmpty(), "onlyif", reboot.onlyif());
            putIf(map, !reboot.unless().isEmpty(), "unless", reboot.unless());
        } else if (params instanceof CancelParams cancel) {
            putIf(map, cancel.requestId() != null, "request_id", cancel.requestId());
            putIf(map, cancel.requestIds() != null, "request_ids", cancel.requestIds());
        }
        return map;
    }

    /** Refusals read exactly as the node has always answered them ({@code param 'delay_s' must be ...}). */
    ActionParams decodeParams(Action action, JsonNode params) throws InvalidMessageException {
        try {
            return switch (action) {
                case PING, DISCOVER -> NoData.INSTANCE;
                case STATUS -> statusParams(params);
                case REBOOT -> rebootParams(params);
                case CANCEL -> cancelParams(params);
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(e.getMessage());
        }
    }

    private static StatusParams statusParams(JsonNode params) {
        JsonNode facts = value(params, "facts");
        if (facts == null) {
            return StatusParams.NONE;
        }
        if (!isTextArray(facts)) {
            throw new IllegalArgumentException("param 'facts' must be an array of fact paths");
        }
        return new StatusParams(textList(facts));
    }

    /** The node's checks in the node's order: the first problem found is the one reported. */
    private RebootParams rebootParams(JsonNode params) {
        // A present null is refused for force and noop, as a node always has: only a missing one means false.
        boolean force = flag(params, "force");
        RebootParams.When when = RebootParams.When.PENDING;
        JsonNode whenParam = value(params, "when");
        if (whenParam != null) {
            if (!whenParam.isTextual()) {
                throw new IllegalArgumentException("param 'when' must be the string 'pending' or 'refreshed'");
            }
            String w = whenParam.asText();
            if (w.equals("refreshed")) {
                RebootParams.checkForce(RebootParams.When.REFRESHED, force);
                when = RebootParams.When.REFRESHED;
            } else if (!w.equals("pending")) {
                throw new IllegalArgumentException("param 'when' must be 'pending' or 'refreshed', got '" + w + "'");
            }
        }
        boolean noop = flag(params, "noop");
        long delay = RebootParams.DEFAULT_DELAY_SECONDS;
        JsonNode delayParam = value(params, "delay_s");
        if (delayParam != null) {
            if (!(delayParam.isInt() || delayParam.isLong())) {
                throw new IllegalArgumentException("param 'delay_s' must be a whole number of seconds");
            }
            delay = delayParam.asLong();
            RebootParams.checkDelay(delay);
        }
        String message = RebootParams.DEFAULT_MESSAGE;
        JsonNode messageParam = value(params, "message");
        if (messageParam != null) {
            if (!messageParam.isTextual()) {
                throw RebootParams.messageNotText();
            }
            message = messageParam.asText();
            RebootParams.checkMessage(message);
        }
        List<String> onlyif = reasonNames(params, "onlyif");
        List<String> unless = reasonNames(params, "unless");
        RebootParams.checkNotBoth(onlyif, unless);
        return new RebootParams(when, force, noop, delay, message, onlyif, unless);
    }

    private static boolean flag(JsonNode params, String name) {
        JsonNode v = params.get(name);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("param '" + name + "' must be true or false");
        }
        return v.asBoolean();
    }

    private List<String> reasonNames(JsonNode params, String name) {
        JsonNode v = value(params, name);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray() || v.isEmpty() || v.size() > Limits.MAX_REASON_NAMES) {
            throw RebootParams.reasonCount(name);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            // The refusal quotes the item as the node always has: as Java prints what Jackson read.
            Object read = item.isTextual() ? item.asText() : mapper.convertValue(item, Object.class);
            RebootParams.checkReasonName(name, read);
            out.add((String) read);
        }
        return out;
    }

    private static CancelParams cancelParams(JsonNode params) {
        JsonNode target = value(params, "request_id");
        JsonNode targets = value(params, "request_ids");
        if ((target != null && !target.isTextual()) || (targets != null && !isTextArray(targets))) {
            throw new IllegalArgumentException(
                    "param 'request_id' must be a string and 'request_ids' an array of strings");
        }
        return new CancelParams(target == null ? null : target.asText(), targets == null ? null : textList(targets));
    }

    // ---------------------------------------------------------------- reply data

    static Map<String, Object> encode(ReplyData data) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (data instanceof PingData ping) {
            map.put("boot_id", ping.bootId());
            map.put("uptime_s", ping.uptimeSeconds());
        } else if (data instanceof StatusData status) {
            map.put("pending", status.pending());
            map.put("reasons", reasons(status.reasons()));
            putIf(map, !status.detectorErrors().isEmpty(), "detector_errors", status.detectorErrors());
            map.put("boot_id", status.bootId());
            map.put("uptime_s", status.uptimeSeconds());
            putIf(map, !status.factErrors().isEmpty(), "fact_errors", status.factErrors());
            if (status.lastRebootError() != null) {
                map.put("last_reboot_error", status.lastRebootError());
            } else {
                map.put("last_reboot", status.lastReboot() == null ? null : lastReboot(status.lastReboot()));
            }
            Map<String, Object> guard = new LinkedHashMap<>();
            guard.put("state", status.loopGuard().state().wireName());
            guard.put("message", status.loopGuard().message());
            map.put("loop_guard", guard);
            map.put("reboot_underway", status.rebootUnderway());
            putIf(map, status.facts() != null, "facts", status.facts());
            putIf(map, status.security() != null, "security", status.security());
            if (status.maintenance() != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("windows", status.maintenance().windows());
                m.put("open", status.maintenance().open());
                m.put("next", status.maintenance().next() == null ? null : status.maintenance().next().toString());
                m.put("summary", status.maintenance().summary());
                map.put("maintenance", m);
            }
        } else if (data instanceof RebootData reboot) {
            putIf(map, reboot.resource() != null, "resource", reboot.resource() == null ? null
                    : resource(reboot.resource()));
            map.put("reasons", reasons(reboot.reasons()));
            putIf(map, !reboot.detectorErrors().isEmpty(), "detector_errors", reboot.detectorErrors());
            map.put("boot_id", reboot.bootId());
        }
        return map;
    }

    private static Map<String, Object> lastReboot(LastReboot last) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("request_id", last.requestId());
        map.put("rebooted_at", last.rebootedAt().toString());
        map.put("old_boot_id", last.oldBootId());
        map.put("new_boot_id", last.newBootId());
        map.put("reasons_before", reasons(last.reasonsBefore()));
        map.put("pending_after", last.pendingAfter());
        map.put("loop_suspected", last.loopSuspected());
        return map;
    }

    private static Map<String, Object> resource(RebootReport report) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", RebootReport.TYPE);
        map.put("when", report.when().wireName());
        map.put("noop", report.noop());
        map.put("delay_s", report.delaySeconds());
        map.put("message", report.message());
        map.put("pending", report.pending());
        map.put("reason_names", report.reasonNames());
        putIf(map, !report.onlyif().isEmpty(), "onlyif", report.onlyif());
        putIf(map, !report.unless().isEmpty(), "unless", report.unless());
        map.put("outcome", report.outcome().wireName());
        putIf(map, report.action() != null, "action", report.action());
        putIf(map, report.effectiveDelaySeconds() != null, "effective_delay_s", report.effectiveDelaySeconds());
        return map;
    }

    /** {@code {}} is {@link NoData} for every action; so is any data of an action that has none. */
    ReplyData decodeReplyData(String action, JsonNode data) throws InvalidMessageException {
        Action known = Action.fromWire(action).orElse(null);
        if (data.isEmpty() || known == null) {
            return NoData.INSTANCE;
        }
        Fields f = new Fields(mapper, data, REPLY_DATA);
        return switch (known) {
            case PING -> new PingData(f.text("boot_id"), f.wholeNumber("uptime_s"));
            case STATUS -> status(f);
            case REBOOT -> new RebootData(f.present("resource") ? resource(f.nested("resource")) : null,
                    reasons(f, "reasons"), f.textMap("detector_errors"), f.text("boot_id"));
            case DISCOVER, CANCEL -> NoData.INSTANCE;
        };
    }

    private StatusData status(Fields f) throws InvalidMessageException {
        boolean pending = f.flag("pending");
        List<Reason> reasons = reasons(f, "reasons");
        Map<String, String> detectorErrors = f.textMap("detector_errors");
        String bootId = f.text("boot_id");
        long uptime = f.wholeNumber("uptime_s");
        Map<String, String> factErrors = f.textMap("fact_errors");
        String lastRebootError = f.optionalText("last_reboot_error");
        LastReboot last = null;
        if (lastRebootError == null) {
            Fields l = f.nullableNested("last_reboot");
            last = l == null ? null : new LastReboot(l.text("request_id"), l.instant("rebooted_at"),
                    l.nullableText("old_boot_id"), l.nullableText("new_boot_id"), reasons(l, "reasons_before"),
                    l.nullableTexts("pending_after"), l.flag("loop_suspected"));
        }
        Fields g = f.nested("loop_guard");
        LoopGuardState guard;
        try {
            guard = new LoopGuardState(g.choice("state", LoopGuardState.State.class), g.nullableText("message"));
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(REPLY_DATA + " field 'loop_guard' is inconsistent: " + e.getMessage());
        }
        String underway = f.nullableText("reboot_underway");
        Map<String, Object> facts = f.present("facts") ? f.object("facts") : null;
        String security = f.optionalText("security");
        Fields m = f.present("maintenance") ? f.nested("maintenance") : null;
        Maintenance maintenance = m == null ? null : new Maintenance(m.text("windows"), m.flag("open"),
                m.nullableText("next") == null ? null : m.instant("next"), m.text("summary"));
        return new StatusData(pending, reasons, detectorErrors, bootId, uptime, factErrors, last, lastRebootError,
                guard, underway, facts, security, maintenance);
    }

    private static RebootReport resource(Fields r) throws InvalidMessageException {
        r.constant("type", RebootReport.TYPE);
        Long effective = r.present("effective_delay_s") ? r.wholeNumber("effective_delay_s") : null;
        if (effective != null && effective < 0) {
            throw new InvalidMessageException(REPLY_DATA + " field 'resource.effective_delay_s' must be 0 or more, got "
                    + effective);
        }
        return new RebootReport(r.choice("when", RebootParams.When.class), r.flag("noop"), r.wholeNumber("delay_s"),
                r.text("message"), r.flag("pending"), r.texts("reason_names"), r.optionalTexts("onlyif"),
                r.optionalTexts("unless"), r.choice("outcome", RebootReport.Outcome.class), r.optionalText("action"),
                effective);
    }

    // ---------------------------------------------------------------- event data

    static Map<String, Object> encode(EventData data) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (data instanceof StartedData started) {
            map.put("boot_time", started.bootTime().toString());
        } else if (data instanceof RebootingData rebooting) {
            map.put("delay_s", rebooting.delaySeconds());
            map.put("reasons", reasons(rebooting.reasons()));
        } else if (data instanceof RebootedData rebooted) {
            map.put("old_boot_id", rebooted.oldBootId());
            map.put("new_boot_id", rebooted.newBootId());
            map.put("downtime_s", rebooted.downtime() == null ? null : rebooted.downtime().toMillis() / 1000.0);
            map.put("boot_time", rebooted.bootTime().toString());
            map.put("pending", rebooted.pending());
            map.put("reasons", reasons(rebooted.reasons()));
            map.put("loop_suspected", rebooted.loopSuspected());
        } else if (data instanceof RebootFailedData failed) {
            map.put("error", failed.error());
        } else if (data instanceof RebootInterruptedData interrupted) {
            map.put("scheduled_at", interrupted.scheduledAt().toString());
            map.put("executed_at", interrupted.executedAt() == null ? null : interrupted.executedAt().toString());
            map.put("message", interrupted.message());
        }
        return map;
    }

    EventData decodeEventData(EventType type, JsonNode data) throws InvalidMessageException {
        Fields f = new Fields(mapper, data, EVENT_DATA);
        return switch (type) {
            case STARTED -> new StartedData(f.instant("boot_time"));
            case REBOOTING -> new RebootingData(f.wholeNumber("delay_s"), reasons(f, "reasons"));
            case REBOOTED -> {
                Double down = f.nullableNumber("downtime_s");
                yield new RebootedData(f.text("old_boot_id"), f.text("new_boot_id"),
                        down == null ? null : Duration.ofMillis(Math.round(down * 1000)), f.instant("boot_time"),
                        f.flag("pending"), reasons(f, "reasons"), f.flag("loop_suspected"));
            }
            case REBOOT_FAILED -> new RebootFailedData(f.text("error"));
            case REBOOT_INTERRUPTED -> new RebootInterruptedData(f.instant("scheduled_at"),
                    f.nullableInstant("executed_at"), f.text("message"));
            case CANCELLED, ANNOUNCE -> NoData.INSTANCE;
        };
    }

    // ---------------------------------------------------------------- shared

    private static List<Map<String, Object>> reasons(List<Reason> reasons) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Reason r : reasons) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", r.name());
            map.put("detail", r.detail());
            map.put("evidence", r.evidence());
            out.add(map);
        }
        return out;
    }

    private static List<Reason> reasons(Fields f, String name) throws InvalidMessageException {
        List<Reason> out = new ArrayList<>();
        for (Fields r : f.objects(name)) {
            out.add(new Reason(r.text("name"), r.text("detail"), r.object("evidence")));
        }
        return out;
    }

    private static void putIf(Map<String, Object> map, boolean condition, String key, Object value) {
        if (condition) {
            map.put(key, value);
        }
    }

    /** The field's value, with a JSON null read as absent. */
    private static JsonNode value(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private static boolean isTextArray(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> textList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }
}
