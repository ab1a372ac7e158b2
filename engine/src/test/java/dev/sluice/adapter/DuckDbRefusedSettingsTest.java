package dev.sluice.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

/**
 * Which of a DuckDB output's settings a failure to open is about, from DuckDB's own messages (1.4) and the names
 * its driver lists: the one line then names those settings, and a failure about something else names none.
 */
class DuckDbRefusedSettingsTest {
    private static final Set<String> KNOWN = Set.of("memory_limit", "threads", "temp_directory", "access_mode",
            "default_order", "jdbc_stream_results");

    private static List<String> refused(Set<String> given, String message) {
        return List.copyOf(DuckDbAdapter.refusedSettings(given, message, KNOWN));
    }

    @Test
    void anUnknownNameIsRefusedWhateverTheMessageSays() {
        assertEquals(List.of("memry_limit"), refused(Set.of("memry_limit", "threads"),
                "Invalid Input Error: The following options were not recognized: memry_limit"));
        assertEquals(List.of("memry_limit"), refused(Set.of("memry_limit", "threads"), "a wording DuckDB has not used yet"));
    }

    @Test
    void aKnownSettingIsRefusedWhenTheMessageNamesIt() {
        assertEquals(List.of("threads"), refused(Set.of("memory_limit", "threads"),
                "Catalog Error: Failed to set configuration option \"threads\", error: Must have at least 1 thread!"));
        assertEquals(List.of("memory_limit"), refused(Set.of("memory_limit", "threads"),
                "Catalog Error: Failed to set configuration option \"memory_limit\", error: Memory limit must have a number"));
        assertEquals(List.of("default_order"), refused(Set.of("default_order"),
                "Catalog Error: Failed to set configuration option \"default_order\", error: Unrecognized parameter for option DEFAULT_ORDER"));
    }

    @Test
    void anExtensionsSettingDuckDbCannotLoadIsRefused() {
        assertEquals(List.of("s3_region"), refused(Set.of("s3_region", "threads"),
                "Invalid Input Error: To set the s3_region setting, the httpfs extension needs to be loaded. But it could not be autoloaded."));
    }

    @Test
    void aFailureAboutSomethingElseRefusesNone() {
        assertEquals(List.of(), refused(Set.of("threads", "memory_limit"),
                "IO Error: The file \"/data/w.duckdb\" exists, but it is not a valid DuckDB database file!"));
        // A name inside another word is not named: "1 thread" is not "threads", "memory_limits" not "memory_limit".
        assertEquals(List.of(), refused(Set.of("threads", "memory_limit"), "Error: 1 thread; see memory_limits."));
    }

    @Test
    void withoutDuckDbsListOnlyTheMessageCounts() {
        assertEquals(List.of("memry_limit"), List.copyOf(DuckDbAdapter.refusedSettings(Set.of("memry_limit", "threads"),
                "Invalid Input Error: The following options were not recognized: memry_limit", Set.of())));
    }
}
