package io.orch.responder.policy;

import io.orch.protocol.Limits;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One maintenance window: on each of {@code days}, from {@code start} for {@code length}, on the
 * wall clock of {@code zone}. The day is the day the window opens, so {@code sat 23:00+4h} closes on
 * Sunday at 03:00. The window is every instant whose local clock time lies between its ends, so on
 * a daylight-saving night it is an hour shorter or longer in real time: when the clock jumps from
 * 02:00 to 03:00, a window from 02:30 opens at the jump (03:00); when it goes back from 03:00 to
 * 02:00, a window from 02:00 opens at the first 02:00 and one that closes at 02:30 closes at the
 * second 02:30.
 */
record MaintenanceWindow(Set<DayOfWeek> days, LocalTime start, Duration length, ZoneId zone) {

    MaintenanceWindow {
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        Objects.requireNonNull(start, "start == null");
        Objects.requireNonNull(zone, "zone == null");
        if (days.isEmpty()) {
            throw new IllegalArgumentException("a window needs at least one day");
        }
        if (length.isNegative() || length.isZero() || length.compareTo(Limits.MAX_MAINTENANCE_WINDOW) > 0) {
            throw new IllegalArgumentException("length " + length + " outside (0, 7d]");
        }
    }

    /** An opening and the closing after it. */
    record Interval(Instant opens, Instant closes, MaintenanceWindow window) {
        boolean contains(Instant t) {
            return !t.isBefore(opens) && t.isBefore(closes);
        }
    }

    /**
     * The openings of this window on the local days from {@code before} days before to {@code after}
     * days after the day of {@code around}.
     */
    List<Interval> intervals(Instant around, int before, int after) {
        LocalDate today = LocalDate.ofInstant(around, zone);
        List<Interval> out = new ArrayList<>();
        for (LocalDate day = today.minusDays(before); !day.isAfter(today.plusDays(after)); day = day.plusDays(1)) {
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            LocalDateTime from = day.atTime(start);
            Instant opens = instant(from, true);
            Instant closes = instant(from.plus(length), false);
            if (closes.isAfter(opens)) {
                out.add(new Interval(opens, closes, this));
            }
        }
        return out;
    }

    /**
     * The instant the clock shows {@code local}. In a gap (the clock jumps over it) that is the jump;
     * in an overlap (it shows it twice) the first for an opening and the second for a closing, so the
     * window holds every instant whose clock time lies between its ends.
     */
    private Instant instant(LocalDateTime local, boolean opening) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        ZonedDateTime at = ZonedDateTime.ofLocal(local, zone, null);
        return (opening ? at.withEarlierOffsetAtOverlap() : at.withLaterOffsetAtOverlap()).toInstant();
    }

    /** {@code Sat,Sun 02:00+4h Europe/Berlin}; {@code daily} for all seven days. */
    String describe() {
        return dayList(days) + " " + start + "+" + lengthText(length) + " " + zone.getId();
    }

    static String dayList(Set<DayOfWeek> days) {
        if (days.size() == 7) {
            return "daily";
        }
        return EnumSet.copyOf(days).stream()
                .map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT))
                .collect(Collectors.joining(","));
    }

    /** {@code 4h}, {@code 90m} as {@code 1h30m}, {@code 2d} as {@code 48h}. */
    static String lengthText(Duration length) {
        long hours = length.toHours();
        int minutes = length.toMinutesPart();
        if (hours == 0) {
            return minutes + "m";
        }
        return hours + "h" + (minutes == 0 ? "" : minutes + "m");
    }
}
