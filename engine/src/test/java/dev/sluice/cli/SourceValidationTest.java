package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The source_validation operator (seed 002's validation): missing tables and columns stop the build before
 * anything is made from the sources, type mismatches and columns filled below quality_threshold are warnings,
 * and every check is a row of the report table.
 */
class SourceValidationTest extends ProjectTest {
    private static final String CONTACTS = "id,email,signup\n1,a@x.com,2024-01-01\n2,,2024-01-02\n3,c@x.com,2024-01-03\n"
            + "4,d@x.com,2024-01-04\n5,,2024-01-05\n6,f@x.com,2024-01-06\n7,g@x.com,2024-01-07\n8,h@x.com,2024-01-08\n"
            + "9,i@x.com,2024-01-09\n10,j@x.com,2024-01-10\n";

    private CliHarness project(boolean failOnMissingColumn, String extraTable) {
        CliHarness p = CliHarness.copyOf("shop", tmp, warehouse());
        p.write("seeds/contacts.csv", CONTACTS);
        p.write("models/validation.yml", """
                version: 2
                operators:
                  - name: validate_sources
                    type: source_validation
                    depends_on: [contacts, raw_orders]
                    config:
                      schema: quality
                      quality_threshold: 0.95
                      fail_on_missing_column: %s
                      tables:
                        - relation: "{{ ref('contacts') }}"
                          columns: {id: integer, email: text, signup: date, phone: text}
                        - relation: "{{ ref('raw_orders') }}"
                          columns: {id: integer, user_id: integer, status: integer}
                          optional: [status]
                %s    outputs: [validation_report]
                """.formatted(failOnMissingColumn, extraTable));
        p.write("models/contact_list.sql", "-- depends_on: {{ ref('validation_report') }}\nselect id, email from {{ ref('contacts') }}\n");
        return p;
    }

    private static String status(List<Map<String, Object>> report, String table, String column, String check) {
        for (Map<String, Object> r : report) {
            if (table.equals(r.get("table_name")) && check.equals(r.get("check_name"))
                    && (column == null ? r.get("column_name") == null : column.equals(r.get("column_name")))) {
                return String.valueOf(r.get("status"));
            }
        }
        return "absent";
    }

    @Test
    void aMissingColumnStopsTheBuildBeforeTheModelsAndIsReported() {
        CliHarness p = project(true, "");
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("column phone is missing"), r.out());
        assertTrue(r.out().matches("(?s).*SKIP .*contact_list.*"), "the model reading the source is skipped\n" + r.out());
        List<Map<String, Object>> report = p.query("select * from main_quality.validation_report");
        assertEquals("error", status(report, "contacts", "phone", "column_exists"));
        assertEquals("valid", status(report, "contacts", "signup", "type"));
        assertEquals("warn", status(report, "raw_orders", "status", "type"), "a type mismatch is a warning");
        assertEquals("warn", status(report, "contacts", "email", "completeness"), "8 of 10 filled is below 0.95");
        assertEquals("valid", status(report, "contacts", "id", "completeness"));
        assertEquals("absent", status(report, "raw_orders", "status", "completeness"), "optional columns are not measured");
    }

    @Test
    void warningsLetTheBuildGoOn() {
        CliHarness p = project(false, "");
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("WARNING contacts: column phone is missing"), r.out());
        assertEquals(10, p.count("main.contact_list"));
        assertEquals("warn", status(p.query("select * from main_quality.validation_report"), "contacts", "phone", "column_exists"));
    }

    @Test
    void aMissingTableIsAnError() {
        CliHarness p = project(false, "        - relation: main.no_such_table\n          columns: {id: integer}\n");
        CliHarness.Result r = p.run("build");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("table no_such_table is missing"), r.out());
        assertEquals("error", status(p.query("select * from main_quality.validation_report"), "no_such_table", null, "table_exists"));
    }
}
