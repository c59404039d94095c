package io.orch.responder.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.protocol.payload.Reason;
import io.orch.responder.pending.PendingState;
import io.orch.responder.resource.RebootResource.Decision;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnlyifUnlessTest {
    private static PendingState pending(String... reasons) {
        return new PendingState(Stream.of(reasons).map(r -> new Reason(r, r, Map.of())).toList(), Map.of());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments(Map.of(), pending("kernel_update"), Decision.REBOOT),
                arguments(Map.of("onlyif", List.of("kernel_update")), pending("kernel_update", "reboot_required"),
                        Decision.REBOOT),
                arguments(Map.of("onlyif", List.of("kernel_update")), pending("reboot_required"), Decision.NOT_PENDING),
                arguments(Map.of("onlyif", List.of("kernel_update")), pending(), Decision.NOT_PENDING),
                arguments(Map.of("unless", List.of("pending_file_rename")), pending("pending_file_rename"),
                        Decision.NOT_PENDING),
                arguments(Map.of("unless", List.of("pending_file_rename")),
                        pending("pending_file_rename", "windows_update"), Decision.REBOOT),
                arguments(Map.of("unless", List.of("kernel_update"), "noop", true), pending("reboot_required"),
                        Decision.WOULD_REBOOT));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void onlyifAndUnlessChooseWhichPendingReasonsCount(Map<String, Object> params, PendingState state,
                                                       Decision expected) {
        assertEquals(expected, Params.resource(params).decide(state));
    }

    static Stream<Arguments> badParams() {
        return Stream.of(
                arguments(Map.of("onlyif", List.of("a"), "unless", List.of("b")), "cannot both be given"),
                arguments(Map.of("onlyif", "kernel_update"), "must be a list"),
                arguments(Map.of("unless", List.of()), "must be a list"),
                arguments(Map.of("onlyif", List.of("Kernel Update")), "is not a reason name"),
                arguments(Map.of("unless", List.of(5)), "is not a reason name"));
    }

    @ParameterizedTest
    @MethodSource("badParams")
    void badOnlyifOrUnlessIsRefusedNamingTheParam(Map<String, Object> params, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Params.resource(params));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theReportSaysWhichListWasApplied(Map<String, Object> params, PendingState state, Decision expected) {
        RebootResource resource = Params.resource(params);
        Map<String, Object> report = Params.wire(resource.report(state, expected, null));
        assertEquals(params.containsKey("onlyif"), report.containsKey("onlyif"));
        assertEquals(params.containsKey("unless"), report.containsKey("unless"));
    }
}
