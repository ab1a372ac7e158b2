package dev.sluice.project;

import java.util.List;
import java.util.Map;

/**
 * A column as documented in a schema file.
 *
 * @param constraints dbt constraints on the column, created in the DDL of a model with an enforced contract
 * @param quote       whether the name is quoted in generated DDL (dbt's quote: true)
 * @param tags        the column's tags (pii marks personal data the operations app masks)
 */
public record ColumnSpec(String name, String description, String dataType, Map<String, Object> meta,
                         List<TestSpec> tests, List<Constraint> constraints, boolean quote, List<String> tags) {
    public ColumnSpec {
        tags = List.copyOf(tags);
    }

    public ColumnSpec(String name, String description, String dataType, Map<String, Object> meta,
                      List<TestSpec> tests, List<Constraint> constraints, boolean quote) {
        this(name, description, dataType, meta, tests, constraints, quote, List.of());
    }

    public ColumnSpec(String name, String description, String dataType, Map<String, Object> meta, List<TestSpec> tests) {
        this(name, description, dataType, meta, tests, List.of(), false);
    }

    /** The same column with another description (doc() resolved). */
    public ColumnSpec withDescription(String d) {
        return new ColumnSpec(name, d, dataType, meta, tests, constraints, quote, tags);
    }
}
