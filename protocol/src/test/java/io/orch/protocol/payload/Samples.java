package io.orch.protocol.payload;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One record of every payload kind, with the exact JSON each encodes to: shared by the round-trip
 * and the schema tests. Values follow the lab captures in docs/protocol.md.
 */
public final class Samples {
    private Samples() {
    }

    public static final String BOOT = "75b00074-f8f8-43e3-bc55-f0231cd5ea96";
    public static final String NEW_BOOT = "5af5563e-0c1d-4e2f-8a9b-0c1d2e3f4a5b";
    public static final Reason NEEDED = new Reason("reboot_needed", "/run/reboot-needed exists",
            ordered("file", "/run/reboot-needed"));
    public static final Reason KERNEL = new Reason("kernel_update",
            "running kernel 5.14.21-150500.26-default is older than installed 5.14.21-150500.27-default",
            ordered("running", "5.14.21-150500.26-default", "newest", "5.14.21-150500.27-default"));
    static final String NEEDED_JSON = "{\"name\":\"reboot_needed\",\"detail\":\"/run/reboot-needed exists\","
            + "\"evidence\":{\"file\":\"/run/reboot-needed\"}}";
    static final String KERNEL_JSON = "{\"name\":\"kernel_update\",\"detail\":\"running kernel "
            + "5.14.21-150500.26-default is older than installed 5.14.21-150500.27-default\",\"evidence\":{"
            + "\"running\":\"5.14.21-150500.26-default\",\"newest\":\"5.14.21-150500.27-default\"}}";

    /** A record and the JSON text of its encoding. */
    public record Sample<T>(String name, T value, String json) {
    }

    public static List<Sample<ActionParams>> params() {
        return List.of(
                new Sample<>("ping", NoData.INSTANCE, "{}"),
                new Sample<>("status", StatusParams.NONE, "{}"),
                new Sample<>("status", new StatusParams(List.of("os.family", "kernel.release", "nope")),
                        "{\"facts\":[\"os.family\",\"kernel.release\",\"nope\"]}"),
                new Sample<>("reboot", RebootParams.DEFAULT, "{\"when\":\"pending\",\"noop\":false,\"delay_s\":60}"),
                new Sample<>("reboot", new RebootParams(RebootParams.When.REFRESHED, true, false, 0, "patch window",
                        List.of(), List.of()),
                        "{\"when\":\"refreshed\",\"force\":true,\"noop\":false,\"delay_s\":0,\"message\":\"patch window\"}"),
                new Sample<>("reboot", new RebootParams(RebootParams.When.PENDING, false, true, 30, null,
                        List.of("kernel_update"), List.of()),
                        "{\"when\":\"pending\",\"noop\":true,\"delay_s\":30,\"onlyif\":[\"kernel_update\"]}"),
                new Sample<>("reboot", new RebootParams(RebootParams.When.PENDING, false, false, 86_400, null,
                        List.of(), List.of("reboot_needed", "dsc")),
                        "{\"when\":\"pending\",\"noop\":false,\"delay_s\":86400,\"unless\":[\"reboot_needed\",\"dsc\"]}"),
                new Sample<>("cancel", CancelParams.ANY, "{}"),
                new Sample<>("cancel", new CancelParams("r3", null), "{\"request_id\":\"r3\"}"),
                new Sample<>("cancel", new CancelParams("r3", List.of("r3", "r4")),
                        "{\"request_id\":\"r3\",\"request_ids\":[\"r3\",\"r4\"]}"));
    }

    public static final LastReboot LAST = new LastReboot("0f3c9a2e-1111-4222-8333-944455556666",
            Instant.parse("2026-09-06T21:54:31.207Z"), "2c1d0e9f-aaaa-4bbb-8ccc-dddddddddddd", BOOT,
            List.of(NEEDED), List.of(), false);
    static final String LAST_JSON = "{\"request_id\":\"0f3c9a2e-1111-4222-8333-944455556666\","
            + "\"rebooted_at\":\"2026-09-06T21:54:31.207Z\",\"old_boot_id\":\"2c1d0e9f-aaaa-4bbb-8ccc-dddddddddddd\","
            + "\"new_boot_id\":\"" + BOOT + "\",\"reasons_before\":[" + NEEDED_JSON + "],\"pending_after\":[],"
            + "\"loop_suspected\":false}";

    /** Reply data with the action it answers (the sample's name). */
    public static List<Sample<ReplyData>> replyData() {
        RebootReport scheduled = new RebootReport(RebootParams.When.PENDING, false, 60, "patch window", true,
                List.of("reboot_needed", "kernel_update"), List.of(), List.of(), RebootReport.Outcome.SCHEDULED,
                "simulated reboot (lab)");
        // shutdown -r +N: 61 s asked, 120 s it is.
        RebootReport rounded = new RebootReport(RebootParams.When.PENDING, false, 61, "patch window", true,
                List.of("reboot_needed"), List.of(), List.of(), RebootReport.Outcome.SCHEDULED,
                "shutdown -r +2 'patch window'", 120L);
        RebootReport notPending = new RebootReport(RebootParams.When.PENDING, true, 60,
                RebootParams.DEFAULT_MESSAGE, true, List.of("reboot_needed"), List.of("kernel_update"), List.of(),
                RebootReport.Outcome.NOT_PENDING, null);
        return List.of(
                new Sample<>("ping", new PingData("bb4b05d9-a26f-4308-940f-7d8c4c252386", 4049121),
                        "{\"boot_id\":\"bb4b05d9-a26f-4308-940f-7d8c4c252386\",\"uptime_s\":4049121}"),
                new Sample<>("discover", NoData.INSTANCE, "{}"),
                new Sample<>("cancel", NoData.INSTANCE, "{}"),
                new Sample<>("status", new StatusData(true, List.of(NEEDED, KERNEL), Map.of(), BOOT, 6582894, Map.of(),
                        LAST, null, LoopGuardState.CLEAR, null,
                        ordered("os.family", "Suse", "kernel.release", "5.14.21-150500.23-default", "nope", null)),
                        "{\"pending\":true,\"reasons\":[" + NEEDED_JSON + "," + KERNEL_JSON + "],\"boot_id\":\"" + BOOT
                                + "\",\"uptime_s\":6582894,\"last_reboot\":" + LAST_JSON + ",\"loop_guard\":{"
                                + "\"state\":\"clear\",\"message\":null},\"reboot_underway\":null,\"facts\":{"
                                + "\"os.family\":\"Suse\",\"kernel.release\":\"5.14.21-150500.23-default\",\"nope\":null}}"),
                new Sample<>("status", new StatusData(false, List.of(), ordered("kernel_update", "java.io.IOException: "
                        + "/boot unreadable"), BOOT, 12, ordered("/etc/orch/facts.d/x.sh", "exit 3"), null,
                        "journal.json: Permission denied", new LoopGuardState(LoopGuardState.State.UNKNOWN,
                                "cannot read the reboot journal"), "r9", null),
                        "{\"pending\":false,\"reasons\":[],\"detector_errors\":{\"kernel_update\":\"java.io.IOException: "
                                + "/boot unreadable\"},\"boot_id\":\"" + BOOT + "\",\"uptime_s\":12,\"fact_errors\":{"
                                + "\"/etc/orch/facts.d/x.sh\":\"exit 3\"},\"last_reboot_error\":\"journal.json: "
                                + "Permission denied\",\"loop_guard\":{\"state\":\"unknown\",\"message\":\"cannot read the "
                                + "reboot journal\"},\"reboot_underway\":\"r9\"}"),
                new Sample<>("reboot", new RebootData(scheduled, List.of(NEEDED, KERNEL), Map.of(), BOOT),
                        "{\"resource\":{\"type\":\"reboot\",\"when\":\"pending\",\"noop\":false,\"delay_s\":60,"
                                + "\"message\":\"patch window\",\"pending\":true,\"reason_names\":[\"reboot_needed\","
                                + "\"kernel_update\"],\"outcome\":\"scheduled\",\"action\":\"simulated reboot (lab)\"},"
                                + "\"reasons\":[" + NEEDED_JSON + "," + KERNEL_JSON + "],\"boot_id\":\"" + BOOT + "\"}"),
                new Sample<>("reboot", new RebootData(rounded, List.of(NEEDED), Map.of(), BOOT),
                        "{\"resource\":{\"type\":\"reboot\",\"when\":\"pending\",\"noop\":false,\"delay_s\":61,"
                                + "\"message\":\"patch window\",\"pending\":true,\"reason_names\":[\"reboot_needed\"],"
                                + "\"outcome\":\"scheduled\",\"action\":\"shutdown -r +2 'patch window'\","
                                + "\"effective_delay_s\":120},\"reasons\":[" + NEEDED_JSON + "],\"boot_id\":\"" + BOOT
                                + "\"}"),
                new Sample<>("reboot", new RebootData(notPending, List.of(NEEDED), Map.of(), BOOT),
                        "{\"resource\":{\"type\":\"reboot\",\"when\":\"pending\",\"noop\":true,\"delay_s\":60,"
                                + "\"message\":\"orch: rebooting to complete pending updates\",\"pending\":true,"
                                + "\"reason_names\":[\"reboot_needed\"],\"onlyif\":[\"kernel_update\"],"
                                + "\"outcome\":\"not_pending\"},\"reasons\":[" + NEEDED_JSON + "],\"boot_id\":\"" + BOOT
                                + "\"}"),
                new Sample<>("reboot", new RebootData(null, List.of(), ordered("kernel_update", "boom"), BOOT),
                        "{\"reasons\":[],\"detector_errors\":{\"kernel_update\":\"boom\"},\"boot_id\":\"" + BOOT + "\"}"));
    }

    /** Event data with its event type's wire name (the sample's name). */
    public static List<Sample<EventData>> eventData() {
        return List.of(
                new Sample<>("started", new StartedData(Instant.parse("2026-11-22T02:29:15Z")),
                        "{\"boot_time\":\"2026-11-22T02:29:15Z\"}"),
                new Sample<>("rebooting", new RebootingData(60, List.of(NEEDED, KERNEL)),
                        "{\"delay_s\":60,\"reasons\":[" + NEEDED_JSON + "," + KERNEL_JSON + "]}"),
                new Sample<>("rebooted", new RebootedData(BOOT, NEW_BOOT, Duration.ofMillis(3026),
                        Instant.parse("2026-11-22T02:29:15Z"), false, List.of(), false),
                        "{\"old_boot_id\":\"" + BOOT + "\",\"new_boot_id\":\"" + NEW_BOOT + "\",\"downtime_s\":3.026,"
                                + "\"boot_time\":\"2026-11-22T02:29:15Z\",\"pending\":false,\"reasons\":[],"
                                + "\"loop_suspected\":false}"),
                new Sample<>("rebooted", new RebootedData(BOOT, NEW_BOOT, null,
                        Instant.parse("2026-11-22T02:29:15Z"), true, List.of(NEEDED), true),
                        "{\"old_boot_id\":\"" + BOOT + "\",\"new_boot_id\":\"" + NEW_BOOT + "\",\"downtime_s\":null,"
                                + "\"boot_time\":\"2026-11-22T02:29:15Z\",\"pending\":true,\"reasons\":[" + NEEDED_JSON
                                + "],\"loop_suspected\":true}"),
                new Sample<>("reboot_failed", new RebootFailedData("config run still in progress"),
                        "{\"error\":\"config run still in progress\"}"),
                new Sample<>("reboot_interrupted", new RebootInterruptedData(Instant.parse("2026-11-22T02:29:09.067Z"),
                        null, "the responder restarted without a reboot; the reboot will not be retried by itself"),
                        "{\"scheduled_at\":\"2026-11-22T02:29:09.067Z\",\"executed_at\":null,\"message\":\"the "
                                + "responder restarted without a reboot; the reboot will not be retried by itself\"}"),
                new Sample<>("cancelled", NoData.INSTANCE, "{}"));
    }

    /** An insertion-ordered map from key, value, key, value...; values may be null. */
    @SuppressWarnings("unchecked")
    public static <V> Map<String, V> ordered(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }
}
