package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's `persist_docs` suite (tests/adapter/persist_docs/test_persist_docs.py) ported. The comments
 * are read from the warehouse's own catalog (DuckDB's duckdb_tables/duckdb_columns, PostgreSQL's
 * obj_description/col_description) and, as dbt's test reads them, from the catalog.json docs generate writes.
 */
class AdapterPersistDocsTest extends AdapterSuite {

    /** Text that breaks naive quoting: quotes of both kinds, SQL comment markers, dollar-quoting. */
    private static final String TRICKY = """
            "with double quotes"
            and with 'single  quotes' as welll as other;
            '''abc123'''
            reserved -- characters
            80% of statistics are made up on the spot
            --
            /* comment */
            Some $lbl$ labeled $lbl$ and $$ unlabeled $$ dollar-quoting
            """;

    /** A block scalar's lines: first, then the tricky text, each indented by indent spaces. */
    private static String described(int indent, String first) {
        String pad = " ".repeat(indent);
        return pad + first + " " + TRICKY.strip().replace("\n", "\n" + pad) + "\n";
    }

    private Object tableComment(CliHarness p, String name) {
        return p.warehouse.isDuckDb()
                ? p.scalar("select comment from duckdb_tables() where schema_name = '" + S + "' and table_name = '" + name + "' union all "
                + "select comment from duckdb_views() where schema_name = '" + S + "' and view_name = '" + name + "'")
                : p.scalar("select obj_description('" + S + "." + name + "'::regclass)");
    }

    private Object columnComment(CliHarness p, String name, String column) {
        return p.warehouse.isDuckDb()
                ? p.scalar("select comment from duckdb_columns() where schema_name = '" + S + "' and table_name = '" + name
                + "' and column_name = '" + column + "'")
                : p.scalar("select col_description('" + S + "." + name + "'::regclass, a.attnum) from pg_attribute a "
                + "where a.attrelid = '" + S + "." + name + "'::regclass and a.attname = '" + column + "'");
    }

    /** _assert_common_comments. */
    private static void assertCommon(Object comment) {
        String c = String.valueOf(comment);
        assertTrue(c.contains("\"with double quotes\""), c);
        assertTrue(c.contains("'''abc123'''"), c);
        assertTrue(c.contains("\n"), c);
        assertTrue(c.contains("Some $lbl$ labeled $lbl$ and $$ unlabeled $$ dollar-quoting"), c);
        assertTrue(c.contains("/* comment */"), c);
        assertTrue(c.contains("--\n"), c);
    }

    private static final String PERSIST_ALL = "models:\n  test:\n    +persist_docs:\n      relation: true\n      columns: true\n";
    private static final String PERSIST_COLUMNS = "models:\n  test:\n    +persist_docs:\n      columns: true\n";

    /** BasePersistDocs.test_has_comments_pglike: table, view and undocumented model, with doc() in a description. */
    @Test
    void hasComments() {
        CliHarness p = project("test", PERSIST_ALL, files(
                "seeds/seed.csv", "id,name\n1,Alice\n2,Bob\n",
                "models/no_docs_model.sql", "select 1 as id, 'Alice' as name\n",
                "models/table_model.sql", "{{ config(materialized='table') }}\nselect 1 as id, 'Joe' as name\n",
                "models/view_model.sql", "{{ config(materialized='view') }}\nselect 2 as id, 'Bob' as name\n",
                "models/my_fun_docs.md", "{% docs my_fun_doc %}\nname Column description " + TRICKY + "\n{% enddocs %}\n",
                "models/schema.yml", "version: 2\nmodels:\n  - name: table_model\n    description: |\n" + described(6, "Table model description")
                        + "    columns:\n      - name: id\n        description: |\n" + described(10, "id Column description")
                        + "      - name: name\n        description: |\n          Some stuff here and then a call to\n"
                        + "          {{ doc('my_fun_doc')}}\n"
                        + "  - name: view_model\n    description: |\n" + described(6, "View model description")
                        + "    columns:\n      - name: id\n        description: |\n" + described(10, "id Column description")));
        expect(0, p, "seed");
        expect(0, p, "run");
        assertEquals(Map.of("no_docs_model", "success", "table_model", "success", "view_model", "success"), results(p));
        Object table = tableComment(p, "table_model");
        assertTrue(String.valueOf(table).startsWith("Table model description"), String.valueOf(table));
        Object tableId = columnComment(p, "table_model", "id");
        assertTrue(String.valueOf(tableId).startsWith("id Column description"), String.valueOf(tableId));
        Object tableName = columnComment(p, "table_model", "name");
        assertTrue(String.valueOf(tableName).startsWith("Some stuff here and then a call to"), String.valueOf(tableName));
        for (Object c : new Object[]{table, tableId, tableName}) assertCommon(c);
        Object view = tableComment(p, "view_model");
        assertTrue(String.valueOf(view).startsWith("View model description"), String.valueOf(view));
        assertCommon(view);
        Object viewId = columnComment(p, "view_model", "id");
        assertTrue(String.valueOf(viewId).startsWith("id Column description"), String.valueOf(viewId));
        assertCommon(viewId);
        assertNull(columnComment(p, "view_model", "name"));
        assertNull(tableComment(p, "no_docs_model"));
        assertNull(columnComment(p, "no_docs_model", "id"));

        // dbt's test reads the comments back from catalog.json: docs generate writes what the warehouse holds.
        expect(0, p, "docs", "generate");
        com.fasterxml.jackson.databind.JsonNode nodes = json(p, "target/catalog.json").path("nodes");
        for (String model : new String[]{"table_model", "view_model", "no_docs_model"}) {
            com.fasterxml.jackson.databind.JsonNode n = nodes.path("model.test." + model);
            assertEquals(tableComment(p, model), n.path("metadata").path("comment").isNull() ? null
                    : n.path("metadata").path("comment").asText(), model);
            for (String column : new String[]{"id", "name"}) {
                com.fasterxml.jackson.databind.JsonNode c = n.path("columns").path(column).path("comment");
                assertEquals(columnComment(p, model, column), c.isNull() ? null : c.asText(), model + "." + column);
            }
        }
    }

    /** BasePersistDocsColumnMissing.test_missing_column: a documented column the table lacks is passed over. */
    @Test
    void missingColumn() {
        CliHarness p = project("test", PERSIST_COLUMNS, files(
                "models/missing_column.sql", "{{ config(materialized='table') }}\nselect 1 as id, 'Ed' as name\n",
                "models/schema.yml", """
                        version: 2
                        models:
                          - name: missing_column
                            columns:
                              - name: id
                                description: "test id column description"
                              - name: column_that_does_not_exist
                                description: "comment that cannot be created"
                        """));
        CliHarness.Result r = expect(0, p, "run");
        assertTrue(r.out().contains("The following columns are specified in the schema but are not present in the database: column_that_does_not_exist"), r.out());
        assertEquals(Map.of("missing_column", "success"), results(p));
        assertTrue(String.valueOf(columnComment(p, "missing_column", "id")).startsWith("test id column description"));
    }

    /** BasePersistDocsAllColumnsMissing: every documented column missing still builds. */
    @Test
    void allColumnsMissing() {
        CliHarness p = project("test", PERSIST_COLUMNS, files(
                "models/all_columns_missing.sql", "{{ config(materialized='table') }}\nselect 1 as id\n",
                "models/schema.yml", """
                        version: 2
                        models:
                          - name: all_columns_missing
                            columns:
                              - name: bogus_col_one
                                description: "first bogus column"
                              - name: bogus_col_two
                                description: "second bogus column"
                        """));
        CliHarness.Result r = expect(0, p, "run");
        assertTrue(r.out().contains("bogus_col_one") && r.out().contains("bogus_col_two"), r.out());
        assertEquals(Map.of("all_columns_missing", "success"), results(p));
        assertNull(columnComment(p, "all_columns_missing", "id"));
    }

    /**
     * BasePersistDocsQuotedDescriptionNotAppliedOnMismatch: with quote: true a documented mycol is not the physical
     * "MyCol", so its description is not written there.
     */
    @Test
    void quotedDescriptionNotAppliedOnCaseMismatch() {
        CliHarness p = project("test", PERSIST_COLUMNS, files(
                "models/quoted_physical_case_mismatch.sql", "{{ config(materialized='table') }}\nselect 1 as {{ adapter.quote(\"MyCol\") }}\n",
                "models/schema.yml", """
                        version: 2
                        models:
                          - name: quoted_physical_case_mismatch
                            columns:
                              - name: mycol
                                description: "DOCUMENTED_DESCRIPTION_SENTINEL must not be applied to a different-case physical column"
                                quote: true
                        """));
        CliHarness.Result r = expect(0, p, "run");
        assertTrue(r.out().contains("The following columns are specified in the schema but are not present in the database: mycol"), r.out());
        assertNull(columnComment(p, "quoted_physical_case_mismatch", "MyCol"));
    }

    /** BasePersistDocsQuotedColumnCaseSensitive: a quoted MyCol does not silently match the physical mycol. */
    @Test
    void quotedColumnCaseSensitive() {
        CliHarness p = project("test", PERSIST_COLUMNS, files(
                "models/quoted_case_sensitive.sql", "{{ config(materialized='table') }}\nselect 1 as mycol\n",
                "models/schema.yml", """
                        version: 2
                        models:
                          - name: quoted_case_sensitive
                            columns:
                              - name: MyCol
                                description: "case-sensitive name; must not silently match mycol"
                                quote: true
                        """));
        CliHarness.Result r = expect(0, p, "run");
        assertTrue(r.out().contains("The following columns are specified in the schema but are not present in the database: MyCol"), r.out());
        assertNull(columnComment(p, "quoted_case_sensitive", "mycol"));
    }

    /** BasePersistDocsCommentOnQuotedColumn: a column that must be quoted (2id) gets its comment. */
    @Test
    void commentOnQuotedColumn() {
        CliHarness p = project("test", "models:\n  test:\n    materialized: table\n    +persist_docs:\n      relation: true\n      columns: true\n",
                files("models/quote_model.sql", "select 1 as {{ adapter.quote(\"2id\") }}\n",
                        "models/properties.yml", """
                                version: 2
                                models:
                                  - name: quote_model
                                    description: "model to test column quotes and comments"
                                    columns:
                                      - name: 2id
                                        description: "XXX My description"
                                        quote: true
                                """));
        expect(0, p, "run");
        assertEquals("model to test column quotes and comments", tableComment(p, "quote_model"));
        assertTrue(String.valueOf(columnComment(p, "quote_model", "2id")).startsWith("XXX"));
    }
}
