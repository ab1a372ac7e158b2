package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * A dbt unit test from a schema file's unit_tests: the model it tests, fixture rows for the model's inputs
 * (given), the rows it must produce (expect), and overrides of macros, vars and environment variables.
 */
public record UnitTestSpec(String name, String model, String description, List<Given> given, Fixture expect,
                           Map<String, Object> macroOverrides, Map<String, Object> varOverrides,
                           Map<String, Object> envVarOverrides, Map<String, Object> config, SourceLocation location) {

    /**
     * Rows in one of dbt's formats: dict (rows as mappings), csv (text with a header) or sql (a query); text
     * holds the csv or sql, rows the dict rows.
     */
    public record Fixture(String format, List<Map<String, Object>> rows, String text, SourceLocation location) {
    }

    /** One input of the model: input is "ref('name')" or "source('src', 'table')", kept as written. */
    public record Given(String input, Fixture fixture) {
    }

    /** The model and its name in unique ids: unit_test.project.model.name. */
    public String uniqueId(String project) {
        return "unit_test." + project + "." + model + "." + name;
    }
}
