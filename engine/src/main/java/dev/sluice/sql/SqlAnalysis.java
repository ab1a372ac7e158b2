package dev.sluice.sql;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Calcite learned from one compiled statement.
 *
 * @param syntaxError present when the statement did not parse; the other fields are then empty
 * @param tables      tables and views read (CTE names excluded), in first-seen order
 * @param columns     output column names in order; empty when not knowable (e.g. SELECT * of an unknown table)
 * @param lineage     output column to the upstream columns it is computed from
 */
public record SqlAnalysis(Optional<SqlSyntaxError> syntaxError, List<TableName> tables, List<String> columns,
                          Map<String, Set<ColumnSource>> lineage) {
    public boolean parsed() {
        return syntaxError.isEmpty();
    }
}
