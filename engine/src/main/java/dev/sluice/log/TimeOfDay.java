package dev.sluice.log;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The local time of day of a log line, "HH:mm:ss" on the console and "HH:mm:ss.SSS" in the log file, written
 * by hand: java.time's pattern formatter was a visible share of the cost of each line in a run of many small
 * nodes (several lines per node).
 */
public final class TimeOfDay {
    private TimeOfDay() {
    }

    /** "HH:mm:ss" now. */
    public static String now() {
        return format(System.currentTimeMillis(), false);
    }

    /** "HH:mm:ss.SSS" of a moment in epoch milliseconds. */
    public static String withMillis(long epochMillis) {
        return format(epochMillis, true);
    }

    private static String format(long epochMillis, boolean millis) {
        LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneId.systemDefault());
        char[] c = new char[millis ? 12 : 8];
        two(c, 0, t.getHour());
        c[2] = ':';
        two(c, 3, t.getMinute());
        c[5] = ':';
        two(c, 6, t.getSecond());
        if (millis) {
            int ms = t.getNano() / 1_000_000;
            c[8] = '.';
            c[9] = (char) ('0' + ms / 100);
            two(c, 10, ms % 100);
        }
        return new String(c);
    }

    private static void two(char[] c, int at, int value) {
        c[at] = (char) ('0' + value / 10);
        c[at + 1] = (char) ('0' + value % 10);
    }
}
