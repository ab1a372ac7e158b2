package dev.sluice.adapter;

import java.util.List;

/**
 * A table or view as dbt's {@code get_catalog} macros read it for catalog.json: its type as dbt names it
 * (BASE TABLE, VIEW, MATERIALIZED VIEW), the comment persist_docs or COMMENT ON gave it, its owner where the
 * warehouse has one (null otherwise) and its columns in column order.
 */
public record CatalogRelation(String type, String comment, String owner, List<Column> columns) {

    public CatalogRelation {
        columns = List.copyOf(columns);
    }

    /** One column: index is the warehouse's own position (PostgreSQL's attnum keeps the gaps of dropped columns). */
    public record Column(String name, int index, String type, String comment) {
    }
}
