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
     * {@link #query(String)}'s rows handed to the sink one at a time, without a map per row. Sessions that read
     * their driver's rows directly override this; this form goes through {@link #query(String)}.
     */
    default void query(String sql, RowSink sink) {
        List<Map<String, Object>> rows = query(sql);
        List<String> labels = rows.isEmpty() ? resultColumns(sql) : List.copyOf(rows.get(0).keySet());
        sink.columns(labels);
        Object[] values = new Object[labels.size()];
        for (Map<String, Object> row : rows) {
            int i = 0;
            for (Object v : row.values()) values[i++] = v;
            sink.row(values);
        }
    }

    /**
     * The names of a query's result columns, which rows of {@link #query} cannot give when there are none (an
     * export of an empty audience still writes its header). Empty when the session cannot tell.
     */
    default List<String> resultColumns(String sql) {
        return List.of();
    }

    /**
     * A query's result columns with the type names the driver reports, both sides of a comparison read the same
     * way (engine plan compares a model's new SQL with its deployed relation). Empty when the session cannot tell.
     */
    default List<ColumnInfo> resultColumnTypes(String sql) {
        return List.of();
    }

    /**
     * {@link #query} with date and time values as java.time values: LocalDateTime for a timestamp without time
     * zone, OffsetDateTime for one with a time zone, LocalDate for a date. Source freshness needs to tell naive
     * from zoned values, which java.sql.Timestamp hides. Sessions that cannot tell give naive values.
     */
    default List<Map<String, Object>> queryTimes(String sql) {
        List<Map<String, Object>> rows = query(sql);
        for (Map<String, Object> row : rows) {
            row.replaceAll((k, v) -> v instanceof java.sql.Timestamp t ? t.toLocalDateTime()
                    : v instanceof java.sql.Date d ? d.toLocalDate() : v);
        }
        return rows;
    }

    /** Runs the statements as one transaction: all or nothing. */
    void transaction(List<String> statements);

    Optional<RelationKind> relationKind(Relation relation);

    /**
     * Every table and view in the schema of {@code inSchema} (its identifier is ignored), by name as the catalog
     * stores it, read with one catalog query; empty when this session cannot list a schema, so callers fall
     * back to {@link #relationKind}. A schema that does not exist has no relations.
     */
    default Optional<Map<String, RelationKind>> listRelations(Relation inSchema) {
        return Optional.empty();
    }

    /**
     * Every table and view in the schema of {@code inSchema} with its comment, owner and columns, by name as the
     * catalog stores it, read with one catalog query as dbt's {@code get_catalog} does; empty when this session
     * has no such query, so catalog.json falls back to {@link #listRelations} and {@link #columns}.
     */
    default Optional<Map<String, CatalogRelation>> catalog(Relation inSchema) {
        return Optional.empty();
    }

    /** A name the engine writes (quoted by its adapter), as the catalog stores it. */
    default String storedName(String identifier) {
        return storedName(identifier, true);
    }

    /** A name as the catalog stores it when SQL writes it quoted or bare (bare names fold to the warehouse's case). */
    default String storedName(String name, boolean quoted) {
        return name;
    }

    /**
     * Runs one statement and returns the rows it reports writing (a CREATE TABLE AS or INSERT), or -1 when the
     * warehouse does not say; spares a count(*) afterwards.
     */
    default long executeCounted(String sql) {
        execute(sql);
        return -1;
    }

    /** {@link #transaction}, returning what the last statement reports writing, or -1. */
    default long transactionCounted(List<String> statements) {
        return transactionCounted(statements, statements.size() - 1);
    }

    /** {@link #transaction}, returning what the statement at index {@code counted} reports writing, or -1. */
    default long transactionCounted(List<String> statements, int counted) {
        transaction(statements);
        return -1;
    }

    /** The session under any wrapper, for adapters that need their own session class (JDBC access). */
    default Session raw() {
        return this;
    }

    /**
     * Cancels what this session runs now; called from another thread when the user interrupts the run. The
     * thread running the statement gets an error. A session that cannot cancel does nothing.
     */
    default void cancel() {
    }

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
