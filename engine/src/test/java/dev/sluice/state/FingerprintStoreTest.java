package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batched state writes of a run on a real database: removing many rows at once and writing rows back, where
 * rows are replaced (DuckDB, PostgreSQL) and where they are only appended and the latest built_at wins (Snowflake,
 * Databricks and Spark, imitated here by DuckDB with its transactional DDL switched off).
 */
class FingerprintStoreTest {
    private DuckDbAdapter duckdb;
    private Session s;

    @BeforeEach
    void open() {
        duckdb = new DuckDbAdapter(new Target("p", "dev", "duckdb", null, "main", 1, Map.of(), null));
        s = duckdb.open();
    }

    @AfterEach
    void close() {
        s.close();
        duckdb.close();
    }

    /** DuckDB's SQL, but rows only appended: what the store does for warehouses without transactional DDL. */
    private Adapter appendOnly() {
        return (Adapter) Proxy.newProxyInstance(Adapter.class.getClassLoader(), new Class<?>[]{Adapter.class}, (proxy, m, args) -> {
            if (m.getName().equals("transactionalDdl")) return false;
            try {
                return m.invoke(duckdb, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static StoredFingerprint row(String id, String fingerprint, Instant at) {
        return new StoredFingerprint(new Fingerprint(id, fingerprint, "s", "c", "u", ""), at, "run-1");
    }

    private FingerprintStore store(Adapter adapter, String table) {
        FingerprintStore store = new FingerprintStore(adapter, new Relation(null, "main", table));
        s.execute(store.createSql());
        Instant built = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        s.transaction(store.writeAllSql(List.of(row("model.p.a", "fa", built), row("model.p.b", "fb", built),
                row("model.p.c", "fc", built))));
        return store;
    }

    @Test
    void manyRowsAreRemovedAtOnceAndOneIsWrittenBackWhereRowsAreReplaced() {
        FingerprintStore store = store(duckdb, "state_replaced");
        Map<String, StoredFingerprint> before = store.load(s);
        s.transaction(store.forgetAllSql(List.of("model.p.a", "model.p.b")));
        assertEquals(Set.of("model.p.c"), store.load(s).keySet());
        // Written back as it was, built_at included (the node was left unchanged).
        s.transaction(store.writeAllSql(List.of(before.get("model.p.a"))));
        Map<String, StoredFingerprint> after = store.load(s);
        assertEquals(Set.of("model.p.a", "model.p.c"), after.keySet());
        assertEquals(before.get("model.p.a"), after.get("model.p.a"));
        assertEquals(2L, ((Number) s.query("select count(*) from main.state_replaced").get(0).values().iterator().next()).longValue());
    }

    @Test
    void whereRowsAreOnlyAppendedARemovalIsATombstoneAndAWrittenBackRowMustBeNewer() {
        Adapter adapter = appendOnly();
        FingerprintStore store = store(adapter, "state_appended");
        Map<String, StoredFingerprint> before = store.load(s);
        s.transaction(store.forgetAllSql(List.of("model.p.a", "model.p.b")));
        assertEquals(Set.of("model.p.c"), store.load(s).keySet());
        // With its old built_at the row loses to the tombstone: the tracker writes it back with a newer one.
        s.transaction(store.writeAllSql(List.of(before.get("model.p.a"))));
        assertEquals(Set.of("model.p.c"), store.load(s).keySet());
        s.transaction(store.writeAllSql(List.of(row("model.p.b", "fb", Instant.now().plusSeconds(1)))));
        Map<String, StoredFingerprint> after = store.load(s);
        assertEquals(Set.of("model.p.b", "model.p.c"), after.keySet());
        assertEquals("fb", after.get("model.p.b").fingerprint().fingerprint());
        // Nothing was deleted: three rows, two tombstones and two rows written back.
        assertEquals(7L, ((Number) s.query("select count(*) from main.state_appended").get(0).values().iterator().next()).longValue());
    }
}
