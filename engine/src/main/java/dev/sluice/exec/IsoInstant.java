package dev.sluice.exec;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()}'s text (ISO-8601 in UTC, the fraction in groups of three digits as needed) written
 * directly: every node's start and end events carry two such times, and DateTimeFormatter's general machinery
 * was the largest single Java cost in a node's events (a tenth of the worker's Java samples in a re-run of 200
 * tables). Years outside 0000-9999, which need a sign, are left to Instant itself.
 */
public final class IsoInstant {
    private IsoInstant() {
    }

    public static String format(Instant t) {
        long seconds = t.getEpochSecond();
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        int year = day.getYear();
        if (year < 0 || year > 9999) return t.toString();
        int ofDay = (int) Math.floorMod(seconds, 86_400L);
        int nano = t.getNano();
        int digits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        char[] c = new char[20 + (digits == 0 ? 0 : digits + 1)];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, day.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, day.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, ofDay / 3600, 2);
        c[13] = ':';
        put(c, 14, ofDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, ofDay % 60, 2);
        if (digits > 0) {
            c[19] = '.';
            put(c, 20, digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano, digits);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    /** value as exactly width decimal digits, zero-padded, at c[at]. */
    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
