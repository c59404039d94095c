package io.orch.cli;

import java.util.Locale;

/** How orch writes a number of seconds in the lines it prints; every command goes through here. */
public final class TimeText {
    private TimeText() {
    }

    /** In a report row: {@code 3s} when whole, else {@code 3.2s} ({@code 900s}, not minutes). */
    public static String seconds(double s) {
        return s == Math.rint(s) ? (long) s + "s" : String.format(Locale.ROOT, "%.1fs", s);
    }

    /** In a watch line: {@code 3.2s}, or {@code 4m05s} from a minute on. */
    public static String clock(double s) {
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", s);
        }
        long whole = Math.round(s);
        return whole / 60 + "m" + String.format(Locale.ROOT, "%02d", whole % 60) + "s";
    }

    /** How long ago, coarsely: {@code 45s}, {@code 12m}, {@code 5h}, {@code 3d}. */
    public static String ago(long s) {
        s = Math.max(0, s);
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        if (s < 172_800) {
            return s / 3600 + "h";
        }
        return s / 86_400 + "d";
    }
}
