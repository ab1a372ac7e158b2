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
 * @param tooDeep     true when the statement nests deeper than the parser can follow; syntaxError then says
 *                    so and only the warehouse's own parser can check it
 */
public record SqlAnalysis(Optional<SqlSyntaxError> syntaxError, List<TableName> tables, List<String> columns,
                          Map<String, Set<ColumnSource>> lineage, boolean tooDeep) {
    public SqlAnalysis(Optional<SqlSyntaxError> syntaxError, List<TableName> tables, List<String> columns,
                       Map<String, Set<ColumnSource>> lineage) {
        this(syntaxError, tables, columns, lineage, false);
    }

    static SqlAnalysis tooDeep(String why) {
        return new SqlAnalysis(Optional.of(new SqlSyntaxError(why, 0, 0)), List.of(), List.of(), Map.of(), true);
    }

    public boolean parsed() {
        return syntaxError.isEmpty();
    }
}
