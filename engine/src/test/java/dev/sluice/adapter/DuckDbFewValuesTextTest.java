package dev.sluice.adapter;

import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generator's few-valued text column is declared as a dictionary where the file's storage accepts that method
 * (DuckDB 1.4's default storage) and as plain varchar in a file of storage v1.3.0 or later, which refuses it; in
 * both the column is created, filled and stored as a dictionary of some kind.
 */
class DuckDbFewValuesTextTest {
    @TempDir
    Path dir;

    private static String storedAs(Path file, Map<String, Object> settings) {
        Map<String, Object> output = settings == null ? Map.of("type", "duckdb", "path", file.toString())
                : Map.of("type", "duckdb", "path", file.toString(), "settings", settings);
        try (DuckDbAdapter adapter = new DuckDbAdapter(new Target("p", "dev", "duckdb", null, "raw", 1, output, null));
             Session s = adapter.open()) {
            String type = adapter.fewValuesTextType(s);
            s.execute("create table t (status " + type + ")");
            s.execute("insert into t select case when i % 3 = 0 then 'Approved' else 'Declined' end from range(200000) r(i)");
            s.execute("checkpoint");
            List<Map<String, Object>> rows = s.query("select count(*) as n, count(distinct status) as d from t");
            assertEquals(200000L, ((Number) rows.get(0).get("n")).longValue());
            assertEquals(2L, ((Number) rows.get(0).get("d")).longValue());
            Object compression = s.query("select compression from pragma_storage_info('t') "
                    + "where column_name = 'status' and segment_type = 'VARCHAR' limit 1").get(0).get("compression");
            return type + " -> " + compression;
        }
    }

    @Test
    void theDefaultStorageTakesTheDictionaryClause() {
        assertEquals("varchar using compression dictionary -> Dictionary", storedAs(dir.resolve("old.duckdb"), null));
    }

    @Test
    void aNewerStorageGetsPlainVarcharAndStoresADictionaryItself() {
        assertEquals("varchar -> DICT_FSST",
                storedAs(dir.resolve("new.duckdb"), Map.of("storage_compatibility_version", "v1.4.0")));
    }

    @Test
    void storageVersionsFromDuckDbsTags() {
        assertTrue(DuckDbAdapter.dictionaryClauseAccepted("v1.0.0+"));
        assertTrue(DuckDbAdapter.dictionaryClauseAccepted("v0.10.2"));
        assertTrue(DuckDbAdapter.dictionaryClauseAccepted("v1.2.0+"));
        assertFalse(DuckDbAdapter.dictionaryClauseAccepted("v1.3.0+"));
        assertFalse(DuckDbAdapter.dictionaryClauseAccepted("v1.4.0+"));
        assertFalse(DuckDbAdapter.dictionaryClauseAccepted("v2.0.0"));
        assertFalse(DuckDbAdapter.dictionaryClauseAccepted("latest"));
    }
}
