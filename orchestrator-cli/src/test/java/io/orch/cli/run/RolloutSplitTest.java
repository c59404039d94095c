package io.orch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.options.Amount;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.RebootParams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How targets are cut into batches; {@link Rollout#split} is a plain function, nothing here sends anything. */
class RolloutSplitTest {
    private static Split rollout(Amount batch) {
        return new Split(batch);
    }

    private record Split(Amount batch) {
        List<List<String>> split(List<String> targets) {
            return Rollout.split(batch, targets);
        }
    }

    private static List<String> nodes(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("lab-%04d", i)).toList();
    }

    @Test
    void withoutBatchAllTargetsGoInOneBatch() {
        assertEquals(List.of(nodes(7)), rollout(null).split(nodes(7)));
    }

    @Test
    void aCountCutsBatchesOfThatSizeAndTheLastTakesTheRest() {
        List<List<String>> batches = rollout(Amount.parse("2")).split(nodes(5));

        assertEquals(List.of(List.of("lab-0001", "lab-0002"), List.of("lab-0003", "lab-0004"), List.of("lab-0005")),
                batches);
    }

    @Test
    void aShareIsTakenOfAllTargetsAndRoundedUp() {
        assertEquals(List.of(4, 4, 2), sizes(rollout(Amount.parse("34%")).split(nodes(10))));
        assertEquals(List.of(1, 1, 1, 1, 1), sizes(rollout(Amount.parse("10%")).split(nodes(5))));
        assertEquals(List.of(7), sizes(rollout(Amount.parse("100%")).split(nodes(7))));
    }

    @Test
    void aBatchLargerThanTheTargetsIsOneBatch() {
        assertEquals(List.of(nodes(3)), rollout(Amount.parse("10")).split(nodes(3)));
    }

    @Test
    void batchesKeepTheTargetsOrderAndLoseNoneAndRepeatNone() {
        List<String> targets = nodes(23);
        List<List<String>> batches = rollout(Amount.parse("4")).split(targets);

        assertEquals(targets, batches.stream().flatMap(List::stream).toList());
    }

    @Test
    void noTargetsMakeNoBatch() {
        assertTrue(rollout(Amount.parse("2")).split(List.of()).isEmpty());
        assertTrue(rollout(null).split(List.of()).isEmpty());
    }

    @Test
    void batchesAreCopiesTheCallerCannotChange() {
        List<List<String>> batches = rollout(Amount.parse("2")).split(nodes(4));

        assertThrows(UnsupportedOperationException.class, () -> batches.get(0).add("lab-9999"));
    }

    @Test
    void runWithNoTargetsSendsNothingAndDoesNotStop() throws Exception {
        // With no batch the bus is never touched (it is null here).
        Rollout.Result result = new Rollout(null, null, settings(RunSettings.Batching.allAtOnce(Duration.ofSeconds(20))),
                null, RunListener.NONE, RunClock.SYSTEM, 0, new CountDownLatch(1)).run(List.of());

        assertTrue(result.nodes().isEmpty());
        assertTrue(result.batches().isEmpty());
        assertTrue(result.requestIds().isEmpty());
        assertNull(result.stopReason());
        assertTrue(result.warnings().isEmpty());
    }

    @Test
    void waitingForNodesToComeBackNeedsTheEventFeed() {
        RunSettings settings = settings(new RunSettings.Batching(null, Duration.ZERO, true, Duration.ofMinutes(15),
                false, null, Duration.ofSeconds(20)));

        assertThrows(IllegalArgumentException.class, () -> new Rollout(null, null, settings, null, RunListener.NONE,
                RunClock.SYSTEM, 0, new CountDownLatch(1)));
    }

    @Test
    void settingsWithoutASleepMeanNoSleep() {
        RunSettings.Batching batching = new RunSettings.Batching(null, null, false, null, false, null,
                Duration.ofSeconds(20));

        assertEquals(Duration.ZERO, batching.batchSleep());
    }

    private static RunSettings settings(RunSettings.Batching batching) {
        return new RunSettings(Action.REBOOT, RebootParams.DEFAULT, false, true, FilterSpec.EMPTY,
                new RunSettings.Sender("orch", "test", "host"), RunSettings.Targets.ALL, Duration.ofSeconds(10),
                batching, Map.of());
    }

    private static List<Integer> sizes(List<List<String>> batches) {
        return batches.stream().map(List::size).toList();
    }
}
