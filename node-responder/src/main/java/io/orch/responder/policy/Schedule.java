package io.orch.responder.policy;

import io.orch.responder.policy.MaintenanceWindow.Interval;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The maintenance windows of a policy, taken together: open when any one is. No windows: always open. */
final class Schedule {

    static final Schedule NONE = new Schedule(List.of());

    /** Beyond this, windows that stay open are reported as not closing (next = null). */
    private static final Duration HORIZON = Duration.ofDays(8);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT);

    private final List<MaintenanceWindow> windows;

    Schedule(List<MaintenanceWindow> windows) {
        this.windows = List.copyOf(windows);
    }

    boolean isEmpty() {
        return windows.isEmpty();
    }

    List<MaintenanceWindow> windows() {
        return windows;
    }

    /** {@code Sat,Sun 02:00+4h Europe/Berlin; daily 23:00+1h UTC}, or {@code none}. */
    String describe() {
        return windows.isEmpty() ? "none"
                : windows.stream().map(MaintenanceWindow::describe).collect(Collectors.joining("; "));
    }

    /**
     * Where {@code now} stands: inside the windows ({@code edge} is the interval whose closing ends the
     * open stretch, null when it lasts beyond the horizon) or outside ({@code edge} opens next).
     */
    private record State(boolean open, Interval edge) {
    }

    /** Only when there are windows. */
    private State state(Instant now) {
        List<Interval> intervals = new ArrayList<>();
        for (MaintenanceWindow w : windows) {
            // 8 days back reaches a 7-day window opened a week ago; 9 ahead the next opening of any window.
            intervals.addAll(w.intervals(now, 8, 9));
        }
        intervals.sort(Comparator.comparing(Interval::opens));
        Interval closing = null;
        for (Interval i : intervals) {
            if (i.contains(now) && (closing == null || i.closes().isAfter(closing.closes()))) {
                closing = i;
            }
        }
        if (closing == null) {
            Interval next = intervals.stream().filter(i -> i.opens().isAfter(now)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no window opens within 9 days: " + describe()));
            return new State(false, next);
        }
        // Windows that overlap or touch keep it open: follow them to the real closing.
        boolean extended = true;
        while (extended) {
            extended = false;
            for (Interval i : intervals) {
                if (!i.opens().isAfter(closing.closes()) && i.closes().isAfter(closing.closes())) {
                    closing = i;
                    extended = true;
                }
            }
        }
        return new State(true, Duration.between(now, closing.closes()).compareTo(HORIZON) > 0 ? null : closing);
    }

    /** Whether a reboot may happen now as far as the windows go: always when there are none. */
    boolean isOpen(Instant now) {
        return windows.isEmpty() || state(now).open();
    }

    MaintenanceStatus status(Instant now) {
        if (windows.isEmpty()) {
            return new MaintenanceStatus("none", true, null, "no maintenance windows: reboots allowed any time");
        }
        State state = state(now);
        if (!state.open()) {
            return new MaintenanceStatus(describe(), false, state.edge().opens(), "closed, " + opening(state, now));
        }
        if (state.edge() == null) {
            return new MaintenanceStatus(describe(), true, null,
                    "open now (" + describe() + "); the windows do not close within a week");
        }
        Interval closing = state.edge();
        return new MaintenanceStatus(describe(), true, closing.closes(), "open now (" + describe() + "), closes "
                + at(closing.closes(), closing.window().zone()) + ", " + in(now, closing.closes()));
    }

    /**
     * Why a reboot at {@code now} is refused, {@code outside maintenance window (opens Sat 02:00
     * Europe/Berlin, in 3h)}; only when {@link #isOpen} is false.
     */
    String outside(Instant now) {
        State state = state(now);
        if (state.open()) {
            throw new IllegalStateException("the windows are open at " + now);
        }
        return "outside maintenance window (" + opening(state, now) + ")";
    }

    private static String opening(State closed, Instant now) {
        Interval next = closed.edge();
        return "opens " + at(next.opens(), next.window().zone()) + ", " + in(now, next.opens());
    }

    static String at(Instant t, ZoneId zone) {
        return WHEN.format(t.atZone(zone)) + " " + zone.getId();
    }

    /** {@code in 3h}, {@code in 2d 5h}, {@code in 3h 20m}, {@code in less than a minute}: the two largest units. */
    static String in(Instant now, Instant then) {
        long minutes = Duration.between(now, then).toMinutes();
        if (minutes < 1) {
            return "in less than a minute";
        }
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        List<String> parts = new ArrayList<>();
        if (days > 0) {
            parts.add(days + "d");
        }
        if (hours > 0) {
            parts.add(hours + "h");
        }
        if (mins > 0 && days == 0) {
            parts.add(mins + "m");
        }
        return "in " + String.join(" ", parts);
    }
}
