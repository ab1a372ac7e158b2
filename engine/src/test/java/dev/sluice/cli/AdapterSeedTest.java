package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's `simple_seed` suite (tests/adapter/simple_seed/test_seed.py and test_seed_type_override.py)
 * ported. dbt's fixtures are 500 rows of people; here the rows are generated, and the expected table is written
 * with plain SQL from the same rows (not through the engine), as dbt's seeds__expected_sql is.
 */
class AdapterSeedTest extends AdapterSuite {

    private static final String[] NAMES = {"Larry", "Anna", "Sandra", "Fred", "Zoë", "O'Brien", "Jessica", "Douglas"};
    private static final int ROWS = 500;
    /** Row whose first_name is missing: an empty field is a null, as in dbt's fixture (row 499). */
    private static final int NULL_NAME = 499;

    private static String firstName(int i) {
        return i == NULL_NAME ? null : NAMES[i % NAMES.length];
    }

    private static String email(int i) {
        return "p" + i + "@example.org";
    }

    private static String ip(int i) {
        return (i % 250 + 1) + "." + (i * 7 % 256) + "." + (i * 13 % 256) + "." + (i * 31 % 256);
    }

    private static String birthday(int i) {
        return String.format("%04d-%02d-%02d %02d:%02d:%02d", 1970 + i % 47, i % 12 + 1, i % 28 + 1, i % 24, i * 7 % 60, i * 11 % 60);
    }

    /** The people seed, fields separated by sep. */
    private static String peopleCsv(String sep) {
        StringBuilder sb = new StringBuilder(String.join(sep, "seed_id", "first_name", "email", "ip_address", "birthday")).append('\n');
        for (int i = 1; i <= ROWS; i++) {
            String name = firstName(i);
            // A comma-separated file quotes the name with an apostrophe in it, to exercise quoting too.
            String field = name == null ? "" : sep.equals(",") && name.contains("'") ? "\"" + name + "\"" : name;
            sb.append(String.join(sep, String.valueOf(i), field, email(i), ip(i), birthday(i))).append('\n');
        }
        return sb.toString();
    }

    /** dbt's seeds__expected_sql: the same rows, typed by hand. */
    private static void createExpected(CliHarness p) {
        execute(p, "create schema if not exists " + S);
        execute(p, "create table " + S + ".seed_expected (seed_id integer, first_name text, email text, ip_address text, "
                + "birthday timestamp)");
        String values = IntStream.rangeClosed(1, ROWS).mapToObj(i -> "(" + i + ", "
                + (firstName(i) == null ? "null" : "'" + firstName(i).replace("'", "''") + "'") + ", '" + email(i) + "', '"
                + ip(i) + "', timestamp '" + birthday(i) + "')").collect(Collectors.joining(",\n"));
        execute(p, "insert into " + S + ".seed_expected values " + values);
    }

    private static final String SEEDS_UNQUOTED = "seeds:\n  +quote_columns: false\n";

    /** SeedTestBase: seed_actual and a view on it. */
    private CliHarness basic(String projectYml) {
        CliHarness p = project("test", projectYml, files(
                "seeds/seed_actual.csv", peopleCsv(","),
                "models/models__downstream_from_seed_actual.sql", "select * from {{ ref('seed_actual') }}\n"));
        createExpected(p);
        return p;
    }

    /** SeedTestBase._build_relations_for_test. */
    private void buildRelations(CliHarness p) {
        expect(0, p, "seed");
        assertEquals(Map.of("seed_actual", "success"), results(p));
        relationsEqual(p, "seed_expected", "seed_actual");
        expect(0, p, "run");
        assertEquals(Map.of("models__downstream_from_seed_actual", "success"), results(p));
        relationsEqual(p, "models__downstream_from_seed_actual", "seed_expected");
    }

    /** SeedTestBase._check_relation_end_state. */
    private void endState(CliHarness p, boolean downstreamExists) {
        assertEquals(Map.of("seed_actual", "success"), results(p));
        relationsEqual(p, "seed_actual", "seed_expected");
        assertEquals(downstreamExists ? "view" : null, p.relationType(S, "models__downstream_from_seed_actual"));
    }

    /** BaseBasicSeedTests.test_simple_seed: a second seed replaces the rows; the view on the seed survives. */
    @Test
    void simpleSeed() {
        CliHarness p = basic(SEEDS_UNQUOTED);
        buildRelations(p);
        // The engine skips a seed whose file and config did not change (its fingerprint); dbt reloads it always.
        expect(0, p, "seed");
        assertEquals(Map.of("seed_actual", "skipped"), results(p));
        // Loaded again when asked, the rows replace the old ones in place.
        execute(p, "delete from " + S + ".seed_actual where seed_id > 10");
        expect(0, p, "seed", "--no-skip-unchanged");
        endState(p, true);
    }

    /**
     * BaseBasicSeedTests.test_simple_seed_full_refresh_flag: --full-refresh replaces the seed's table. dbt-postgres
     * loses the view that reads it there (cascade); the engine re-creates it in the same transaction, so the view
     * is kept on both warehouses (DuckDB's views bind by name) and reads the new table.
     */
    @Test
    void fullRefreshFlag() {
        CliHarness p = basic(SEEDS_UNQUOTED);
        buildRelations(p);
        expect(0, p, "seed", "--full-refresh");
        endState(p, true);
        relationsEqual(p, "models__downstream_from_seed_actual", "seed_expected");
    }

    /** BaseSeedConfigFullRefreshOn: full_refresh: true in the config drops the table on every seed. */
    @Test
    void fullRefreshConfigOn() {
        CliHarness p = basic("seeds:\n  +quote_columns: false\n  +full_refresh: true\n");
        buildRelations(p);
        expect(0, p, "seed");
        endState(p, true);
        relationsEqual(p, "models__downstream_from_seed_actual", "seed_expected");
    }

    /** BaseSeedConfigFullRefreshOff: full_refresh: false in the config wins over the --full-refresh flag. */
    @Test
    void fullRefreshConfigOff() {
        CliHarness p = basic("seeds:\n  +quote_columns: false\n  +full_refresh: false\n");
        buildRelations(p);
        expect(0, p, "seed", "--no-skip-unchanged");
        endState(p, true);
        expect(0, p, "seed", "--full-refresh");
        endState(p, true);
    }

    /** BaseSeedCustomSchema: schema: custom_schema puts the seed in <target schema>_custom_schema. */
    @Test
    void customSchema() {
        CliHarness p = basic("seeds:\n  +quote_columns: false\n  +schema: custom_schema\n");
        for (List<String> args : List.of(List.of("seed"), List.of("seed", "--no-skip-unchanged"), List.of("seed", "--full-refresh"))) {
            expect(0, p, args.toArray(String[]::new));
            assertEquals(Map.of("seed_actual", "success"), results(p));
            relationsEqual(p, S + "_custom_schema.seed_actual", "seed_expected");
        }
        assertNull(p.relationType(S, "seed_actual"));
    }

    private CliHarness pipeSeparated(String delimiter) {
        CliHarness p = project("test", "seeds:\n  +quote_columns: false\n  +delimiter: \"" + delimiter + "\"\n", files(
                "seeds/seed_pipe_separated.csv", peopleCsv("|"),
                "models/models__downstream_from_seed_pipe_separated.sql", "select * from {{ ref('seed_pipe_separated') }}\n"));
        createExpected(p);
        return p;
    }

    /**
     * dbt types a column of whole numbers integer; one holding a value past 2^31 (which dbt could not load into an
     * integer) stays bigint, so no seed is refused for it. A column with no values is integer too (agate's type
     * tester keeps its first type, Integer; codegen's generate_source test expects it).
     */
    @Test
    void wholeNumbersAreIntegerUnlessTooLarge() {
        CliHarness p = project("test", files("seeds/nums.csv", "small,large,ratio,none\n1,3000000000,0.5,\n-7,2,1.25,\n"));
        expect(0, p, "seed");
        for (String[] c : new String[][]{{"small", "integer"}, {"large", "bigint"}, {"none", "integer"}}) {
            Object type = p.scalar("select lower(data_type) from information_schema.columns where table_name = 'nums' "
                    + "and column_name = '" + c[0] + "'");
            assertEquals(c[1], String.valueOf(type), c[0]);
        }
        assertEquals(3000000000L, ((Number) p.scalar("select large from " + S + ".nums where small = 1")).longValue());
    }

    /** BaseSeedWithUniqueDelimiter: delimiter: "|". */
    @Test
    void uniqueDelimiter() {
        CliHarness p = pipeSeparated("|");
        expect(0, p, "seed");
        relationsEqual(p, "seed_expected", "seed_pipe_separated");
        expect(0, p, "run");
        relationsEqual(p, "models__downstream_from_seed_pipe_separated", "seed_expected");
        expect(0, p, "seed", "--no-skip-unchanged");
        relationsEqual(p, "seed_pipe_separated", "seed_expected");
        assertEquals("view", p.relationType(S, "models__downstream_from_seed_pipe_separated"));
    }

    /**
     * BaseSeedWithWrongDelimiter: with ';' the header is one column named "seed_id|first_name|...", which cannot be
     * written unquoted. dbt fails in the warehouse with a syntax error; the engine says why, naming the file.
     */
    @Test
    void wrongDelimiter() {
        CliHarness p = pipeSeparated(";");
        CliHarness.Result r = p.run("seed");
        assertNotEquals(0, r.exitCode(), r.all());
        assertTrue(r.all().contains("seed_pipe_separated.csv") && r.all().contains("seed_id|first_name|email|ip_address|birthday"), r.all());
        assertTrue(r.all().contains("not a plain identifier"), r.all());
        assertNull(p.relationType(S, "seed_pipe_separated"));
    }

    /** BaseSeedWithEmptyDelimiter: an empty delimiter is a configuration error, not a crash. */
    @Test
    void emptyDelimiter() {
        CliHarness p = pipeSeparated("");
        CliHarness.Result r = p.run("seed");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("delimiter") && r.all().contains("seed_pipe_separated.csv"), r.all());
        assertNull(p.relationType(S, "seed_pipe_separated"));
    }

    private static String twentyPeople() {
        String all = peopleCsv(",");
        return all.lines().limit(21).collect(Collectors.joining("\n")) + "\n";
    }

    private static final String TRICKY = """
            seed_id,seed_id_str,a_bool,looks_like_a_bool,a_date,looks_like_a_date,relative,weekday
            1,1,true,true,2019-01-01 12:32:30,2019-01-01 12:32:30,tomorrow,Saturday
            2,2,True,True,2019-01-01 12:32:31,2019-01-01 12:32:31,today,Sunday
            3,3,TRUE,TRUE,2019-01-01 12:32:32,2019-01-01 12:32:32,yesterday,Monday
            4,4,false,false,2019-01-01 01:32:32,2019-01-01 01:32:32,tomorrow,Saturday
            5,5,False,False,2019-01-01 01:32:32,2019-01-01 01:32:32,today,Sunday
            6,6,FALSE,FALSE,2019-01-01 01:32:32,2019-01-01 01:32:32,yesterday,Monday
            """;

    private CliHarness enabledViaConfig() {
        return project("test", """
                seeds:
                  +quote_columns: false
                  test:
                    seed_enabled:
                      +enabled: true
                    seed_disabled:
                      +enabled: false
                """, files("seeds/seed_enabled.csv", twentyPeople(), "seeds/seed_disabled.csv", twentyPeople(),
                "seeds/seed_tricky.csv", TRICKY));
    }

    /** BaseSimpleSeedEnabledViaConfig.test_simple_seed_with_disabled. */
    @Test
    void disabledSeedIsNotLoaded() {
        CliHarness p = enabledViaConfig();
        expect(0, p, "seed");
        assertEquals(Map.of("seed_enabled", "success", "seed_tricky", "success"), results(p));
        assertEquals("table", p.relationType(S, "seed_enabled"));
        assertNull(p.relationType(S, "seed_disabled"));
        assertEquals("table", p.relationType(S, "seed_tricky"));
    }

    /** BaseSimpleSeedEnabledViaConfig.test_simple_seed_selection. */
    @Test
    void seedSelection() {
        CliHarness p = enabledViaConfig();
        expect(0, p, "seed", "--select", "seed_enabled");
        assertEquals(Map.of("seed_enabled", "success"), results(p));
        assertEquals("table", p.relationType(S, "seed_enabled"));
        assertNull(p.relationType(S, "seed_disabled"));
        assertNull(p.relationType(S, "seed_tricky"));
    }

    /** BaseSimpleSeedEnabledViaConfig.test_simple_seed_exclude. */
    @Test
    void seedExclude() {
        CliHarness p = enabledViaConfig();
        expect(0, p, "seed", "--exclude", "seed_enabled");
        assertEquals(Map.of("seed_tricky", "success"), results(p));
        assertNull(p.relationType(S, "seed_enabled"));
        assertNull(p.relationType(S, "seed_disabled"));
        assertEquals("table", p.relationType(S, "seed_tricky"));
    }

    /** BaseSeedParsing: run does not read seed files, so a malformed one does not stop it; seed fails on it. */
    @Test
    void runSkipsSeeds() {
        CliHarness p = project("test", SEEDS_UNQUOTED, files(
                "seeds/seed.csv", "a,b,c\n1,7,23,90,5\n2\n",
                "models/model.sql", "select * from {{ this.schema }}.seed_expected\n"));
        createExpected(p);
        expect(0, p, "run");
        assertEquals(Map.of("model", "success"), results(p));
        assertEquals((long) ROWS, p.count(S + ".model"));
        CliHarness.Result r = p.run("seed");
        assertNotEquals(0, r.exitCode(), r.all());
        assertTrue(r.all().contains("seed.csv"), r.all());
        assertNull(p.relationType(S, "seed"));
    }

    /** BaseSimpleSeedWithBOM: a UTF-8 byte order mark is not part of the first column's name. */
    @Test
    void byteOrderMark() throws Exception {
        CliHarness p = project("test", SEEDS_UNQUOTED, files());
        createExpected(p);
        Files.createDirectories(p.dir.resolve("seeds"));
        Files.write(p.dir.resolve("seeds/seed_bom.csv"), ("\uFEFF" + peopleCsv(",")).getBytes(StandardCharsets.UTF_8));
        expect(0, p, "seed");
        assertEquals(Map.of("seed_bom", "success"), results(p));
        // The file is left as it was.
        assertEquals((byte) 0xEF, Files.readAllBytes(p.dir.resolve("seeds/seed_bom.csv"))[0]);
        relationsEqual(p, "seed_expected", "seed_bom");
    }

    /** BaseSeedSpecificFormats: a 20,000-row seed, a seed with dots in its name, one with unicode text. */
    @Test
    void specificFormats() {
        String big = "seed_id\n" + IntStream.range(0, 20_000).mapToObj(String::valueOf).collect(Collectors.joining("\n")) + "\n";
        CliHarness p = project("test", SEEDS_UNQUOTED, files(
                "seeds/big_seed.csv", big,
                "seeds/seed.with.dots.csv", "seed_id\n1\n",
                "seeds/seed_unicode.csv", "seed_id\nUh – Oh\n"));
        expect(0, p, "seed");
        // (results() cuts unique ids at dots; the seed with dots in its name is checked by its table.)
        assertEquals(List.of("success", "success", "success"), List.copyOf(results(p).values()));
        assertEquals(3, json(p, "target/run_results.json").path("results").size());
        assertEquals(20_000L, p.count(S + ".big_seed"));
        assertEquals(199_990_000L, ((Number) p.scalar("select sum(seed_id) from " + S + ".big_seed")).longValue());
        assertEquals(1L, p.count(S + ".\"seed.with.dots\""));
        assertEquals("Uh – Oh", p.scalar("select seed_id from " + S + ".seed_unicode"));
    }

    /** BaseTestEmptySeed: a header without rows makes an empty table. */
    @Test
    void emptySeed() {
        CliHarness p = project("test", SEEDS_UNQUOTED, files("seeds/empty_with_header.csv", "a,b,c"));
        expect(0, p, "seed");
        assertEquals(Map.of("empty_with_header", "success"), results(p));
        assertEquals(0L, p.count(S + ".empty_with_header"));
        assertEquals(List.of("a", "b", "c"), columns(p, "empty_with_header"));
    }

    /** test_seed_type_override.py's column_type generic test, as dbt writes it. */
    private static final String COLUMN_TYPE_TEST = """
            {% test column_type(model, column_name, type) %}
                {% set cols = adapter.get_columns_in_relation(model) %}
                {% set col_types = {} %}
                {% for col in cols %}
                    {% do col_types.update({col.name: col.data_type}) %}
                {% endfor %}
                {% set validation_message = 'Got a column type of ' ~ col_types.get(column_name) ~ ', expected ' ~ type %}
                {% set val = 0 if col_types.get(column_name) == type else 1 %}
                {% if val == 1 and execute %}
                    {{ log(validation_message, info=True) }}
                {% endif %}
                select '{{ validation_message }}' as validation_error
                from (select true) as nothing
                where {{ val }} = 1
            {% endtest %}
            """;

    /**
     * BaseSimpleSeedColumnOverride: column_types per seed, under a project-level enabled: false; the types the
     * warehouse reports are checked by a generic test reading adapter.get_columns_in_relation. Types are named as
     * dbt's Column.data_type names them on each warehouse: dbt-postgres's figures; on DuckDB its own type names, a
     * string column without a size being dbt's "character varying(256)". A whole-number column is integer, as dbt
     * infers it.
     */
    @Test
    void columnTypeOverride() {
        boolean duck = warehouse().isDuckDb();
        String text = duck ? "character varying(256)" : "text";
        String schema = """
                version: 2
                seeds:
                - name: seed_enabled
                  columns:
                  - name: birthday
                    data_tests:
                    - column_type:
                        type: %2$s
                  - name: seed_id
                    data_tests:
                    - column_type:
                        type: %1$s
                - name: seed_tricky
                  columns:
                  - name: seed_id
                    data_tests:
                    - column_type:
                        type: %3$s
                  - name: seed_id_str
                    data_tests:
                    - column_type:
                        type: %1$s
                  - name: a_bool
                    data_tests:
                    - column_type:
                        type: %4$s
                  - name: looks_like_a_bool
                    data_tests:
                    - column_type:
                        type: %1$s
                  - name: a_date
                    data_tests:
                    - column_type:
                        type: %5$s
                  - name: looks_like_a_date
                    data_tests:
                    - column_type:
                        type: %1$s
                  - name: relative
                    data_tests:
                    - column_type:
                        type: %1$s
                  - name: weekday
                    data_tests:
                    - column_type:
                        type: %1$s
                """.formatted(text, duck ? "DATE" : "date", duck ? "INTEGER" : "integer", duck ? "BOOLEAN" : "boolean",
                duck ? "TIMESTAMP" : "timestamp without time zone");
        CliHarness p = project("test", """
                seeds:
                  test:
                    +enabled: false
                    +quote_columns: true
                    seed_enabled:
                      +enabled: true
                      +column_types: {seed_id: text, birthday: date}
                    seed_tricky:
                      +enabled: true
                      +column_types: {seed_id_str: text, looks_like_a_bool: text, looks_like_a_date: text}
                """, files(
                "seeds/seed_enabled.csv", twentyPeople(), "seeds/seed_disabled.csv", twentyPeople(),
                "seeds/seed_tricky.csv", TRICKY, "models/schema.yml", schema, "macros/schema_test.sql", COLUMN_TYPE_TEST));
        CliHarness.Result seeded = expect(0, p, "seed", "--show");
        assertEquals(Map.of("seed_enabled", "success", "seed_tricky", "success"), results(p));
        assertTrue(seeded.out().contains("Sandra") && seeded.out().contains("Saturday"), seeded.out());
        CliHarness.Result tested = expect(0, p, "test");
        Map<String, String> tests = results(p);
        assertEquals(10, tests.size(), tested.all());
        assertTrue(tests.values().stream().allMatch("pass"::equals), tests + "\n" + tested.all());
        // The overrides are the stored types, and the values survive them.
        assertEquals("1", p.scalar("select seed_id from " + S + ".seed_enabled where email = 'p1@example.org'"));
    }
}
