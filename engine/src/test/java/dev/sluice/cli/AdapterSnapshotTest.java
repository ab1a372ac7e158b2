package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's `simple_snapshot` suite (tests/adapter/simple_snapshot/test_snapshot.py and
 * test_various_configs.py) ported, with the hard-delete and check_cols: all cases of
 * test_ephemeral_snapshot_hard_deletes.py. The rows are generated; the expected tables are written with plain SQL
 * from them, as dbt's fixtures are. Key expressions are written with an explicit cast, which DuckDB needs where
 * PostgreSQL concatenates an integer as it is.
 */
class AdapterSnapshotTest extends AdapterSuite {

    private static final String[] FIRST = {"Judith", "Arthur", "Rachel", "Ralph", "Laura", "Katherine", "Jeremy", "Heather"};
    private static final String[] LAST = {"Kennedy", "Kelly", "Moreno", "Turner", "Gonzales", "Lopez", "Hamilton", "Rose"};

    private static String person(int id) {
        return id + ",'" + FIRST[id % FIRST.length] + "','" + LAST[(id / 3) % LAST.length] + "','p" + id + "@example.org','"
                + (id % 2 == 0 ? "Female" : "Male") + "','10.0." + id + "." + (id * 7 % 250) + "','"
                + String.format("2016-%02d-%02d %02d:%02d:%02d", id % 12 + 1, id % 27 + 1, id % 24, id * 7 % 60, id * 13 % 60) + "'";
    }

    // ---- test_snapshot.py: BaseSimpleSnapshot and BaseSnapshotCheck -------------------------------------------

    private static String seedCsv() {
        StringBuilder sb = new StringBuilder("id,first_name,last_name,email,gender,ip_address,updated_at\n");
        for (int id = 1; id <= 30; id++) sb.append(person(id).replace("'", "")).append('\n');
        return sb.toString();
    }

    private static final String TIMESTAMP_SNAPSHOT = """
            {% snapshot snapshot %}
                {{ config(
                    target_database=database,
                    target_schema=schema,
                    unique_key='id',
                    strategy='timestamp',
                    updated_at='updated_at',
                    invalidate_hard_deletes=True,
                ) }}
                select * from {{ ref('fact') }}
            {% endsnapshot %}
            """;

    private static final String CHECK_SNAPSHOT = """
            {% snapshot snapshot %}
                {{ config(
                    target_database=database,
                    target_schema=schema,
                    unique_key='id',
                    strategy='check',
                    check_cols=['email'],
                ) }}
                select * from {{ ref('fact') }}
            {% endsnapshot %}
            """;

    /** BaseSimpleSnapshotBase: the seed loaded, fact made from its first 20 rows by SQL, and a first snapshot. */
    private CliHarness simple(String snapshot) {
        CliHarness p = project("test", files(
                "seeds/seed.csv", seedCsv(),
                "models/fact.sql", "{{ config(materialized='table') }}\nselect * from {{ ref('seed') }}\nwhere id between 1 and 20\n",
                "snapshots/snapshot.sql", snapshot));
        expect(0, p, "seed");
        execute(p, "create table " + S + ".fact as select * from " + S + ".seed where id between 1 and 20");
        expect(0, p, "snapshot");
        assertEquals(Map.of("snapshot", "success"), results(p));
        return p;
    }

    /** BaseSimpleSnapshotBase._assert_results: each (id, current) pair of the snapshot is one of those expected. */
    private static void assertResults(CliHarness p, IntStream current, IntStream closed) {
        Set<List<Object>> expected = new HashSet<>();
        current.forEach(i -> expected.add(List.of((long) i, true)));
        closed.forEach(i -> expected.add(List.of((long) i, false)));
        Set<List<Object>> actual = p.query("select id, dbt_valid_to is null as is_current from " + S + ".snapshot").stream()
                .map(r -> List.<Object>of(((Number) r.get("id")).longValue(), r.get("is_current"))).collect(Collectors.toSet());
        // dbt checks each record is expected; here also that each expected pair is there, which is stricter.
        assertEquals(expected, actual);
    }

    private static IntStream ids(int from, int to) {
        return IntStream.rangeClosed(from, to);
    }

    /** test_updates_are_captured_by_snapshot. */
    @Test
    void updatesAreCaptured() {
        CliHarness p = simple(TIMESTAMP_SNAPSHOT);
        execute(p, "update " + S + ".fact set updated_at = updated_at + interval '1 day' where id between 16 and 20");
        expect(0, p, "snapshot");
        assertResults(p, ids(1, 20), ids(16, 20));
        // The new versions start at the new updated_at; the old ones end there.
        assertEquals(0L, ((Number) p.scalar("select count(*) from " + S + ".snapshot old join " + S + ".snapshot cur on old.id = cur.id "
                + "and old.dbt_valid_to is not null and cur.dbt_valid_to is null where old.dbt_valid_to <> cur.dbt_valid_from "
                + "or cur.dbt_valid_from <> cur.updated_at")).longValue());
    }

    /** test_inserts_are_captured_by_snapshot. */
    @Test
    void insertsAreCaptured() {
        CliHarness p = simple(TIMESTAMP_SNAPSHOT);
        execute(p, "insert into " + S + ".fact select * from " + S + ".seed where id between 21 and 30");
        expect(0, p, "snapshot");
        assertResults(p, ids(1, 30), IntStream.empty());
    }

    /** test_deletes_are_captured_by_snapshot (invalidate_hard_deletes). */
    @Test
    void deletesAreCaptured() {
        CliHarness p = simple(TIMESTAMP_SNAPSHOT);
        execute(p, "delete from " + S + ".fact where id between 16 and 20");
        expect(0, p, "snapshot");
        assertResults(p, ids(1, 15), ids(16, 20));
    }

    /** test_revives_are_captured_by_snapshot. */
    @Test
    void revivesAreCaptured() {
        CliHarness p = simple(TIMESTAMP_SNAPSHOT);
        execute(p, "delete from " + S + ".fact where id between 16 and 20");
        expect(0, p, "snapshot");
        execute(p, "insert into " + S + ".fact select * from " + S + ".seed where id between 16 and 18");
        expect(0, p, "snapshot");
        assertResults(p, ids(1, 18), ids(16, 20));
    }

    /** test_new_column_captured_by_snapshot. */
    @Test
    void newColumnIsCaptured() {
        CliHarness p = simple(TIMESTAMP_SNAPSHOT);
        execute(p, "alter table " + S + ".fact add column full_name varchar(200) default null");
        execute(p, "update " + S + ".fact set full_name = first_name || ' ' || last_name, updated_at = updated_at + interval '1 day' "
                + "where id between 11 and 20");
        expect(0, p, "snapshot");
        assertResults(p, ids(1, 20), ids(11, 20));
        assertEquals(10L, ((Number) p.scalar("select count(*) from " + S + ".snapshot where full_name is not null")).longValue());
    }

    /** BaseSnapshotCheck.test_column_selection_is_reflected_in_snapshot: only check_cols changes make versions. */
    @Test
    void checkColumnSelection() {
        CliHarness p = simple(CHECK_SNAPSHOT);
        execute(p, "update " + S + ".fact set last_name = left(last_name, 3) where id between 1 and 10");
        execute(p, "update " + S + ".fact set email = left(email, 3) where id between 6 and 15");
        expect(0, p, "snapshot");
        assertResults(p, ids(1, 20), ids(6, 15));
    }

    // ---- test_various_configs.py ----------------------------------------------------------------------------

    private static final String COLUMNS = "id, first_name, last_name, email, gender, ip_address, updated_at";

    /** A key expression as dbt's fixture writes it (id || '-' || first_name), with the cast DuckDB needs. */
    private static final String KEY_SQL = "cast(id as varchar) || '-' || first_name";

    private static final String SNAPSHOT_ACTUAL = """
            {% snapshot snapshot_actual %}
                {{ config(unique_key="cast(id as varchar) || '-' || first_name") }}
                select * from {{ target.schema }}.seed
            {% endsnapshot %}
            """;

    private static final String META_NAMES = """
                  snapshot_meta_column_names:
                      dbt_valid_to: TEST_VALID_TO
                      dbt_valid_from: test_valid_from
                      dbt_scd_id: test_scd_id
                      dbt_updated_at: test_updated_at
            """;

    private static final String SNAPSHOTS_YML = """
            snapshots:
              - name: snapshot_actual
                config:
                  strategy: timestamp
                  updated_at: updated_at
            """;

    /** create_seed_sql, create_snapshot_expected_sql and seed_insert_sql: 20 people, two of them sharing an email. */
    private static void createSeedAndExpected(CliHarness p) {
        execute(p, "create schema if not exists " + S);
        execute(p, "create table " + S + ".seed (id integer, first_name varchar(50), last_name varchar(50), email varchar(50), "
                + "gender varchar(50), ip_address varchar(20), updated_at timestamp)");
        execute(p, "create table " + S + ".snapshot_expected (id integer, first_name varchar(50), last_name varchar(50), "
                + "email varchar(50), gender varchar(50), ip_address varchar(20), updated_at timestamp, test_valid_from timestamp, "
                + "TEST_VALID_TO timestamp, test_scd_id text, test_updated_at timestamp)");
        execute(p, "insert into " + S + ".seed (" + COLUMNS + ") values "
                + ids(1, 20).mapToObj(i -> "(" + person(i) + ")").collect(Collectors.joining(", ")));
        execute(p, "update " + S + ".seed set email = 'shared@example.org' where id in (1, 2)");
    }

    /** populate_snapshot_expected_sql (and update_sql for ids 10 to 20): the versions dbt writes, by hand. */
    private static void expectCurrentVersions(CliHarness p, String validTo, String where) {
        execute(p, "insert into " + S + ".snapshot_expected (" + COLUMNS + ", test_valid_from, TEST_VALID_TO, test_updated_at, "
                + "test_scd_id) select " + COLUMNS + ", updated_at, " + validTo + ", updated_at, md5(" + KEY_SQL
                + " || '|' || cast(updated_at as varchar)) from " + S + ".seed where " + where);
    }

    /** invalidate_sql: ids 10 to 20 change (updated_at an hour later, email), closing their versions at that time. */
    private static void changeTenToTwenty(CliHarness p) {
        execute(p, "update " + S + ".seed set updated_at = updated_at + interval '1 hour', email = case when id = 20 then "
                + "'pfoxj@creativecommons.org' else 'new_' || email end where id >= 10 and id <= 20");
        execute(p, "update " + S + ".snapshot_expected set TEST_VALID_TO = updated_at + interval '1 hour' where id >= 10 and id <= 20");
    }

    private void columnNames(CliHarness p) {
        createSeedAndExpected(p);
        expectCurrentVersions(p, "cast(null as timestamp)", "1 = 1");
        expect(0, p, "snapshot");
        assertEquals(Map.of("snapshot_actual", "success"), results(p));
        changeTenToTwenty(p);
        expectCurrentVersions(p, "cast(null as timestamp)", "id >= 10 and id <= 20");
        expect(0, p, "snapshot");
        relationsEqual(p, "snapshot_actual", "snapshot_expected");
        // ref_snapshot reads it as a model would.
        expect(0, p, "run");
        assertEquals(31L, p.count(S + ".ref_snapshot"));
    }

    /** BaseSnapshotColumnNames: snapshot_meta_column_names in the YAML properties of a snapshot block. */
    @Test
    void snapshotColumnNames() {
        columnNames(project("test", files("snapshots/snapshot.sql", SNAPSHOT_ACTUAL,
                "models/snapshots.yml", SNAPSHOTS_YML + META_NAMES,
                "models/ref_snapshot.sql", "select * from {{ ref('snapshot_actual') }}\n")));
    }

    private static final String META_NAMES_IN_PROJECT = """
            snapshots:
              test:
                +snapshot_meta_column_names:
                  dbt_valid_to: test_valid_to
                  dbt_valid_from: test_valid_from
                  dbt_scd_id: test_scd_id
                  dbt_updated_at: test_updated_at
            """;

    private CliHarness namesFromProject() {
        return project("test", META_NAMES_IN_PROJECT, files("snapshots/snapshot.sql", SNAPSHOT_ACTUAL,
                "models/snapshots.yml", SNAPSHOTS_YML,
                "models/ref_snapshot.sql", "select * from {{ ref('snapshot_actual') }}\n"));
    }

    /** BaseSnapshotColumnNamesFromDbtProject: the same names set in dbt_project.yml. */
    @Test
    void snapshotColumnNamesFromProject() {
        columnNames(namesFromProject());
    }

    /** BaseSnapshotInvalidColumnNames: the table's meta columns no longer match the config: the snapshot errors. */
    @Test
    void snapshotInvalidColumnNames() {
        CliHarness p = namesFromProject();
        createSeedAndExpected(p);
        expect(0, p, "snapshot");
        assertTrue(json(p, "target/manifest.json").path("nodes").path("snapshot.test.snapshot_actual").path("config")
                .path("snapshot_meta_column_names").path("dbt_scd_id").asText().equals("test_scd_id"));
        changeTenToTwenty(p);
        p.write("dbt_project.yml", p.read("dbt_project.yml").replace(META_NAMES_IN_PROJECT, """
                snapshots:
                  test:
                    +snapshot_meta_column_names:
                      dbt_valid_to: test_valid_to
                      dbt_updated_at: test_updated_at
                """));
        CliHarness.Result r = p.run("snapshot");
        assertNotEquals(0, r.exitCode(), r.all());
        assertTrue(r.all().contains("Snapshot target is missing configured columns") && r.all().contains("snapshot_actual"), r.all());
        // The table is left as it was.
        assertEquals(20L, p.count(S + ".snapshot_actual"));
    }

    /** BaseSnapshotDbtValidToCurrent: current versions carry dbt_valid_to_current instead of null. */
    @Test
    void validToCurrent() {
        String current = "cast('2099-12-31' as date)";
        CliHarness p = project("test", files("snapshots/snapshot.sql", SNAPSHOT_ACTUAL,
                "models/snapshots.yml", SNAPSHOTS_YML + "      dbt_valid_to_current: \"" + current + "\"\n" + META_NAMES,
                "models/ref_snapshot.sql", "select * from {{ ref('snapshot_actual') }}\n"));
        createSeedAndExpected(p);
        expectCurrentVersions(p, "cast(" + current + " as timestamp)", "1 = 1");
        expect(0, p, "snapshot");
        LocalDateTime farFuture = LocalDateTime.of(2099, 12, 31, 0, 0);
        assertEquals(List.of(farFuture), validTos(p, 1));
        LocalDateTime tenUpdated = LocalDateTime.parse(p.scalar("select cast(updated_at as varchar) from " + S + ".seed where id = 10")
                .toString().replace(' ', 'T'));
        changeTenToTwenty(p);
        expectCurrentVersions(p, "cast(" + current + " as timestamp)", "id >= 10 and id <= 20");
        expect(0, p, "snapshot");
        assertEquals(List.of(farFuture), validTos(p, 1));
        // The old version of row 10 now ends an hour after its updated_at; its new version is current.
        assertEquals(List.of(tenUpdated.plusHours(1), farFuture), validTos(p, 10));
        relationsEqual(p, "snapshot_actual", "snapshot_expected");
    }

    private static List<LocalDateTime> validTos(CliHarness p, int id) {
        return p.query("select cast(test_valid_to as varchar) as v from " + S + ".snapshot_actual where id = " + id + " order by test_valid_to")
                .stream().map(r -> LocalDateTime.parse(r.get("v").toString().replace(' ', 'T'))).toList();
    }

    /** BaseSnapshotMultiUniqueKey: a YAML-only snapshot (relation: ref(...)) with a two-column unique_key. */
    @Test
    void multiColumnUniqueKey() {
        CliHarness p = project("test", files(
                "models/seed.sql", "select * from {{ target.schema }}.seed\n",
                "models/snapshots.yml", """
                        snapshots:
                          - name: snapshot_actual
                            relation: "ref('seed')"
                            config:
                              strategy: timestamp
                              updated_at: updated_at
                              unique_key:
                                - id1
                                - id2
                        """ + META_NAMES,
                "models/ref_snapshot.sql", "select * from {{ ref('snapshot_actual') }}\n"));
        String cols = "id1, id2, first_name, last_name, email, gender, ip_address, updated_at";
        execute(p, "create schema if not exists " + S);
        execute(p, "create table " + S + ".seed (id1 integer, id2 integer, first_name varchar(50), last_name varchar(50), "
                + "email varchar(50), gender varchar(50), ip_address varchar(20), updated_at timestamp)");
        execute(p, "create table " + S + ".snapshot_expected (id1 integer, id2 integer, first_name varchar(50), last_name varchar(50), "
                + "email varchar(50), gender varchar(50), ip_address varchar(20), updated_at timestamp, test_valid_from timestamp, "
                + "TEST_VALID_TO timestamp, test_scd_id text, test_updated_at timestamp)");
        execute(p, "insert into " + S + ".seed values " + ids(1, 20).mapToObj(i -> "(" + i + ", " + i * 100 + ", "
                + person(i).substring(person(i).indexOf(',') + 1) + ")").collect(Collectors.joining(", ")));
        String expectedVersion = "select " + cols + ", updated_at, %s, updated_at, md5(cast(id1 as varchar) || '|' || "
                + "cast(id2 as varchar) || '|' || cast(updated_at as varchar)) from " + S + ".seed where %s";
        String into = "insert into " + S + ".snapshot_expected (" + cols + ", test_valid_from, TEST_VALID_TO, test_updated_at, test_scd_id) ";
        execute(p, into + expectedVersion.formatted("cast(null as timestamp)", "1 = 1"));
        // As in dbt's test the model seed is never built: ref('seed') names the table made above.
        expect(0, p, "snapshot");
        assertEquals(Map.of("snapshot_actual", "success"), results(p));
        execute(p, "update " + S + ".seed set updated_at = updated_at + interval '1 hour', email = case when id1 = 20 then "
                + "'pfoxj@creativecommons.org' else 'new_' || email end where id1 >= 10 and id1 <= 20");
        execute(p, "update " + S + ".snapshot_expected set TEST_VALID_TO = updated_at + interval '1 hour' where id1 >= 10 and id1 <= 20");
        execute(p, into + expectedVersion.formatted("cast(null as timestamp)", "id1 >= 10 and id1 <= 20"));
        expect(0, p, "snapshot");
        relationsEqual(p, "snapshot_actual", "snapshot_expected");
    }

    // ---- test_ephemeral_snapshot_hard_deletes.py, check_cols: all, and what is not supported ----------------

    private CliHarness customers(String snapshotConfig) {
        CliHarness p = project("test", files(
                "models/_sources.yml", """
                        version: 2
                        sources:
                          - name: test_source
                            schema: "{{ target.schema }}"
                            tables:
                              - name: src_customers
                        """,
                "models/ephemeral_customers.sql", "{{ config(materialized='ephemeral') }}\nselect * from {{ source('test_source', 'src_customers') }}\n",
                "models/snapshots.yml", """
                        snapshots:
                          - name: snapshot_customers
                            relation: ref('ephemeral_customers')
                            config:
                              unique_key: id
                        """ + snapshotConfig,
                "models/ref_snapshot.sql", "select * from {{ ref('snapshot_customers') }}\n"));
        execute(p, "create schema if not exists " + S);
        execute(p, "create table " + S + ".src_customers (id integer, first_name varchar(50), last_name varchar(50), "
                + "email varchar(50), updated_at timestamp)");
        execute(p, "insert into " + S + ".src_customers values (1, 'John', 'Doe', 'john.doe@example.com', '2023-01-01 10:00:00'), "
                + "(2, 'Jane', 'Smith', 'jane.smith@example.com', '2023-01-02 11:00:00'), "
                + "(3, 'Bob', 'Johnson', 'bob.johnson@example.com', '2023-01-03 12:00:00')");
        return p;
    }

    /**
     * An ephemeral model as the snapshot's relation, check_cols: all and hard_deletes: invalidate: a new column in
     * the source makes a new version of every row (its value changed from nothing), a deleted row is closed.
     */
    @Test
    void checkAllOnEphemeralWithHardDeletes() {
        CliHarness p = customers("      strategy: check\n      check_cols: all\n      hard_deletes: invalidate\n");
        expect(0, p, "snapshot");
        assertEquals(3L, p.count(S + ".snapshot_customers"));
        expect(0, p, "snapshot");
        assertEquals(3L, p.count(S + ".snapshot_customers"), "nothing changed, nothing added");
        execute(p, "alter table " + S + ".src_customers add column dummy_column varchar(50) default 'dummy_value'");
        execute(p, "delete from " + S + ".src_customers where id = 3");
        expect(0, p, "snapshot");
        assertEquals(List.of(Map.of("id", 1L, "versions", 2L, "current", 1L), Map.of("id", 2L, "versions", 2L, "current", 1L),
                Map.of("id", 3L, "versions", 1L, "current", 0L)), p.query("select cast(id as bigint) as id, count(*) as versions, "
                + "sum(case when dbt_valid_to is null then 1 else 0 end) as current from " + S + ".snapshot_customers group by id order by id")
                .stream().map(r -> Map.of("id", ((Number) r.get("id")).longValue(), "versions", ((Number) r.get("versions")).longValue(),
                        "current", ((Number) r.get("current")).longValue())).toList());
        assertEquals("dummy_value", p.scalar("select dummy_column from " + S + ".snapshot_customers where id = 1 and dbt_valid_to is null"));
        expect(0, p, "run");
        assertEquals(5L, p.count(S + ".ref_snapshot"));
    }

    // ---- new_record_timestamp_mode.py, new_record_check_mode.py, new_record_dbt_valid_to_current.py -----------

    /** A snapshot_actual on the seed of createSeedAndExpected with hard_deletes: new_record and the given strategy. */
    private CliHarness newRecordProject(String strategy) {
        CliHarness p = project("test", files(
                "snapshots/snapshot.sql", SNAPSHOT_ACTUAL,
                "models/snapshots.yml", "snapshots:\n  - name: snapshot_actual\n    config:\n" + strategy
                        + "      hard_deletes: new_record\n",
                "models/ref_snapshot.sql", "select * from {{ ref('snapshot_actual') }}\n"));
        createSeedAndExpected(p);
        execute(p, "drop table " + S + ".snapshot_expected");
        execute(p, "create table " + S + ".snapshot_expected (id integer, first_name varchar(50), last_name varchar(50), "
                + "email varchar(50), gender varchar(50), ip_address varchar(20), updated_at timestamp, dbt_scd_id text, "
                + "dbt_updated_at timestamp, dbt_valid_from timestamp, dbt_valid_to timestamp, dbt_is_deleted text)");
        expectNewRecordVersions(p, "1 = 1");
        return p;
    }

    /** Current versions of the seed's rows as the timestamp strategy writes them, not deleted. */
    private static void expectNewRecordVersions(CliHarness p, String where) {
        execute(p, "insert into " + S + ".snapshot_expected select " + COLUMNS + ", md5(" + KEY_SQL + " || '|' || cast(updated_at as "
                + "varchar)), updated_at, updated_at, cast(null as timestamp), 'False' from " + S + ".seed where " + where);
    }

    /** (valid_from, valid_to, is_deleted) of each version of row id, oldest first. */
    private static List<List<Object>> versionsOf(CliHarness p, int id) {
        return p.query("select cast(dbt_valid_from as varchar) as f, cast(dbt_valid_to as varchar) as t, dbt_is_deleted as d from "
                + S + ".snapshot_actual where id = " + id + " order by dbt_valid_from, dbt_valid_to nulls last").stream()
                .map(r -> java.util.Arrays.asList(r.get("f"), r.get("t"), r.get("d"))).toList();
    }

    /**
     * BaseSnapshotNewRecordTimestampMode / BaseSnapshotNewRecordCheckMode: changes as in the other modes, then a
     * deleted row gets a current version marked deleted (once, however often the snapshot runs), a row that comes
     * back closes it and opens a version of its own, and deleting it again records a second deletion.
     */
    private void newRecordMode(String strategy, boolean timestamp) {
        CliHarness p = newRecordProject(strategy);
        expect(0, p, "snapshot");
        assertEquals(Map.of("snapshot_actual", "success"), results(p));
        assertEquals(List.of("id", "first_name", "last_name", "email", "gender", "ip_address", "updated_at", "dbt_scd_id",
                "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted"), columns(p, "snapshot_actual"));
        // invalidate_sql and update_sql: ids 10 to 20 change an hour later; their versions close then, new ones open.
        execute(p, "update " + S + ".seed set updated_at = updated_at + interval '1 hour', email = 'new_' || email "
                + "where id >= 10 and id <= 20");
        execute(p, "update " + S + ".snapshot_expected set dbt_valid_to = updated_at + interval '1 hour' where id >= 10 and id <= 20");
        expectNewRecordVersions(p, "id >= 10 and id <= 20");
        expect(0, p, "snapshot");
        if (timestamp) relationsEqual(p, "snapshot_actual", "snapshot_expected");
        assertEquals(31L, p.count(S + ".snapshot_actual"));
        assertEquals(20L, ((Number) p.scalar("select count(*) from " + S + ".snapshot_actual where dbt_valid_to is null "
                + "and dbt_is_deleted = 'False'")).longValue());

        execute(p, "delete from " + S + ".seed where id = 1");
        expect(0, p, "snapshot");
        List<Map<String, Object>> one = p.query("select dbt_valid_to, dbt_scd_id, dbt_is_deleted from " + S + ".snapshot_actual where id = 1");
        assertEquals(2, one.size(), one.toString());
        assertEquals(1, one.stream().filter(r -> r.get("dbt_valid_to") == null && r.get("dbt_scd_id") != null
                && "True".equals(r.get("dbt_is_deleted"))).count(), one.toString());
        assertEquals(1, one.stream().filter(r -> r.get("dbt_valid_to") != null && r.get("dbt_scd_id") != null
                && "False".equals(r.get("dbt_is_deleted"))).count(), one.toString());
        assertNotEquals(one.get(0).get("dbt_scd_id"), one.get(1).get("dbt_scd_id"));
        // The deletion record starts when the version it follows ends.
        List<List<Object>> v = versionsOf(p, 1);
        assertEquals(v.get(0).get(1), v.get(1).get(0), v.toString());
        assertEquals("False", v.get(0).get(2));

        expect(0, p, "snapshot");
        assertEquals(2L, p.count(S + ".snapshot_actual where id = 1"), "a deleted row is recorded once");
        assertEquals(32L, p.count(S + ".snapshot_actual"));

        // reinsert_sql: the same person (the same key) back, updated far in the future.
        execute(p, "insert into " + S + ".seed (" + COLUMNS + ") values (" + person(1).substring(0, person(1).lastIndexOf(",'"))
                + ", '2200-01-01 12:00:00')");
        expect(0, p, "snapshot");
        v = versionsOf(p, 1);
        assertEquals(3, v.size(), v.toString());
        assertEquals(java.util.Arrays.asList("True", "False"), List.of(v.get(1).get(2), v.get(2).get(2)), v.toString());
        assertEquals(null, v.get(2).get(1), "the row that came back is current");
        assertEquals(v.get(1).get(1), v.get(2).get(0), "the deletion record ends when the new version starts");
        if (timestamp) assertTrue(v.get(2).get(0).toString().startsWith("2200-01-01 12:00:00"), v.toString());

        execute(p, "delete from " + S + ".seed where id = 1");
        expect(0, p, "snapshot");
        assertEquals(4L, p.count(S + ".snapshot_actual where id = 1"));
        expect(0, p, "snapshot");
        assertEquals(4L, p.count(S + ".snapshot_actual where id = 1"));
        assertEquals(1L, p.count(S + ".snapshot_actual where id = 1 and dbt_valid_to is null and dbt_is_deleted = 'True'"));
        // Rows never deleted are untouched by all of it: one current version each, marked not deleted.
        assertEquals(19L, ((Number) p.scalar("select count(*) from " + S + ".snapshot_actual where id <> 1 and dbt_valid_to is null "
                + "and dbt_is_deleted = 'False'")).longValue());
        expect(0, p, "run");
        assertEquals(34L, p.count(S + ".ref_snapshot"));
    }

    @Test
    void newRecordTimestampMode() {
        newRecordMode("      strategy: timestamp\n      updated_at: updated_at\n", true);
    }

    @Test
    void newRecordCheckMode() {
        newRecordMode("      strategy: check\n      check_cols: all\n", false);
    }

    /** BaseSnapshotNewRecordDbtValidToCurrent: with dbt_valid_to_current, a deletion is recorded once too. */
    @Test
    void newRecordWithValidToCurrent() {
        CliHarness p = project("test", files(
                "snapshots/snapshot.sql", "{% snapshot snapshot_actual %}\nselect * from {{ target.schema }}.seed\n{% endsnapshot %}\n",
                "models/snapshots.yml", """
                        snapshots:
                          - name: snapshot_actual
                            config:
                              unique_key: id
                              strategy: check
                              check_cols: all
                              hard_deletes: new_record
                              dbt_valid_to_current: "cast('9999-12-31' as date)"
                        """));
        execute(p, "create schema if not exists " + S);
        execute(p, "create table " + S + ".seed (id integer, first_name varchar(50))");
        execute(p, "insert into " + S + ".seed values (1, 'Ada'), (2, 'Brian')");
        expect(0, p, "snapshot");
        execute(p, "delete from " + S + ".seed where id = 1");
        expect(0, p, "snapshot");
        expect(0, p, "snapshot");
        assertEquals(1L, p.count(S + ".snapshot_actual where id = 1 and dbt_is_deleted = 'True'"));
        assertEquals(1L, p.count(S + ".snapshot_actual where id = 1 and dbt_is_deleted = 'True' "
                + "and dbt_valid_to = cast('9999-12-31' as timestamp)"), "the deletion record is the current version");
        assertEquals(1L, p.count(S + ".snapshot_actual where id = 1 and dbt_is_deleted = 'False' "
                + "and dbt_valid_to < cast('9999-12-31' as timestamp)"));
        assertEquals(1L, p.count(S + ".snapshot_actual where id = 2"));
    }

    /** snapshot_meta_column_names renames dbt_is_deleted too (dbt 1.9). */
    @Test
    void newRecordWithRenamedDeletedColumn() {
        CliHarness p = customers("      strategy: check\n      check_cols: all\n      hard_deletes: new_record\n"
                + "      snapshot_meta_column_names:\n        dbt_is_deleted: gone\n        dbt_valid_to: until\n");
        expect(0, p, "snapshot");
        execute(p, "delete from " + S + ".src_customers where id = 2");
        expect(0, p, "snapshot");
        assertTrue(columns(p, "snapshot_customers").containsAll(List.of("gone", "until")), columns(p, "snapshot_customers").toString());
        assertTrue(!columns(p, "snapshot_customers").contains("dbt_is_deleted"));
        assertEquals(1L, p.count(S + ".snapshot_customers where id = 2 and gone = 'True' and until is null"));
        assertEquals(1L, p.count(S + ".snapshot_customers where id = 2 and gone = 'False' and until is not null"));
        assertEquals(2L, p.count(S + ".snapshot_customers where id <> 2 and gone = 'False' and until is null"));
    }

    /** A snapshot built before hard_deletes became new_record gets dbt_is_deleted (null in its old rows), as in dbt. */
    @Test
    void newRecordOnAnOlderSnapshotAddsTheColumn() {
        CliHarness p = customers("      strategy: timestamp\n      updated_at: updated_at\n");
        expect(0, p, "snapshot");
        p.write("models/snapshots.yml", p.read("models/snapshots.yml") + "      hard_deletes: new_record\n");
        execute(p, "delete from " + S + ".src_customers where id = 3");
        expect(0, p, "snapshot");
        assertTrue(columns(p, "snapshot_customers").contains("dbt_is_deleted"));
        assertEquals(4L, p.count(S + ".snapshot_customers"));
        assertEquals(2L, p.count(S + ".snapshot_customers where dbt_is_deleted is null and dbt_valid_to is null"));
        assertEquals(1L, p.count(S + ".snapshot_customers where id = 3 and dbt_is_deleted = 'True' and dbt_valid_to is null"));
        assertEquals(1L, p.count(S + ".snapshot_customers where id = 3 and dbt_is_deleted is null and dbt_valid_to is not null"));
    }

    /** A hard_deletes value dbt does not know is an error naming it. */
    @Test
    void unknownHardDeletesIsAnError() {
        CliHarness p = customers("      strategy: timestamp\n      updated_at: updated_at\n      hard_deletes: archive\n");
        CliHarness.Result r = p.run("snapshot");
        assertNotEquals(0, r.exitCode(), r.all());
        assertTrue(r.all().contains("hard_deletes is 'archive'") && r.all().contains("snapshot_customers"), r.all());
        assertEquals(null, p.relationType(S, "snapshot_customers"));
    }

    /** snapshot --empty: the table is made with its columns and meta columns, without rows. */
    @Test
    void snapshotWithEmpty() {
        CliHarness p = customers("      strategy: timestamp\n      updated_at: updated_at\n");
        expect(0, p, "snapshot", "--empty");
        assertEquals(0L, p.count(S + ".snapshot_customers"));
        assertEquals(List.of("id", "first_name", "last_name", "email", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from",
                "dbt_valid_to"), columns(p, "snapshot_customers"));
        expect(0, p, "snapshot");
        assertEquals(3L, p.count(S + ".snapshot_customers"));
    }
}
