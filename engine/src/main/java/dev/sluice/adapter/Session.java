package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import dev.sluice.seed.CsvTable;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One connection to the warehouse, used by one thread at a time. Every failure is a DatabaseException. */
public interface Session extends AutoCloseable {

    void execute(String sql);

    List<Map<String, Object>> query(String sql);

    /**
     * The names of a query's result columns, which rows of {@link #query} cannot give when there are none (an
     * export of an empty audience still writes its header). Empty when the session cannot tell.
     */
    default List<String> resultColumns(String sql) {
        return List.of();
    }

    /** Runs the statements as one transaction: all or nothing. */
    void transaction(List<String> statements);

    Optional<RelationKind> relationKind(Relation relation);

    List<ColumnInfo> columns(Relation relation);

    /** Loads a seed's rows into an existing table with the seed's columns. Returns the row count. */
    long load(Relation relation, CsvTable table, Map<String, String> columnTypes);

    /**
     * Appends rows to an existing table, consuming the iterator as it goes so that the rows never need to be
     * in memory at once. Values are Java values (Long, Integer, Double, BigDecimal, Boolean, LocalDate,
     * LocalDateTime, String or null) matching {@code types}; the table may have its columns in any order.
     * All rows are appended or none. Returns the row count.
     */
    long append(Relation relation, List<String> columns, List<ColumnType> types, Iterator<List<Object>> rows);

    @Override
    void close();
}
