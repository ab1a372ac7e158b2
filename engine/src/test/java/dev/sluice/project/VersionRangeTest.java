package dev.sluice.project;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** require-dbt-version and hub version ranges, as dbt writes them. */
class VersionRangeTest {
    private static final VersionRange.Version LINE = VersionRange.Version.parse("1.10.0");

    @Test
    void dbtVersionRequirementsOfRealPackagesAllowTheOneTenLine() {
        assertTrue(VersionRange.parse(List.of(">=1.3.0", "<3.0.0")).allowsLine(LINE)); // dbt_utils
        assertTrue(VersionRange.parse(List.of(">=1.3.0,<2.0.0")).allowsLine(LINE));
        assertTrue(VersionRange.parse(List.of(">=1.10.2")).allowsLine(LINE), "a later 1.10 patch is still 1.10.x");
        assertTrue(VersionRange.parse(List.of(">1.9.9", "<=1.10.0")).allowsLine(LINE));
        assertFalse(VersionRange.parse(List.of(">=1.11.0")).allowsLine(LINE));
        assertFalse(VersionRange.parse(List.of(">=1.0.0", "<1.10.0")).allowsLine(LINE));
        assertFalse(VersionRange.parse(List.of("1.9.4")).allowsLine(LINE));
    }

    @Test
    void bestPicksTheHighestReleaseInTheRange() {
        List<VersionRange.Version> tags = List.of("0.9.1", "1.0.0", "1.1.2", "1.2.0-b1", "2.0.0").stream()
                .map(VersionRange.Version::parse).toList();
        assertEquals("1.1.2", VersionRange.parse(List.of(">=1.0.0", "<2.0.0")).best(tags).orElseThrow().toString());
        assertEquals("1.2.0-b1", VersionRange.parse(List.of(">=1.2.0-a1")).and(VersionRange.parse(List.of("<2.0.0")))
                .best(tags).orElseThrow().toString());
        assertEquals("1.0.0", VersionRange.parse(List.of("1.0.0")).best(tags).orElseThrow().toString());
        assertTrue(VersionRange.parse(List.of(">=3.0.0")).best(tags).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> VersionRange.parse(List.of(">=one")));
    }
}
