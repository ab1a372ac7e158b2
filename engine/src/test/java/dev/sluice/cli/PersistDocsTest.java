package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** dbt's persist_docs adapter test re-created: descriptions become relation and column comments in the warehouse. */
class PersistDocsTest extends ProjectTest {

    private Object tableComment(CliHarness p, String name) {
        return p.warehouse.isDuckDb()
                ? p.scalar("select comment from duckdb_tables() where table_name = '" + name + "' union all "
                + "select comment from duckdb_views() where view_name = '" + name + "'")
                : p.scalar("select obj_description('main." + name + "'::regclass)");
    }

    private Object columnComment(CliHarness p, String name, String column) {
        return p.warehouse.isDuckDb()
                ? p.scalar("select comment from duckdb_columns() where table_name = '" + name + "' and column_name = '" + column + "'")
                : p.scalar("select col_description('main." + name + "'::regclass, a.attnum) from pg_attribute a "
                + "where a.attrelid = 'main." + name + "'::regclass and a.attname = '" + column + "'");
    }

    @Test
    void descriptionsBecomeCommentsOnTablesViewsAndColumns() {
        CliHarness p = copy("shop");
        p.write("models/docs/table_model.sql", "{{ config(materialized='table') }}\nselect 1 as id, 'Joe' as name\n");
        p.write("models/docs/view_model.sql", "{{ config(materialized='view') }}\nselect 2 as id, 'Bob' as name\n");
        p.write("models/docs/no_docs_model.sql", "select 3 as id\n");
        p.write("models/docs/schema.yml", """
                version: 2
                models:
                  - name: table_model
                    description: "The table model's description, with 'quotes' and \\"doubles\\""
                    config:
                      persist_docs: {relation: true, columns: true}
                    columns:
                      - name: id
                        description: The id column
                      - name: name
                        description: "The name column: it's a string"
                      - name: not_in_model
                        description: passed over
                  - name: view_model
                    description: The view model's description
                    config:
                      persist_docs: {relation: true, columns: false}
                    columns:
                      - name: id
                        description: not persisted
                  - name: no_docs_model
                    description: not persisted either
                """);
        CliHarness.Result r = p.run("run", "-s", "docs");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("The table model's description, with 'quotes' and \"doubles\"", tableComment(p, "table_model"));
        assertEquals("The id column", columnComment(p, "table_model", "id"));
        assertEquals("The name column: it's a string", columnComment(p, "table_model", "name"));
        assertEquals("The view model's description", tableComment(p, "view_model"));
        assertNull(columnComment(p, "view_model", "id"));
        assertNull(tableComment(p, "no_docs_model"));
        // A rebuild keeps them: the comments are written again on the new relation.
        assertEquals(0, p.run("run", "-s", "table_model").exitCode());
        assertEquals("The id column", columnComment(p, "table_model", "id"));
    }
}
