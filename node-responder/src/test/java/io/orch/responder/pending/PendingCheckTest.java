package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every detector runs; one that cannot decide is reported and never taken as a reason to reboot. */
class PendingCheckTest {

    static PendingDetector found(String name) {
        return detector(name, () -> Optional.of(new Reason(name, name + " says so", Map.of("k", "v"))));
    }

    static PendingDetector nothing(String name) {
        return detector(name, Optional::empty);
    }

    static PendingDetector failing(String name, Exception e) {
        return detector(name, () -> {
            throw e;
        });
    }

    interface Detect {
        Optional<Reason> detect() throws Exception;
    }

    static PendingDetector detector(String name, Detect detect) {
        return new PendingDetector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<Reason> detect() throws Exception {
                return detect.detect();
            }
        };
    }

    @Test
    void detectorThatThrowsIsReportedInErrorsAndNeverCountsAsPending() {
        PendingState state = new PendingCheck(List.of(
                failing("reboot_required", new IOException("permission denied: /run/reboot-required")),
                failing("kernel_update", new IllegalStateException("boom")))).run();

        assertFalse(state.pending());
        assertEquals(List.of(), state.reasons());
        assertEquals(Map.of(
                "reboot_required", "java.io.IOException: permission denied: /run/reboot-required",
                "kernel_update", "java.lang.IllegalStateException: boom"), state.errors());
        assertEquals(Map.of("reboot_required", "java.io.IOException: permission denied: /run/reboot-required",
                "kernel_update", "java.lang.IllegalStateException: boom"), state.errors());
    }

    @Test
    void failingDetectorDoesNotStopTheOthers() {
        PendingState state = new PendingCheck(List.of(
                found("reboot_required"),
                failing("kernel_update", new IOException("no /boot")),
                nothing("reboot_needed"),
                found("custom"))).run();

        assertTrue(state.pending());
        assertEquals(List.of("reboot_required", "custom"), state.reasonNames());
        assertEquals(List.of("kernel_update"), List.copyOf(state.errors().keySet()));
    }

    @Test
    void noDetectorsMeansNothingPendingAndNoErrors() {
        PendingState state = new PendingCheck(List.of()).run();
        assertFalse(state.pending());
        assertEquals(List.of(), state.reasons());
        assertEquals(Map.of(), state.errors());
    }

    @Test
    void reasonsKeepDetectorOrderAndEvidence() {
        PendingState state = new PendingCheck(List.of(nothing("a"), found("b"), found("c"))).run();
        assertEquals(List.of(
                new Reason("b", "b says so", Map.of("k", "v")),
                new Reason("c", "c says so", Map.of("k", "v"))), state.reasons());
    }

    @Test
    void detectorsRunAgainOnEveryCall() {
        int[] calls = {0};
        PendingCheck check = new PendingCheck(List.of(detector("counting", () -> {
            calls[0]++;
            return Optional.empty();
        })));
        check.run();
        check.run();
        assertEquals(2, calls[0]);
    }
}
