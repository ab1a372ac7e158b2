package dev.sluice.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Templates compare, sort and dedupe dates ({% if d1 < d2 %}, | unique, | sort): by their value, per type. */
class PyDatesTest {

    @Test
    void datesOfOneTypeCompareOrderAndHashByTheirValue() {
        LocalDate day = LocalDate.of(2024, 1, 31);
        assertEquals(new PyDates.Date(day), new PyDates.Date(day));
        assertEquals(new PyDates.Date(day).hashCode(), new PyDates.Date(day).hashCode());
        assertTrue(new PyDates.Date(day).compareTo(new PyDates.Date(day.plusDays(1))) < 0);
        assertEquals(List.of(new PyDates.Delta(Duration.ofHours(1)), new PyDates.Delta(Duration.ofDays(1))),
                List.copyOf(new TreeSet<>(Set.of(new PyDates.Delta(Duration.ofDays(1)), new PyDates.Delta(Duration.ofHours(1))))));
        assertEquals(1, Set.of(new PyDates.Delta(Duration.ofMinutes(60))).stream()
                .filter(d -> d.equals(new PyDates.Delta(Duration.ofHours(1)))).count());
    }

    @Test
    void aDatetimeEqualsOnlyWithTheSameZoneAndNeverADateOrDelta() {
        LocalDateTime t = LocalDateTime.of(2024, 1, 31, 10, 5);
        assertEquals(new PyDates.DateTime(t, null), new PyDates.DateTime(t, null));
        assertEquals(new PyDates.DateTime(t, ZoneOffset.UTC), new PyDates.DateTime(t, ZoneOffset.UTC));
        assertNotEquals(new PyDates.DateTime(t, null), new PyDates.DateTime(t, ZoneOffset.UTC));
        assertNotEquals(new PyDates.DateTime(t, ZoneOffset.UTC), new PyDates.DateTime(t, null));
        assertTrue(new PyDates.DateTime(t, null).compareTo(new PyDates.DateTime(t.plusSeconds(1), null)) < 0);
        assertNotEquals(new PyDates.Date(t.toLocalDate()), new PyDates.DateTime(t.toLocalDate().atStartOfDay(), null));
        assertNotEquals(new PyDates.Delta(Duration.ZERO), new PyDates.Date(t.toLocalDate()));
        assertNotEquals(new PyDates.Delta(Duration.ZERO), null);
    }
}
