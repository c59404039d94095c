package io.orch.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.UsageException;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.Reason;
import io.orch.protocol.payload.RebootFailedData;
import io.orch.protocol.payload.RebootInterruptedData;
import io.orch.protocol.payload.RebootedData;
import io.orch.protocol.payload.RebootingData;
import io.orch.protocol.payload.StartedData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code orch watch} prints for each event type, and which events it lets through; no broker. */
class WatchCommandTest {
    private static final Instant AT = Instant.parse("2026-11-22T04:01:02.123456789Z");
    private static final String OLD = "75b00074-f8f8-43e3-bc55-f0231cd5ea96";
    private static final String NEW = "5af5563e-0b1c-4d2e-8f3a-4b5c6d7e8f90";
    private static final String REQUEST = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d";

    private static final Instant BOOT = Instant.parse("2026-11-22T04:00:59Z");

    private static Event event(EventType type, String bootId, String requestId, EventData data) {
        return new Event(type, "lab-0003", bootId, requestId, AT, data);
    }

    private static Event event(EventType type, String bootId, String requestId) {
        return event(type, bootId, requestId, NoData.INSTANCE);
    }

    private static RebootedData rebootedData(Long downtimeMs, boolean pending, List<String> reasons, boolean loop) {
        return new RebootedData(OLD, NEW, downtimeMs == null ? null : Duration.ofMillis(downtimeMs), BOOT, pending,
                reasons.stream().map(WatchCommandTest::reason).toList(), loop);
    }

    private static Reason reason(String name) {
        return new Reason(name, name.replace('_', ' '), Map.of());
    }

    private static WatchCommand parsed(String... args) {
        WatchCommand command = new WatchCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void rebootedLineShowsBothBootsTheDowntimeAndThatNothingIsPending() {
        String line = WatchCommand.textLine(event(EventType.REBOOTED, NEW, REQUEST,
                rebootedData(3_214L, false, List.of(), false)));

        assertEquals("2026-11-22T04:01:02Z  lab-0003  rebooted  request " + REQUEST
                + "  old boot 75b00074 -> new 5af5563e, down 3.2s, nothing pending", line);
    }

    @Test
    void rebootedLineSaysWhatIsStillPendingAndALoopSuspicion() {
        String line = WatchCommand.textLine(event(EventType.REBOOTED, NEW, REQUEST,
                rebootedData(125_400L, true, List.of("reboot_required"), true)));

        assertTrue(line.endsWith("old boot 75b00074 -> new 5af5563e, down 2m05s, still pending: reboot_required, "
                + "loop suspected"), line);
    }

    @Test
    void rebootedLineWithoutADowntimeSaysItIsUnknown() {
        String line = WatchCommand.textLine(event(EventType.REBOOTED, NEW, REQUEST,
                rebootedData(null, false, List.of(), false)));

        assertTrue(line.contains(", downtime unknown, nothing pending"), line);
    }

    @Test
    void everyOtherTypeHasItsOwnShortLine() {
        RebootingData rebooting = new RebootingData(60, List.of(reason("reboot_needed"), reason("kernel_update")));
        RebootInterruptedData interrupted = new RebootInterruptedData(Instant.parse("2026-11-22T03:59:00Z"), null,
                "the responder restarted without a reboot; the reboot will not be retried by itself");
        String head = "2026-11-22T04:01:02Z  lab-0003  ";

        assertEquals(head + "started  boot 5af5563e, booted 2026-11-22T04:00:59Z", WatchCommand.textLine(
                event(EventType.STARTED, NEW, "", new StartedData(BOOT))));
        assertEquals(head + "rebooting  request " + REQUEST + "  reboot in 60s (reboot_needed, kernel_update)",
                WatchCommand.textLine(event(EventType.REBOOTING, OLD, REQUEST, rebooting)));
        assertEquals(head + "rebooting  request " + REQUEST + "  reboot now (forced)", WatchCommand.textLine(
                event(EventType.REBOOTING, OLD, REQUEST, new RebootingData(0, List.of()))));
        assertEquals(head + "cancelled  request " + REQUEST + "  reboot cancelled",
                WatchCommand.textLine(event(EventType.CANCELLED, OLD, REQUEST)));
        assertEquals(head + "reboot_failed  request " + REQUEST + "  will not reboot: config run still in progress",
                WatchCommand.textLine(event(EventType.REBOOT_FAILED, OLD, REQUEST,
                        new RebootFailedData("config run still in progress"))));
        assertEquals(head + "reboot_interrupted  request " + REQUEST + "  reboot did not happen (scheduled "
                + "2026-11-22T03:59:00Z): the responder restarted without a reboot; the reboot will not be retried "
                + "by itself", WatchCommand.textLine(event(EventType.REBOOT_INTERRUPTED, OLD, REQUEST, interrupted)));
        assertEquals(head + "announce  boot 5af5563e",
                WatchCommand.textLine(event(EventType.ANNOUNCE, NEW, "")));
    }

    @Test
    void jsonLineIsTheEventInOneObjectOnOneLine() {
        String line = WatchCommand.jsonLine(event(EventType.CANCELLED, OLD, REQUEST));

        assertEquals("{\"type\":\"cancelled\",\"node\":\"lab-0003\",\"boot_id\":\"" + OLD + "\",\"request_id\":\""
                + REQUEST + "\",\"time\":\"2026-11-22T04:01:02.123456789Z\",\"data\":{}}", line);
    }

    /** A node's words in --jsonl: the exact value once parsed, but nothing raw a terminal would act on. */
    @Test
    void jsonLineWritesEscapesBidiAndZeroWidthCharactersEscaped() throws Exception {
        String hostile = "\u001b]0;pwned\u0007\u001b[2J\u202eexe.txt\u200b\u0085";
        String line = WatchCommand.jsonLine(event(EventType.REBOOT_FAILED, OLD, REQUEST, new RebootFailedData(hostile)));

        assertTrue(line.chars().noneMatch(io.orch.cli.output.SafeText::unsafe), line);
        assertTrue(line.contains("\\u202e") && line.contains("\\u200b"), line);
        assertEquals(hostile, new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("data")
                .get("error").asText());
    }

    @Test
    void jsonLineCarriesTheDataAsTheCodecWritesIt() {
        String line = WatchCommand.jsonLine(event(EventType.REBOOTED, NEW, REQUEST,
                rebootedData(3_214L, true, List.of("kernel_update"), false)));

        assertEquals("{\"type\":\"rebooted\",\"node\":\"lab-0003\",\"boot_id\":\"" + NEW + "\",\"request_id\":\""
                + REQUEST + "\",\"time\":\"2026-11-22T04:01:02.123456789Z\",\"data\":{\"old_boot_id\":\"" + OLD
                + "\",\"new_boot_id\":\"" + NEW + "\",\"downtime_s\":3.214,\"boot_time\":\"2026-11-22T04:00:59Z\","
                + "\"pending\":true,\"reasons\":[{\"name\":\"kernel_update\",\"detail\":\"kernel update\","
                + "\"evidence\":{}}],\"loop_suspected\":false}}", line);
    }

    @Test
    void typesComeRepeatedOrCommaSeparatedAndOnlyThoseAreLetThrough() {
        WatchCommand.Selection selection = parsed("--type", "rebooting,Rebooted", "--type", "cancelled").selection();

        assertTrue(selection.matches(event(EventType.REBOOTING, OLD, REQUEST)));
        assertTrue(selection.matches(event(EventType.REBOOTED, NEW, REQUEST)));
        assertTrue(selection.matches(event(EventType.CANCELLED, OLD, REQUEST)));
        assertFalse(selection.matches(event(EventType.STARTED, NEW, "")));
    }

    @Test
    void unknownTypeIsAUsageErrorNamingTheFlagAndTheValidTypes() {
        UsageException e = assertThrows(UsageException.class, () -> parsed("--type", "rebooted,reboot").selection());

        assertEquals("--type 'reboot' is not an event type; use one of started, rebooting, rebooted, cancelled, "
                + "reboot_failed, reboot_interrupted, announce", e.getMessage());
    }

    @Test
    void identitiesMatchExactlyOrByRegexAndAnyMayMatch() {
        WatchCommand.Selection selection = parsed("-I", "web01", "-I", "/^lab-00\\d3$/").selection();

        assertTrue(selection.matches(event(EventType.STARTED, NEW, ""))); // lab-0003
        assertTrue(selection.matches(new Event(EventType.STARTED, "web01", NEW, "", AT, NoData.INSTANCE)));
        assertFalse(selection.matches(new Event(EventType.STARTED, "web011", NEW, "", AT, NoData.INSTANCE)));
        assertFalse(selection.matches(new Event(EventType.STARTED, "lab-0004", NEW, "", AT, NoData.INSTANCE)));
    }

    @Test
    void badIdentityRegexIsAUsageErrorNamingTheFlag() {
        UsageException e = assertThrows(UsageException.class, () -> parsed("-I", "/[/").selection());

        assertTrue(e.getMessage().startsWith("bad filter -I '/[/'"), e.getMessage());
    }

    @Test
    void requestLetsThroughOnlyThatRequestsEvents() {
        WatchCommand.Selection selection = parsed("--request", REQUEST).selection();

        assertTrue(selection.matches(event(EventType.REBOOTED, NEW, REQUEST)));
        assertFalse(selection.matches(event(EventType.REBOOTED, NEW, "other")));
        assertFalse(selection.matches(event(EventType.STARTED, NEW, "")));
    }

    @Test
    void conditionsCombineAllMustHold() {
        WatchCommand.Selection selection = parsed("-I", "lab-0003", "--type", "rebooted", "--request", REQUEST)
                .selection();

        assertTrue(selection.matches(event(EventType.REBOOTED, NEW, REQUEST)));
        assertFalse(selection.matches(event(EventType.REBOOTING, OLD, REQUEST)));
        assertFalse(selection.matches(new Event(EventType.REBOOTED, "lab-0004", NEW, REQUEST, AT, NoData.INSTANCE)));
    }
}
