package dev.sluice.sparksql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.error.DatabaseException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server that refuses a setting the engine adds on its own (Databricks allows only some Spark settings per
 * session) still gets a session, without that setting and with a warning; a setting the user gave, or any other
 * failure, stays an error.
 */
class ConnectEndpointTest {
    private static final String BOUND = "spark.sql.maxPlanStringLength";

    private static Map<String, String> conf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.shuffle.partitions", "8");
        conf.put(BOUND, "16k");
        return conf;
    }

    /** A stand-in server: refuses any session whose settings include one of {@code refuses}. */
    private static String server(Map<String, String> settings, Set<String> refuses, List<Map<String, String>> seen) {
        seen.add(settings);
        for (String key : refuses) {
            if (settings.containsKey(key)) {
                throw new DatabaseException("cannot open a Spark Connect session for target 'dev' at sc://h:443 (TLS): "
                        + "[CONFIG_NOT_AVAILABLE] Configuration " + key + " is not available.", null);
            }
        }
        return "session";
    }

    @Test
    void aRefusedEngineDefaultIsDroppedWithAWarning() {
        List<Map<String, String>> seen = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String s = ConnectEndpoint.withoutRefused(conf(), Set.of(BOUND), c -> server(c, Set.of(BOUND), seen),
                (key, why) -> warnings.add(key + " | " + why));
        assertEquals("session", s);
        assertEquals(2, seen.size());
        assertEquals(Map.of("spark.sql.shuffle.partitions", "8"), seen.get(1), "only the refused default is left out");
        assertEquals(List.of(BOUND + " | [CONFIG_NOT_AVAILABLE] Configuration " + BOUND + " is not available."), warnings);
    }

    @Test
    void aRefusedUserSettingIsAnError() {
        List<Map<String, String>> seen = new ArrayList<>();
        DatabaseException e = assertThrows(DatabaseException.class, () -> ConnectEndpoint.withoutRefused(conf(), Set.of(BOUND),
                c -> server(c, Set.of("spark.sql.shuffle.partitions"), seen), (key, why) -> { }));
        assertEquals(1, seen.size(), "no second try: " + e.getMessage());
    }

    @Test
    void otherFailuresAreNotRetried() {
        DatabaseException refused = new DatabaseException("cannot open a Spark Connect session: UNAUTHENTICATED", null);
        List<Map<String, String>> seen = new ArrayList<>();
        DatabaseException e = assertThrows(DatabaseException.class, () -> ConnectEndpoint.withoutRefused(conf(), Set.of(BOUND),
                c -> {
                    seen.add(c);
                    throw refused;
                }, (key, why) -> { }));
        assertSame(refused, e);
        assertEquals(1, seen.size());
    }

    @Test
    void withNothingRefusedEverySettingGoes() {
        List<Map<String, String>> seen = new ArrayList<>();
        ConnectEndpoint.withoutRefused(conf(), Set.of(BOUND), c -> server(c, Set.of(), seen), (key, why) -> { });
        assertEquals(List.of(conf()), seen);
    }
}
