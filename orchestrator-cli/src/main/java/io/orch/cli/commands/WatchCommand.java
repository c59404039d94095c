package io.orch.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.cli.ExitCode;
import io.orch.cli.Interrupt;
import io.orch.cli.TimeText;
import io.orch.cli.UsageException;
import io.orch.cli.client.OrchClient;
import io.orch.cli.options.BrokerOptions;
import io.orch.cli.options.SecurityOptions;
import io.orch.cli.client.ClientSecurity;
import io.orch.cli.options.DurationConverter;
import io.orch.cli.output.SafeText;
import io.orch.cli.run.BrokerLostException;
import io.orch.cli.run.BrokerUnreachableException;
import io.orch.cli.run.EventFeed;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.filter.Filter;
import io.orch.protocol.filter.FilterParser;
import io.orch.protocol.filter.FilterSyntaxException;
import io.orch.protocol.filter.IdentityMatch;
import io.orch.protocol.filter.MapFactView;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.RebootFailedData;
import io.orch.protocol.payload.RebootInterruptedData;
import io.orch.protocol.payload.RebootedData;
import io.orch.protocol.payload.RebootingData;
import io.orch.protocol.payload.StartedData;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Print the collective's events as they happen, one line each: started, rebooting, rebooted, "
                + "cancelled, reboot_failed, reboot_interrupted.",
            "Runs until Ctrl-C, or until --count events or --for time. Only events published while it runs are "
                + "seen: the broker keeps none for later."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped by Ctrl-C (the usual way), --count events seen, or --for elapsed",
            "2:usage error (bad flag, -I or --type); nothing was subscribed",
            "3:the broker could not be reached, or was lost while watching"})
public final class WatchCommand implements Callable<Integer> {
    /** Event text is a node's: written with nothing raw that a terminal would act on (see SafeText). */
    private static final ObjectMapper JSON = SafeText.escapingInJson(new ObjectMapper());
    private static final Codec CODEC = new Codec();
    /** Boot ids are UUIDs; their first group tells two boots apart at a glance. */
    private static final int SHORT_BOOT_ID = 8;

    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Mixin
    SecurityOptions security;

    @Option(names = {"-I", "--identity"}, paramLabel = "ID|/REGEX/",
            description = "Only events of this node: identity, exact or /regex/. Repeatable; any may match.")
    List<String> identities = new ArrayList<>();

    @Option(names = "--type", paramLabel = "TYPE", split = ",",
            description = "Only events of this type (repeatable or comma-separated): started, rebooting, rebooted, "
                    + "cancelled, reboot_failed, reboot_interrupted, announce.")
    List<String> types = new ArrayList<>();

    @Option(names = "--request", paramLabel = "REQUEST_ID",
            description = "Only events of this request, as printed by orch reboot (request_ids.reboot with --json).")
    String requestId;

    @Option(names = "--count", paramLabel = "N",
            description = "Stop after N matching events (exit 0).")
    Integer count;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 10m (exit 0).")
    Duration duration;

    @Option(names = "--jsonl", description = "One JSON object per event and line (type, node, boot_id, request_id, "
            + "time, data) instead of text.")
    boolean jsonl;

    @Override
    public Integer call() throws Exception {
        // Everything the user typed is checked before the broker is.
        Selection selection = selection();
        if (count != null && count < 1) {
            throw new UsageException("--count must be at least 1, got " + count);
        }
        if (duration != null && duration.isZero()) {
            throw new UsageException("--for must be more than 0");
        }
        if (broker.connectTimeout().isZero()) {
            throw new UsageException("--connect-timeout must be more than 0");
        }
        Destinations destinations = broker.destinations();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OrchCommand root = (OrchCommand) spec.root().userObject();
        // Events arrive on a JMS thread and wait in the feed; only this thread prints, so lines never interleave.
        root.headStart().await();
        ClientSecurity trust = security.load(java.time.Clock.systemUTC());
        try (OrchClient client = OrchClient.connect(broker.broker(), destinations, broker.connectTimeout(), trust);
             Interrupt.Registration stop = root.interrupt().onStop(client::stop)) {
            EventFeed feed;
            try {
                feed = client.allEvents();
            } catch (BrokerLostException e) {
                throw new BrokerUnreachableException("broker " + io.orch.protocol.bus.BrokerUrl.redact(broker.broker()) + " refused the subscription to "
                        + destinations.events() + ": " + e.getMessage());
            }
            try (feed) {
                // The subscription is in place once events() returns: from here on nothing is missed.
                err.println("orch: watching " + destinations.events() + " on " + io.orch.protocol.bus.BrokerUrl.redact(broker.broker())
                        + (count == null && duration == null ? " (Ctrl-C to stop)" : ""));
                err.flush();
                long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
                int seen = 0;
                int unverifiedShown = 0;
                while (count == null || seen < count) {
                    // Ctrl-C is the normal end of a watch: it ends the loop (STOPPED), and the exit code is 0.
                    long wait = duration == null ? TimeUnit.SECONDS.toNanos(60) : deadline - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    // Short polls, so an event that failed verification is reported within a second.
                    EventFeed.Polled polled = feed.poll(Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
                    List<io.orch.cli.run.Unverified> unverified = client.unverified();
                    for (; unverifiedShown < unverified.size(); unverifiedShown++) {
                        // What it claims is the forger's text: one warning, one line, nothing a terminal acts on.
                        err.println("orch: warning: "
                                + SafeText.field(unverified.get(unverifiedShown).describe()));
                        err.flush();
                    }
                    if (polled == EventFeed.Poll.STOPPED) {
                        break;
                    }
                    if (!(polled instanceof EventFeed.Received received)) {
                        continue;
                    }
                    Event event = received.event();
                    if (!selection.matches(event)) {
                        continue;
                    }
                    out.println(jsonl ? jsonLine(event) : textLine(event));
                    out.flush();
                    seen++;
                }
            }
        }
        return ExitCode.OK;
    }

    /** Which events to print: every condition given must hold. */
    record Selection(List<Filter> identities, Set<EventType> types, String requestId) {
        boolean matches(Event event) {
            if (!types.isEmpty() && !types.contains(event.type())) {
                return false;
            }
            if (requestId != null && !requestId.equals(event.requestId())) {
                return false;
            }
            if (identities.isEmpty()) {
                return true;
            }
            MapFactView node = new MapFactView(Map.of(IdentityMatch.IDENTITY_FACT, event.node()));
            return identities.stream().anyMatch(f -> f.matches(node));
        }
    }

    Selection selection() {
        List<Filter> filters = new ArrayList<>();
        for (String identity : identities) {
            try {
                filters.add(FilterParser.parseIdentity(identity));
            } catch (FilterSyntaxException e) {
                throw new UsageException("bad filter -I '" + identity + "': " + e.reason() + " at position "
                        + e.position() + " near '" + e.token() + "'", e.pointer());
            }
        }
        Set<EventType> wanted = EnumSet.noneOf(EventType.class);
        for (String type : types) {
            String name = type.trim().toLowerCase(Locale.ROOT);
            wanted.add(EventType.fromWire(name).orElseThrow(() -> new UsageException("--type '" + type
                    + "' is not an event type; use one of " + Arrays.stream(EventType.values())
                            .map(EventType::wireName).collect(Collectors.joining(", ")))));
        }
        if (requestId != null && requestId.isBlank()) {
            throw new UsageException("--request is empty; give a request id as printed by orch reboot");
        }
        return new Selection(filters, wanted, requestId == null ? null : requestId.trim());
    }

    /** The event as on the wire, less the protocol string: one object, one line. */
    static String jsonLine(Event event) {
        try {
            ObjectNode line = (ObjectNode) JSON.readTree(CODEC.encode(event));
            line.remove("protocol");
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the codec wrote an event that is not JSON: " + e, e);
        }
    }

    /**
     * {@code 2026-11-22T04:01:02Z  lab-0003  rebooted  request 1b2c3d4e-…  old boot 75b00074 -> new 5af5563e,
     * down 3.2s, nothing pending}. The request id is printed whole, so it can be pasted into orch cancel.
     */
    static String textLine(Event event) {
        StringBuilder line = new StringBuilder();
        line.append(event.time().truncatedTo(ChronoUnit.SECONDS)).append("  ").append(event.node()).append("  ")
                .append(event.type().wireName());
        if (!event.requestId().isEmpty()) {
            line.append("  request ").append(event.requestId());
        }
        String detail = detail(event);
        if (!detail.isEmpty()) {
            line.append("  ").append(detail);
        }
        // Event text comes from nodes: one event, one line, and nothing a terminal would act on.
        return SafeText.field(line.toString());
    }

    /** What the event's data says; the codec gives each type its own record, so a mismatch only adds nothing. */
    private static String detail(Event event) {
        EventData data = event.data();
        return switch (event.type()) {
            case STARTED -> "boot " + shortId(event.bootId())
                    + (data instanceof StartedData started ? ", booted " + started.bootTime() : "");
            case REBOOTING -> {
                RebootingData rebooting = data instanceof RebootingData r ? r : new RebootingData(0, List.of());
                String when = rebooting.delaySeconds() > 0 ? "in " + rebooting.delaySeconds() + "s" : "now";
                List<String> reasons = rebooting.reasonNames();
                yield "reboot " + when + " (" + (reasons.isEmpty() ? "forced" : String.join(", ", reasons)) + ")";
            }
            case REBOOTED -> data instanceof RebootedData rebooted ? rebooted(rebooted) : "";
            case CANCELLED -> "reboot cancelled";
            case REBOOT_FAILED -> "will not reboot: " + (data instanceof RebootFailedData failed ? failed.error() : "");
            case REBOOT_INTERRUPTED -> "reboot did not happen" + (data instanceof RebootInterruptedData interrupted
                    ? " (scheduled " + interrupted.scheduledAt() + "): " + interrupted.message() : "");
            case ANNOUNCE -> "boot " + shortId(event.bootId());
        };
    }

    private static String rebooted(RebootedData data) {
        String boots = "old boot " + shortId(data.oldBootId()) + " -> new " + shortId(data.newBootId());
        String down = data.downtime() != null ? "down " + TimeText.clock(data.downtime().toMillis() / 1000.0)
                : "downtime unknown";
        List<String> reasons = data.reasonNames();
        String pending = data.pending()
                ? "still pending: " + (reasons.isEmpty() ? "?" : String.join(", ", reasons))
                : "nothing pending";
        return boots + ", " + down + ", " + pending + (data.loopSuspected() ? ", loop suspected" : "");
    }

    private static String shortId(String id) {
        if (id.isEmpty()) {
            return "?";
        }
        return id.length() > SHORT_BOOT_ID ? id.substring(0, SHORT_BOOT_ID) : id;
    }

}
