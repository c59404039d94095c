package io.orch.responder.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.protocol.payload.Reason;
import io.orch.responder.pending.PendingState;
import io.orch.responder.resource.RebootResource.Decision;
import io.orch.protocol.payload.RebootParams;
import io.orch.protocol.payload.RebootParams.When;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reboot resource: parameters checked before anything happens, then a decision from the pending state. */
class RebootResourceTest {

    private static final PendingState PENDING = new PendingState(
            List.of(new Reason("reboot_required", "/run/reboot-required exists", Map.of())), Map.of());
    private static final PendingState NOTHING = new PendingState(List.of(), Map.of());
    private static final PendingState CANNOT_TELL = new PendingState(List.of(),
            Map.of("kernel_update", "java.io.IOException: /boot unreadable"));

    static Stream<Arguments> validParams() {
        Duration min = Duration.ofSeconds(RebootParams.DEFAULT_DELAY_SECONDS);
        String msg = RebootParams.DEFAULT_MESSAGE;
        Map<String, Object> nullWhen = new HashMap<>();
        nullWhen.put("when", null);
        return Stream.of(
                arguments("no params", Map.of(), new RebootResource(When.PENDING, false, min, msg)),
                arguments("noop", Map.of("noop", true), new RebootResource(When.PENDING, true, min, msg)),
                arguments("noop false", Map.of("noop", false), new RebootResource(When.PENDING, false, min, msg)),
                arguments("when pending", Map.of("when", "pending"), new RebootResource(When.PENDING, false, min, msg)),
                arguments("when absent as null", nullWhen, new RebootResource(When.PENDING, false, min, msg)),
                arguments("when refreshed with force", Map.of("when", "refreshed", "force", true),
                        new RebootResource(When.REFRESHED, false, min, msg)),
                arguments("no delay", Map.of("delay_s", 0), new RebootResource(When.PENDING, false, Duration.ZERO, msg)),
                arguments("longest delay", Map.of("delay_s", 86400),
                        new RebootResource(When.PENDING, false, Duration.ofDays(1), msg)),
                arguments("delay as a long", Map.of("delay_s", 300L),
                        new RebootResource(When.PENDING, false, Duration.ofMinutes(5), msg)),
                arguments("message", Map.of("message", "kernel 6.1.0-10 – patch night ✓"),
                        new RebootResource(When.PENDING, false, min, "kernel 6.1.0-10 – patch night ✓")),
                arguments("longest message", Map.of("message", "m".repeat(400)),
                        new RebootResource(When.PENDING, false, min, "m".repeat(400))),
                arguments("unknown params are ignored", Map.of("colour", "blue", "priority", 3),
                        new RebootResource(When.PENDING, false, min, msg)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validParams")
    void validParamsMakeThisResource(String what, Map<String, Object> params, RebootResource expected) {
        assertEquals(expected, Params.resource(params));
    }

    static Stream<Arguments> invalidParams() {
        return Stream.of(
                arguments("noop as a string", Map.of("noop", "true"), "param 'noop' must be true or false"),
                arguments("noop as a number", Map.of("noop", 1), "param 'noop' must be true or false"),
                arguments("negative delay", Map.of("delay_s", -1), "param 'delay_s' must be between 0 and 86400, got -1"),
                arguments("delay over a day", Map.of("delay_s", 86401),
                        "param 'delay_s' must be between 0 and 86400, got 86401"),
                arguments("delay far too big", Map.of("delay_s", Long.MAX_VALUE), "param 'delay_s' must be between 0"),
                arguments("delay beyond long", Map.of("delay_s", new BigInteger("1" + "0".repeat(30))),
                        "param 'delay_s' must be a whole number of seconds"),
                arguments("delay as a string", Map.of("delay_s", "60"),
                        "param 'delay_s' must be a whole number of seconds"),
                arguments("delay as a fraction", Map.of("delay_s", 1.5),
                        "param 'delay_s' must be a whole number of seconds"),
                arguments("refreshed without force", Map.of("when", "refreshed"),
                        "when => refreshed reboots even when nothing is pending; it needs force: true"),
                arguments("refreshed with force as a string", Map.of("when", "refreshed", "force", "true"),
                        "param 'force' must be true or false"),
                arguments("force as a string", Map.of("force", "yes"), "param 'force' must be true or false"),
                arguments("when as a number", Map.of("when", 1), "param 'when' must be the string 'pending' or 'refreshed'"),
                arguments("refreshed with force false", Map.of("when", "refreshed", "force", false),
                        "it needs force: true"),
                arguments("unknown when", Map.of("when", "always"),
                        "param 'when' must be 'pending' or 'refreshed', got 'always'"),
                arguments("force without refreshed changes nothing bad", Map.of("when", "sometimes", "force", true),
                        "got 'sometimes'"),
                arguments("when in upper case", Map.of("when", "PENDING"), "param 'when' must be 'pending' or 'refreshed'"),
                arguments("message with a newline", Map.of("message", "line one\nline two"),
                        "param 'message' must not contain control characters"),
                arguments("message with an escape sequence", Map.of("message", "\u001b[31mred"),
                        "param 'message' must not contain control characters"),
                arguments("message with a NUL", Map.of("message", "a\u0000b"),
                        "param 'message' must not contain control characters"),
                arguments("message with a C1 control", Map.of("message", "a\u0085b"),
                        "param 'message' must not contain control characters"),
                arguments("message too long", Map.of("message", "m".repeat(401)),
                        "param 'message' must be a string of at most 400 characters"),
                arguments("message as a number", Map.of("message", 42),
                        "param 'message' must be a string of at most 400 characters"),
                arguments("message as a list", Map.of("message", List.of("a")),
                        "param 'message' must be a string"),
                arguments("message that reads as an option", Map.of("message", "-P"),
                        "param 'message' must not start with '-'"),
                arguments("message that reads as a long option", Map.of("message", "--poweroff now"),
                        "param 'message' must not start with '-'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidParams")
    void invalidParamIsRefusedNamingIt(String what, Map<String, Object> params, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Params.resource(params));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                arguments(When.PENDING, false, PENDING, Decision.REBOOT),
                arguments(When.PENDING, true, PENDING, Decision.WOULD_REBOOT),
                arguments(When.PENDING, false, NOTHING, Decision.NOT_PENDING),
                arguments(When.PENDING, true, NOTHING, Decision.NOT_PENDING),
                arguments(When.PENDING, false, CANNOT_TELL, Decision.NOT_PENDING),
                arguments(When.REFRESHED, false, NOTHING, Decision.REBOOT),
                arguments(When.REFRESHED, true, NOTHING, Decision.WOULD_REBOOT),
                arguments(When.REFRESHED, false, PENDING, Decision.REBOOT));
    }

    @ParameterizedTest(name = "when={0} noop={1} pending={2} -> {3}")
    @MethodSource("decisions")
    void decisionFollowsWhenNoopAndPending(When when, boolean noop, PendingState state, Decision expected) {
        assertEquals(expected, new RebootResource(when, noop, Duration.ofSeconds(60), "m").decide(state));
    }

    @Test
    void detectorThatCannotDecideNeverLeadsToAReboot() {
        assertEquals(Decision.NOT_PENDING, Params.resource(Map.of()).decide(CANNOT_TELL));
    }

    @Test
    void reportDescribesTheResourceAndItsOutcome() {
        RebootResource resource = Params.resource(Map.of("noop", true, "delay_s", 120, "message", "bye"));

        Map<String, Object> report = Params.wire(resource.report(PENDING, Decision.WOULD_REBOOT, "log only"));

        assertEquals(Map.of("type", "reboot", "when", "pending", "noop", true, "delay_s", 120, "message", "bye",
                "pending", true, "reason_names", List.of("reboot_required"), "outcome", "would_reboot",
                "action", "log only"), report);
        assertEquals(List.of("type", "when", "noop", "delay_s", "message", "pending", "reason_names", "outcome", "action"),
                List.copyOf(report.keySet()));
    }

    @Test
    void reportNamesEachOutcome() {
        RebootResource resource = Params.resource(Map.of());
        assertEquals("scheduled", Params.wire(resource.report(PENDING, Decision.REBOOT, "x")).get("outcome"));
        assertEquals("would_reboot", Params.wire(resource.report(PENDING, Decision.WOULD_REBOOT, "x")).get("outcome"));
        Map<String, Object> notPending = Params.wire(resource.report(NOTHING, Decision.NOT_PENDING, null));
        assertEquals("not_pending", notPending.get("outcome"));
        assertTrue(!notPending.containsKey("action"), "nothing would run");
    }
}
