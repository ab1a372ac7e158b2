package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import dev.sluice.seed.CsvTable;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The relation cache reads each schema once and follows the engine's own DDL, forgetting what it cannot follow. */
class RelationCacheTest {

    /** A catalog in memory that counts how often it is asked; names fold to lower case as in PostgreSQL. */
    private static class Catalog implements Session {
        final Map<String, RelationKind> relations = new HashMap<>();
        int listings;
        int lookups;

        @Override
        public void execute(String sql) {
        }

        @Override
        public List<Map<String, Object>> query(String sql) {
            return List.of();
        }

        @Override
        public void transaction(List<String> statements) {
        }

        @Override
        public Optional<RelationKind> relationKind(Relation r) {
            lookups++;
            return Optional.ofNullable(relations.get(r.schema() + "." + r.identifier()));
        }

        @Override
        public Optional<Map<String, RelationKind>> listRelations(Relation r) {
            listings++;
            Map<String, RelationKind> out = new HashMap<>();
            relations.forEach((k, v) -> {
                if (k.startsWith(r.schema() + ".")) out.put(k.substring(r.schema().length() + 1), v);
            });
            return Optional.of(out);
        }

        @Override
        public String storedName(String name, boolean quoted) {
            return quoted ? name : name.toLowerCase(Locale.ROOT);
        }

        @Override
        public List<ColumnInfo> columns(Relation r) {
            return List.of();
        }

        @Override
        public long load(Relation r, CsvTable t, Map<String, String> c) {
            return 0;
        }

        @Override
        public long append(Relation r, List<String> c, List<ColumnType> t, Iterator<List<Object>> rows) {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    private static Relation rel(String schema, String name) {
        return new Relation(null, schema, name);
    }

    @Test
    void oneCatalogQueryPerSchemaThenFollowsCreatesRenamesAndDrops() {
        Catalog cat = new Catalog();
        cat.relations.put("main.orders", RelationKind.TABLE);
        cat.relations.put("main.orders__sluice_tmp", RelationKind.TABLE);
        RelationCache cache = new RelationCache();
        Session s = new CachingSession(cat, cache);

        assertEquals(Optional.of(RelationKind.TABLE), s.relationKind(rel("main", "orders")));
        assertEquals(Optional.of(RelationKind.TABLE), s.relationKind(rel("main", "orders__sluice_tmp")));
        assertEquals(Optional.empty(), s.relationKind(rel("main", "customers")));
        assertEquals(1, cat.listings);

        s.execute("drop table if exists \"main\".\"orders__sluice_tmp\"");
        s.execute("create view \"main\".\"customers__sluice_tmp\" as (\nselect 1\n)");
        s.transaction(List.of("alter view \"main\".\"customers__sluice_tmp\" rename to \"customers\""));
        s.execute("create or replace table main.Payments as select 1");
        s.execute("insert into \"main\".\"orders\" select 1");
        assertEquals(Optional.empty(), s.relationKind(rel("main", "orders__sluice_tmp")));
        assertEquals(Optional.empty(), s.relationKind(rel("main", "customers__sluice_tmp")));
        assertEquals(Optional.of(RelationKind.VIEW), s.relationKind(rel("main", "customers")));
        assertEquals(Optional.of(RelationKind.TABLE), s.relationKind(rel("main", "payments")));
        assertEquals(Map.of("orders", RelationKind.TABLE, "customers", RelationKind.VIEW, "payments", RelationKind.TABLE),
                s.listRelations(rel("main", "_")).orElseThrow());
        assertEquals(1, cat.listings, "the engine's own DDL is followed without asking the catalog again");

        s.relationKind(rel("staging", "x"));
        assertEquals(2, cat.listings, "another schema is read once");
        assertEquals(0, cat.lookups);
    }

    @Test
    void whatItCannotFollowMakesItAskAgain() {
        Catalog cat = new Catalog();
        RelationCache cache = new RelationCache();
        Session s = new CachingSession(cat, cache);
        for (String sql : List.of("drop table if exists \"main\".\"a\" cascade", "call refresh_all()",
                "create temporary table t as select 1", "create or replace schema main", "drop table t")) {
            s.relationKind(rel("main", "a"));
            int before = cat.listings;
            s.execute(sql);
            s.relationKind(rel("main", "a"));
            assertEquals(before + 1, cat.listings, sql);
        }
        s.relationKind(rel("main", "a"));
        int before = cat.listings;
        for (String sql : List.of("select 1", "-- a comment\ninsert into x values (1)", "grant select on t to bob",
                "alter table \"main\".\"a\" add column b int", "create schema if not exists \"main\"")) {
            s.execute(sql);
            s.relationKind(rel("main", "a"));
        }
        assertEquals(before, cat.listings);
    }

    @Test
    void aFailedStatementForgetsWhatWasKnown() {
        Catalog cat = new Catalog() {
            @Override
            public void execute(String sql) {
                throw new dev.sluice.error.DatabaseException("boom", null);
            }
        };
        Session s = new CachingSession(cat, new RelationCache());
        s.relationKind(rel("main", "a"));
        try {
            s.execute("create table \"main\".\"a\" as select 1");
        } catch (dev.sluice.error.DatabaseException expected) {
            // the statement's effect is unknown
        }
        s.relationKind(rel("main", "a"));
        assertEquals(2, cat.listings);
    }
}
