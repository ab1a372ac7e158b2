package dev.sluice.project;

import java.util.List;
import java.util.Map;

/** A column as documented in a schema file. */
public record ColumnSpec(String name, String description, String dataType, Map<String, Object> meta,
                         List<TestSpec> tests) {
}
