package dev.sluice.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The row shape of a table, CTE, subquery or query: named columns with their upstream sources.
 *
 * <p>A relation is "open" when it may have columns beyond those listed (a table whose columns are unknown,
 * or a {@code SELECT *} that could not be expanded); {@code openLookup} then guesses where such a column
 * comes from, so lineage still flows through {@code select * from unknown_table}.
 */
record Relation(List<OutputColumn> columns, boolean open, Function<String, Set<ColumnSource>> openLookup) {

    record OutputColumn(String name, Set<ColumnSource> sources) {
    }

    static Relation closed(List<OutputColumn> columns) {
        return new Relation(List.copyOf(columns), false, name -> Set.of());
    }

    /** A real table whose columns are unknown: any column asked for comes from that table. */
    static Relation unknownTable(TableName table) {
        return new Relation(List.of(), true, name -> Set.of(new ColumnSource(table, name)));
    }

    /** A relation nothing is known about (table functions, UNNEST, ...). */
    static Relation opaque() {
        return new Relation(List.of(), true, name -> Set.of());
    }

    static Relation ofTable(TableName table, List<String> columnNames) {
        List<OutputColumn> columns = new ArrayList<>();
        for (String name : columnNames) {
            columns.add(new OutputColumn(name, Set.of(new ColumnSource(table, name))));
        }
        return closed(columns);
    }

    /** Sources of a listed column, or empty when the column is not listed. */
    Optional<Set<ColumnSource>> listed(String name) {
        Set<ColumnSource> found = null;
        for (OutputColumn column : columns) {
            if (column.name().equalsIgnoreCase(name)) {
                if (found == null) {
                    found = new LinkedHashSet<>();
                }
                found.addAll(column.sources());
            }
        }
        return Optional.ofNullable(found);
    }

    /** Sources of a column: listed ones first, then the open guess; empty when this relation lacks it. */
    Optional<Set<ColumnSource>> lookup(String name) {
        Optional<Set<ColumnSource>> listed = listed(name);
        if (listed.isPresent() || !open) {
            return listed;
        }
        return Optional.of(openLookup.apply(name));
    }

    /** Applies a column alias list such as {@code t(a, b)} or {@code cte(a, b) as (...)}. */
    Relation renamed(List<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        List<OutputColumn> renamed = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Set<ColumnSource> sources = i < columns.size() ? columns.get(i).sources() : Set.of();
            renamed.add(new OutputColumn(names.get(i), sources));
        }
        // Naming every column closes the relation, even if its star was not expandable.
        return closed(renamed);
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
