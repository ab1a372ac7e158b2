package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL binds a view to the table it reads, so replacing the table would drop the view; the engine
 * re-creates such views in the replacing transaction, so a run that selects only the table never loses one.
 */
class DependentViewsPostgresTest extends ProjectTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }

    private static final String TABLE_V1 = "{{ config(materialized='table') }}\nselect 1 as id, 'a' as name\n";
    private static final String TABLE_V2 = "{{ config(materialized='table') }}\n"
            + "select id, name from (values (1, 'a'), (2, 'b'), (3, 'c')) as x(id, name)\n";

    private CliHarness project() {
        CliHarness p = copy("shop");
        p.write("models/marts/t.sql", TABLE_V1);
        p.write("models/marts/v.sql", "{{ config(materialized='view') }}\nselect id, name from {{ ref('t') }}\n");
        p.write("models/marts/v_of_v.sql", "{{ config(materialized='view') }}\nselect count(*) as n, max(name) as top from {{ ref('v') }}\n");
        CliHarness.Result r = p.run("run", "-s", "t", "v", "v_of_v");
        assertEquals(0, r.exitCode(), r.all());
        return p;
    }

    @Test
    void replacingATableKeepsTheViewsOnItWithTheirCommentsGrantsAndIndexes() {
        CliHarness p = project();
        // What a user adds by hand is kept too: a comment, a grant, a materialized view with an index.
        p.execute("comment on view main.v is 'read by the dashboard'");
        p.execute("comment on column main.v.name is 'display name'");
        p.execute("grant select on main.v to public");
        p.execute("create materialized view main.mv as select id * 10 as id10 from main.v");
        p.execute("create index mv_id10 on main.mv (id10)");
        Object oldTable = p.scalar("select 'main.t'::regclass::oid");

        p.write("models/marts/t.sql", TABLE_V2);
        CliHarness.Result r = p.run("run", "-s", "t");
        assertEquals(0, r.exitCode(), r.all());

        assertNotEquals(oldTable, p.scalar("select 'main.t'::regclass::oid"), "t was replaced, not altered");
        // The views read the new rows: checked against the table itself, not against the expected numbers only.
        assertEquals(p.query("select id, name from main.t order by id"), p.query("select id, name from main.v order by id"));
        assertEquals(3L, ((Number) p.scalar("select n from main.v_of_v")).longValue());
        assertEquals("c", p.scalar("select top from main.v_of_v"));
        assertEquals(List.of(10, 20, 30), p.query("select id10 from main.mv order by id10").stream().map(m -> m.get("id10")).toList());
        assertEquals("read by the dashboard", p.scalar("select obj_description('main.v'::regclass, 'pg_class')"));
        assertEquals("display name", p.scalar("select col_description('main.v'::regclass, 2)"));
        assertEquals(1L, p.count("information_schema.role_table_grants where table_schema = 'main' and table_name = 'v' "
                + "and grantee = 'PUBLIC' and privilege_type = 'SELECT'"));
        assertEquals(1L, p.count("pg_indexes where schemaname = 'main' and tablename = 'mv' and indexname = 'mv_id10'"));
        assertEquals(List.of(), p.query("select table_name from information_schema.tables where table_name like '%\\_\\_sluice\\_%'"));
    }

    @Test
    void aSeedReplacedByFullRefreshKeepsTheStagingViewOnIt() {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("build").exitCode());
        long customers = p.count("main.stg_customers");
        CliHarness.Result r = p.run("seed", "--full-refresh", "-s", "raw_customers");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("VIEW", p.scalar("select table_type from information_schema.tables "
                + "where table_schema = 'main' and table_name = 'stg_customers'"));
        assertEquals(customers, p.count("main.stg_customers"));
        assertEquals(p.count("main.raw_customers"), customers);
    }

    @Test
    void aContractedTableReplacedInPlaceKeepsItsViews() {
        CliHarness p = project();
        p.write("models/marts/t.yml", """
                version: 2
                models:
                  - name: t
                    config: {contract: {enforced: true}}
                    columns:
                      - name: id
                        data_type: integer
                        constraints: [{type: not_null}]
                      - name: name
                        data_type: text
                """);
        p.write("models/marts/t.sql", TABLE_V2);
        CliHarness.Result r = p.run("run", "-s", "t");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("SELECT 3"), r.out());
        assertEquals(3L, ((Number) p.scalar("select n from main.v_of_v")).longValue());
    }

    @Test
    void aNewTableWithoutAColumnAViewReadsFailsAndKeepsTheOldTable() {
        CliHarness p = project();
        p.write("models/marts/t.sql", "{{ config(materialized='table') }}\nselect id from (values (1), (2)) as x(id)\n");
        CliHarness.Result r = p.run("run", "-s", "t");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.all().contains("cannot replace main.t: view main.v reads it and fails on the new version (column t.name does not exist); the old one is kept: change or drop that view first"), r.all());
        // Nothing changed: the old table with its one row and column name, both views on it, no leftovers.
        assertEquals(List.of(Map.of("id", 1, "name", "a")), p.query("select id, name from main.t"));
        assertEquals(1L, ((Number) p.scalar("select n from main.v_of_v")).longValue());
        assertEquals(List.of(), p.query("select table_name from information_schema.tables where table_name like '%\\_\\_sluice\\_%'"));
    }

    /** A table and the view on it changed together: the view the run builds again is left to that build. */
    @Test
    void aViewChangedWithItsTableInTheSameRunIsBuiltAgainByThatRun() {
        CliHarness p = project();
        p.write("models/marts/t.sql", "{{ config(materialized='table') }}\nselect id from (values (1), (2)) as x(id)\n");
        p.write("models/marts/v.sql", "{{ config(materialized='view') }}\nselect id, 'n' || id as name from {{ ref('t') }}\n");
        CliHarness.Result r = p.run("run", "-s", "t+");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(List.of(Map.of("id", 1, "name", "n1"), Map.of("id", 2, "name", "n2")),
                p.query("select id, name from main.v order by id"));
        assertEquals(2L, ((Number) p.scalar("select n from main.v_of_v")).longValue());
    }

    /**
     * The statement that re-creates the views on a table names, of the relations the run builds after it, only the
     * views on that table: it does not grow with the DAG (an early node of a 10,000-model DAG once sent ~300 KB).
     */
    @Test
    void theRestoringStatementNamesOnlyTheViewsOnTheTable() throws Exception {
        CliHarness p = project();
        for (int i = 0; i < 40; i++) {
            p.write("models/marts/later_" + i + ".sql", "{{ config(materialized='table') }}\nselect id from {{ ref('t') }}\n");
        }
        p.write("models/marts/t.sql", "{{ config(materialized='table') }}\nselect id from (values (1), (2)) as x(id)\n");
        p.write("models/marts/v.sql", "{{ config(materialized='view') }}\nselect id, 'n' || id as name from {{ ref('t') }}\n");
        java.nio.file.Files.deleteIfExists(p.dir.resolve("logs/engine.log"));
        CliHarness.Result r = p.run("run", "-s", "t+");
        assertEquals(0, r.exitCode(), r.all());
        List<String> restores = java.util.Arrays.stream(java.nio.file.Files.readString(p.dir.resolve("logs/engine.log")).split("\\$sluice\\$"))
                .filter(b -> b.contains("rebuilt text[] :=")).toList();
        assertTrue(!restores.isEmpty(), "t replaced with its views kept");
        for (String b : restores) {
            String rebuilt = b.substring(b.indexOf("rebuilt text[] :="), b.indexOf('\n', b.indexOf("rebuilt text[] :=")));
            assertTrue(!rebuilt.contains("later_") && rebuilt.length() < 200, rebuilt);
        }
        // v, built again after t, was left to that build (its new form reads t's new columns); 40 tables read t.
        assertEquals(List.of(Map.of("id", 1, "name", "n1"), Map.of("id", 2, "name", "n2")), p.query("select id, name from main.v order by id"));
        assertEquals(2L, ((Number) p.scalar("select n from main.v_of_v")).longValue());
        assertEquals(2L, ((Number) p.scalar("select count(*) from main.later_39")).longValue());
    }

    @Test
    void anIncrementalModelRebuiltByFullRefreshKeepsItsViews() {
        CliHarness p = copy("shop");
        p.write("models/marts/inc.sql", "{{ config(materialized='incremental', unique_key='id') }}\n"
                + "select id from (values (1), (2), (3)) as x(id)\n");
        p.write("models/marts/inc_view.sql", "{{ config(materialized='view') }}\nselect max(id) as top from {{ ref('inc') }}\n");
        assertEquals(0, p.run("run", "-s", "inc", "inc_view").exitCode());
        p.write("models/marts/inc.sql", "{{ config(materialized='incremental', unique_key='id') }}\n"
                + "select id from (values (4), (5)) as x(id)\n");
        CliHarness.Result r = p.run("run", "-s", "inc", "--full-refresh");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(p.scalar("select max(id) from main.inc"), p.scalar("select top from main.inc_view"));
        assertEquals(5, p.scalar("select top from main.inc_view"));
    }
}
