package io.orch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.payload.NoData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run's exit code, counts and summary line, from its rows alone. */
class RunReportTest {
    static NodeResult row(String identity, String status) {
        return new NodeResult(identity, status, status.replace('_', ' '), List.of(), NoData.INSTANCE,
                status.equals(NodeResult.NO_RESPONSE) ? -1 : 12);
    }

    static RunReport report(String stopReason, long notMatched, NodeResult... rows) {
        return new RunReport("reboot", false, Map.of("discover", List.of("d-1")), Map.of(), List.of(rows),
                notMatched, Map.of(), List.of(), stopReason, Map.of());
    }

    static RunReport report(NodeResult... rows) {
        return report(null, 0, rows);
    }

    @Test
    void interruptedWinsOverEverything() {
        RunReport report = report(RunReport.STOP_INTERRUPTED, 0, row("a", "failed"), row("b", "no_response"),
                row("c", "rebooted"));

        assertEquals(130, report.exitCode());
    }

    @Test
    void interruptedDuringDiscoveryIs130EvenWithNothingDone() {
        assertEquals(130, report(RunReport.STOP_INTERRUPTED, 0).exitCode());
        assertEquals(130, report(RunReport.STOP_INTERRUPTED, 0, row("a", NodeResult.NOT_STARTED)).exitCode());
    }

    @Test
    void stoppedByMaxFailuresIsFiveOverFailedAndMissingNodes() {
        RunReport report = report(RunReport.STOP_MAX_FAILURES, 0, row("a", "failed"), row("b", "not_back"),
                row("c", NodeResult.NOT_STARTED));

        assertEquals(5, report.exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"failed", "denied", "expired", "invalid", "reboot_failed", "still_pending",
        "reboot_interrupted"})
    void aFailedNodeIsOneAndWinsOverNodesThatDidNotAnswer(String status) {
        RunReport report = report(row("a", status), row("b", "no_response"), row("c", "not_back"),
                row("d", "rebooted"));

        assertEquals(1, report.exitCode());
    }

    @Test
    void aNodeThatDidNotAnswerIsFour() {
        assertEquals(4, report(row("a", "ok"), row("b", "no_response")).exitCode());
    }

    @Test
    void aNodeThatDidNotComeBackIsFour() {
        assertEquals(4, report(row("a", "rebooted"), row("b", "not_back")).exitCode());
    }

    @Test
    void nobodyAnsweringIsFour() {
        RunReport empty = report();
        RunReport allSilent = report(row("a", "no_response"), row("b", "no_response"));

        assertTrue(empty.nobodyAnswered());
        assertEquals(4, empty.exitCode());
        assertTrue(allSilent.nobodyAnswered());
        assertEquals(4, allSilent.exitCode());
    }

    @Test
    void nodesThatAnsweredWithoutMatchingAreSomebody() {
        RunReport report = report(null, 3);

        assertFalse(report.nobodyAnswered());
        assertEquals(0, report.exitCode());
    }

    @Test
    void nodesThatAnsweredDiscoveryButNotTheActionAreSomebody() {
        RunReport report = report(row("a", "no_response").inBatch(1, "r-1"));

        assertFalse(report.nobodyAnswered());
        assertEquals(4, report.exitCode());
    }

    @Test
    void allDoneIsZero() {
        RunReport report = report(row("a", "rebooted"), row("b", "ok"), row("c", "not_pending"),
                row("d", NodeResult.SKIPPED), row("e", "scheduled"), row("f", "noop"), row("g", "cancelled"));

        assertEquals(0, report.exitCode());
    }

    @Test
    void onlySkippedNodesIsZero() {
        assertEquals(0, report(row("a", NodeResult.SKIPPED)).exitCode());
    }

    @Test
    void countsFollowTheSummaryOrderNotTheRows() {
        RunReport report = report(row("a", "no_response"), row("b", "not_back"), row("c", "failed"),
                row("d", "skipped"), row("e", "not_pending"), row("f", "rebooted"), row("g", "rebooted"),
                row("h", "scheduled"), row("i", "ok"));

        assertEquals(List.of("ok", "rebooted", "scheduled", "not_pending", "skipped", "failed", "not_back",
                "no_response"), new ArrayList<>(report.counts().keySet()));
        assertEquals(2L, report.counts().get("rebooted"));
    }

    @Test
    void countsAlwaysHaveFailedAndNoResponseEvenAtZero() {
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("rebooted", 1L);
        expected.put("failed", 0L);
        expected.put("no_response", 0L);

        assertEquals(expected, report(row("a", "rebooted")).counts());
        assertEquals(Map.of("failed", 0L, "no_response", 0L), report().counts());
    }

    @Test
    void nodesAreSortedByIdentity() {
        RunReport report = report(row("lab-3", "ok"), row("lab-1", "ok"), row("lab-2", "ok"));

        assertEquals(List.of("lab-1", "lab-2", "lab-3"), report.nodes().stream().map(NodeResult::identity).toList());
    }

    @Test
    void summaryLineCountsInOrderAndNamesTheMissingNodes() {
        RunReport report = report(row("lab-3", "no_response"), row("lab-1", "rebooted"), row("lab-2", "not_back"),
                row("lab-4", "rebooted"));

        assertEquals("2 rebooted, 0 failed, 1 not back, 1 no response: lab-2, lab-3", report.summaryLine());
    }

    @Test
    void summaryLineSaysWhyTheRunStopped() {
        assertTrue(report(RunReport.STOP_MAX_FAILURES, 0, row("a", "failed")).summaryLine()
                .endsWith("; stopped by --max-failures"));
        assertTrue(report(RunReport.STOP_INTERRUPTED, 0, row("a", "scheduled")).summaryLine()
                .endsWith("; interrupted"));
        assertFalse(report(row("a", "ok")).summaryLine().contains(";"));
    }

    @Test
    void summaryLineOfAStoppedRunNamesMissingNodesBeforeTheReason() {
        RunReport report = report(RunReport.STOP_MAX_FAILURES, 0, row("lab-1", "not_back"),
                row("lab-2", NodeResult.NOT_STARTED));

        assertEquals("1 not started, 0 failed, 1 not back, 0 no response: lab-1; stopped by --max-failures",
                report.summaryLine());
    }

    @Test
    void inFlightIsTheScheduledNodes() {
        RunReport report = report(RunReport.STOP_INTERRUPTED, 0, row("a", "scheduled"), row("b", "rebooted"),
                row("c", "scheduled"));

        assertEquals(List.of("a", "c"), report.inFlight().stream().map(NodeResult::identity).toList());
    }
}
