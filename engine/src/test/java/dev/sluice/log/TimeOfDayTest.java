package dev.sluice.log;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written time of day writes what java.time's pattern formatter writes. */
class TimeOfDayTest {
    @Test
    void matchesThePatternFormatter() {
        DateTimeFormatter millis = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
        long[] moments = {0L, 1_000L, 59_999L, 86_399_999L, 1_764_543_601_007L, 1_764_586_799_990L, 951_782_400_123L};
        for (long m : moments) {
            assertEquals(millis.format(Instant.ofEpochMilli(m)), TimeOfDay.withMillis(m), "at " + m);
        }
        String now = TimeOfDay.now();
        assertEquals(8, now.length());
        assertEquals(':', now.charAt(2));
        assertEquals(':', now.charAt(5));
    }
}
