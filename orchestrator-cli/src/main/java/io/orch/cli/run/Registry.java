package io.orch.cli.run;

import io.orch.cli.inventory.Announced;
import java.util.List;

/**
 * What the broker held of the collective's registry when a run started: the latest announcement of
 * every node, unchecked ({@link Announced#verify} checks one).
 *
 * @param announced in the order the broker gave them
 * @param note      null when the broker returned the run's own marker, so the list is all it held; else why the
 *                  list may be short or empty (a broker that refuses the marker, or one too slow to return it)
 */
public record Registry(List<Announced> announced, String note) {
    public Registry {
        announced = List.copyOf(announced);
    }
}
