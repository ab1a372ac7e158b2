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
                           Map<String, Object> envVarOverrides, Map<String, Object> config, SourceLocation location,
                           List<String> includeVersions, List<String> excludeVersions, String version) {

    /**
     * Rows in one of dbt's formats: dict (rows as mappings), csv (text with a header) or sql (a query); text
     * holds the csv or sql, rows the dict rows.
     */
    public record Fixture(String format, List<Map<String, Object>> rows, String text, SourceLocation location) {
    }

    /** One input of the model: input is "ref('name')" or "source('src', 'table')", kept as written. */
    public record Given(String input, Fixture fixture) {
    }

    /**
     * The model and its name in unique ids: unit_test.project.model.name, with _v2 appended for the copy that tests
     * version 2 of a versioned model (dbt's naming; the name itself stays as written).
     */
    public String uniqueId(String project) {
        return "unit_test." + project + "." + model + "." + name + (version != null ? "_v" + version : "");
    }

    /** versions: {include: [...]} or {exclude: [...]} was written (it needs a versioned model). */
    public boolean choosesVersions() {
        return includeVersions != null || excludeVersions != null;
    }

    /** Whether this unit test runs on a version: every version unless include or exclude says otherwise. */
    public boolean tests(String v) {
        if (includeVersions != null) return includeVersions.contains(v);
        return excludeVersions == null || !excludeVersions.contains(v);
    }

    /** The copy of this unit test that tests one version of its model. */
    public UnitTestSpec forVersion(String v) {
        return new UnitTestSpec(name, model, description, given, expect, macroOverrides, varOverrides, envVarOverrides,
                config, location, includeVersions, excludeVersions, v);
    }
}
