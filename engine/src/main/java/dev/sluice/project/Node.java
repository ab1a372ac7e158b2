package dev.sluice.project;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A resource found in the project, before compilation.
 *
 * @param file       path relative to the project root (a .sql, .csv, or the schema file of a generic test)
 * @param fqn        dbt's fully qualified name: project, folders, name; drives folder configs and path: selection
 * @param rawCode    the unrendered template; for a generic test a generated call of its test macro
 * @param config     config from the project file and schema files; in-file config() is merged at compile time
 * @param columns    documented columns
 * @param test       for a generic test, its declaration; null otherwise
 * @param testedId   the node this one is attached to: for a generic test the model, seed, snapshot or source it
 *                   tests; for an operator's output table the operator that writes it
 * @param lineOffset line of the template's first line in file, minus one (snapshot blocks start mid-file)
 */
public record Node(String uniqueId, NodeType type, String name, Path file, List<String> fqn, String rawCode,
                   Map<String, Object> config, String description, List<ColumnSpec> columns, TestSpec test,
                   String testedId, int lineOffset) {

    /** The same node with another template body (a hook, a config value, a macro call) starting at lineOffset. */
    public Node withCode(String code, int lineOffset) {
        return new Node(uniqueId, type, name, file, fqn, code, config, description, columns, test, testedId, lineOffset);
    }

    /** The package (root project or installed package) the node belongs to: the first part of its fqn. */
    public String packageName() {
        if (!fqn.isEmpty()) return fqn.get(0);
        String[] parts = uniqueId.split("\\.");
        return parts.length > 1 ? parts[1] : "";
    }

    public boolean isGenericTest() {
        return test != null;
    }

    /** Materialization of a table written by an operator node rather than by SQL. */
    public static final String OPERATOR_OUTPUT = "operator_output";

    public boolean isOperatorOutput() {
        return OPERATOR_OUTPUT.equals(materialized());
    }

    public String materialized() {
        Object m = config.get("materialized");
        return m == null ? null : m.toString();
    }
}
