package dev.sluice.sql;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Parses compiled SQL with Calcite's lenient (Babel) parser. API contract; implementation in progress. */
public final class SqlAnalyzer {

    /**
     * @param sql          one compiled SELECT (possibly WITH ...) statement
     * @param knownColumns columns of an upstream table when known, to expand * and resolve unqualified names
     */
    public SqlAnalysis analyze(String sql, Function<TableName, Optional<List<String>>> knownColumns) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
