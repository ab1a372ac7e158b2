package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import dev.sluice.sql.SqlSyntaxError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A warehouse: how to connect, quote and write its DDL. One implementation per warehouse; the engine's
 * materializations are written only against this interface.
 */
public interface Adapter extends AutoCloseable {

    /** The profile 'type', e.g. "duckdb". */
    String type();

    /** Opens a new connection; callers close it. */
    Session open();

    /** ANSI double-quoted identifier; dialects with other quoting override it. */
    default String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** How the warehouse stores an identifier written unquoted (lower case; Snowflake upper case). */
    default String foldUnquoted(String identifier) {
        return identifier.toLowerCase(java.util.Locale.ROOT);
    }

    default String render(Relation r) {
        String s = quote(r.schema()) + "." + quote(r.identifier());
        return r.database() == null ? s : quote(r.database()) + "." + s;
    }

    /** Warehouse type for a seed column. */
    String typeFor(ColumnType type);

    /**
     * An exact decimal of the given precision and scale, for columns whose values are known to fit (a generator's
     * amounts); {@link #typeFor} gives the general decimal. Every supported warehouse spells it this way.
     */
    default String decimalType(int precision, int scale) {
        return "decimal(" + precision + ", " + scale + ")";
    }

    /**
     * The type of a created text column whose values come from a short list (a generator's categories), followed by
     * any clause that tells the warehouse to store it as a dictionary; {@link #typeFor} TEXT where there is none.
     * The session is the one that creates the column: whether the clause is accepted can depend on its database.
     */
    default String fewValuesTextType(Session session) {
        return typeFor(ColumnType.TEXT);
    }

    /**
     * SQL narrowing a loaded seed's whole-number column to integer, as dbt types such a column (every SQL adapter's
     * convert_integer_type is "integer"); null where the warehouse cannot change a column's type in place.
     */
    default String narrowToIntegerSql(Relation table, String column) {
        return null;
    }

    default String createSchemaSql(Relation inSchema) {
        return "create schema if not exists " + schemaName(inSchema);
    }

    /** The schema of a relation as DDL on schemas names it: database-qualified where the warehouse allows it. */
    default String schemaName(Relation inSchema) {
        return inSchema.database() == null ? quote(inSchema.schema()) : quote(inSchema.database()) + "." + quote(inSchema.schema());
    }

    default String createViewSql(Relation r, String select) {
        return "create view " + render(r) + " as (\n" + select + "\n)";
    }

    default String createTableSql(Relation r, String select) {
        return "create table " + render(r) + " as (\n" + select + "\n)";
    }

    default String createSql(Relation r, RelationKind kind, String select) {
        return kind == RelationKind.VIEW ? createViewSql(r, select) : createTableSql(r, select);
    }

    /** A table with the given column definitions ("name type"), for seeds and ML results. */
    default String createTableColumnsSql(Relation r, List<String> columnDefinitions) {
        return "create table " + render(r) + " (" + String.join(", ", columnDefinitions) + ")";
    }

    /**
     * Statements that replace {@code target} with the result of {@code select} directly, for warehouses where
     * that is atomic (CREATE OR REPLACE); empty (the default) builds at a temporary name and swaps it in.
     *
     * @param existing what target is now, if it exists
     */
    default List<String> replaceInPlaceSql(Relation target, RelationKind kind, Optional<RelationKind> existing, String select) {
        return List.of();
    }

    /** Whether {@link #replaceInPlaceSql} has statements for this kind; asked first, so others skip the lookup. */
    default boolean replacesInPlace(RelationKind kind) {
        return false;
    }

    /**
     * Statements that put the relation built at {@code tmp} in place of {@code target}, run as one transaction.
     * The default renames the old relation away, the new one in, and drops the old one.
     */
    default List<String> swapInSql(Relation target, Relation tmp, Relation backup, RelationKind kind, Optional<RelationKind> existing) {
        List<String> swap = new ArrayList<>();
        existing.ifPresent(k -> swap.add(renameSql(target, k, backup.identifier())));
        swap.add(renameSql(tmp, kind, target.identifier()));
        existing.ifPresent(k -> swap.add(dropSql(backup, k)));
        return swap;
    }

    /**
     * A statement that, run first in a transaction that replaces {@code target}, saves what depends on the old
     * relation and would go with it, for {@link #restoreDependentsSql}; empty where nothing would (views that
     * bind by name, as DuckDB's, Snowflake's and Databricks' do).
     */
    default Optional<String> saveDependentsSql(Relation target) {
        return Optional.empty();
    }

    /**
     * The views that read {@code target} now, directly or through other views, as "schema.name" (the names the
     * catalog stores), which {@link #restoreDependentsSql} may be told are built again later; empty where
     * {@link #saveDependentsSql} saves nothing.
     */
    default java.util.Set<String> dependentViews(Session session, Relation target) {
        return java.util.Set.of();
    }

    /**
     * Run last in the same transaction: re-creates what {@link #saveDependentsSql} saved, on the new relation.
     *
     * @param rebuiltLater views of {@link #dependentViews} that the run builds again after target, which may be left
     *                     to that build (the caller filters them, so the statement grows with the views on target,
     *                     not with the run)
     */
    default Optional<String> restoreDependentsSql(Relation target, java.util.Collection<Relation> rebuiltLater) {
        return Optional.empty();
    }

    /** Replaces all rows of {@code target} by those of {@code source} (same columns), run as one transaction. */
    default List<String> replaceRowsSql(Relation target, Relation source) {
        return List.of("delete from " + render(target), "insert into " + render(target) + " select * from " + render(source));
    }

    /** The parameterised INSERT of batched loads; a non-null cast makes the warehouse cast the bound text. */
    default String insertValuesSql(Relation r, List<String> columns, List<String> casts) {
        StringBuilder sql = new StringBuilder("insert into ").append(render(r)).append(" (");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(quote(columns.get(i)));
            String cast = casts.get(i);
            values.append(i > 0 ? ", " : "").append(cast == null ? "?" : "cast(? as " + cast + ")");
        }
        return sql.append(") values (").append(values).append(')').toString();
    }

    /** Type for text casts in generated SQL (snapshot ids). */
    default String stringType() {
        return "varchar";
    }

    /** Type of snapshot validity timestamps: a timestamp without time zone. */
    default String timestampType() {
        return "timestamp";
    }

    /**
     * Snapshots: ends the current versions of target that have a row in changes, setting validTo to value. The
     * versions are matched by their key expressions (evaluated on target's own columns, unqualified) against the
     * changes table's key columns (alias c); changes holds only those keys and dbt_change_ts, so no name there can
     * shadow a column of target.
     *
     * @param isCurrent condition over target's columns that picks its current versions
     * @param value     what validTo becomes: c.dbt_change_ts, or a constant
     */
    default String snapshotCloseSql(Relation target, Relation changes, List<String> keyExprs, List<String> changeKeys,
                                    String validTo, String isCurrent, String value) {
        StringBuilder match = new StringBuilder();
        for (int i = 0; i < keyExprs.size(); i++) {
            match.append(i == 0 ? "" : " and ").append("c.").append(quote(changeKeys.get(i))).append(" = ").append(keyExprs.get(i));
        }
        String set = value.startsWith("c.") ? "(select max(" + value + ") from " + render(changes) + " as c where " + match + ")" : value;
        return "update " + render(target) + " set " + quote(validTo) + " = " + set + " where (" + isCurrent + ") and exists (select 1 from "
                + render(changes) + " as c where " + match + ")";
    }

    /** a.k1 = b.k1 and a.k2 = b.k2 ... */
    default String keyJoin(String a, String b, List<String> keys) {
        return String.join(" and ", keys.stream().map(k -> a + "." + quote(k) + " = " + b + "." + quote(k)).toList());
    }

    /** Drop statement; warehouses that track dependents drop them too, as dbt does. */
    default String dropSql(Relation r, RelationKind kind) {
        return "drop " + kind.sql() + " if exists " + render(r);
    }

    default String renameSql(Relation r, RelationKind kind, String newIdentifier) {
        return "alter " + kind.sql() + " " + render(r) + " rename to " + quote(newIdentifier);
    }

    /**
     * Upsert of {@code source} into {@code target} on the key columns (SQL:2003 MERGE, in DuckDB and PostgreSQL 15+).
     *
     * @param columns       the columns inserted for new rows
     * @param updateColumns the columns set on matched rows (merge_update_columns / merge_exclude_columns)
     * @param predicates    extra match conditions (incremental_predicates) over dbt_internal_dest and dbt_internal_source
     */
    default String mergeSql(Relation target, Relation source, List<String> keys, List<String> columns,
                            List<String> updateColumns, List<String> predicates) {
        String set = String.join(", ", updateColumns.stream().map(c -> quote(c) + " = dbt_internal_source." + quote(c)).toList());
        String cols = String.join(", ", columns.stream().map(this::quote).toList());
        String vals = String.join(", ", columns.stream().map(c -> "dbt_internal_source." + quote(c)).toList());
        return "merge into " + render(target) + " as dbt_internal_dest\nusing " + render(source)
                + " as dbt_internal_source\non " + keyJoin("dbt_internal_dest", "dbt_internal_source", keys)
                + andAll(predicates)
                + (set.isEmpty() ? "" : "\nwhen matched then update set " + set)
                + "\nwhen not matched then insert (" + cols + ") values (" + vals + ")";
    }

    /** " and (p1) and (p2)" for incremental predicates; empty without them. */
    default String andAll(List<String> predicates) {
        StringBuilder out = new StringBuilder();
        for (String p : predicates) out.append(" and (").append(p).append(')');
        return out.toString();
    }

    /**
     * Deletes the target rows whose key appears in source; followed by an insert, gives delete+insert.
     *
     * @param predicates extra conditions (incremental_predicates) on the rows to delete
     */
    default String deleteMatchingSql(Relation target, Relation source, List<String> keys, List<String> predicates) {
        // The target is aliased as in the other statements, so predicates can name dbt_internal_dest on every dialect.
        return "delete from " + render(target) + " as dbt_internal_dest where exists (select 1 from " + render(source)
                + " as dbt_internal_source where " + keyJoin("dbt_internal_dest", "dbt_internal_source", keys) + ")"
                + andAll(predicates);
    }

    default String insertSelectSql(Relation target, Relation source, java.util.List<String> columns) {
        String cols = String.join(", ", columns.stream().map(this::quote).toList());
        return "insert into " + render(target) + " (" + cols + ") select " + cols + " from " + render(source);
    }

    /** persist_docs: the relation's comment (COMMENT ON, in DuckDB, PostgreSQL and Snowflake). */
    default String commentSql(Relation r, RelationKind kind, String comment) {
        return "comment on " + kind.sql() + " " + render(r) + " is " + stringLiteral(comment);
    }

    /** persist_docs: a column's comment. */
    default String columnCommentSql(Relation r, RelationKind kind, String column, String comment) {
        return "comment on column " + render(r) + "." + quote(column) + " is " + stringLiteral(comment);
    }

    /** A UTC instant as a literal of {@link #timestampType()}, to the microsecond (the state tables' stamps). */
    default String timestampLiteral(java.time.Instant t) {
        return "cast(" + stringLiteral(RowValues.STAMP.format(java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC))) + " as "
                + timestampType() + ")";
    }

    /** A SQL string literal: single quotes doubled. */
    default String stringLiteral(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /**
     * SQL changing the type of {@code target}'s column {@code have} to the type it arrives with in {@code staging}
     * ({@code come}) where that is a pure widening the warehouse can apply in place (a DuckDB ENUM taking new values);
     * empty otherwise. Run in the incremental merge's transaction under the policies that let a build change a schema.
     */
    default Optional<String> widenColumnTypeSql(Session session, Relation target, Relation staging, ColumnInfo have, ColumnInfo come) {
        return Optional.empty();
    }

    default String addColumnSql(Relation r, String column, String type) {
        return "alter table " + render(r) + " add column " + quote(column) + " " + type;
    }

    /**
     * Statements adding a column that holds one value on every existing row of table {@code r}, without rewriting
     * the table's other columns (the column keeps no default afterwards); empty where the warehouse has no such
     * statement, and the caller copies the table with the value added instead.
     */
    default Optional<List<String>> addConstantColumnSql(Relation r, String column, String type, String valueSql) {
        return Optional.empty();
    }

    /**
     * Whether a bulk load's column of one value (a raw batch's id) costs less written with every row than added to
     * the loaded table by {@link #addConstantColumnSql} (false: the warehouse adds such a column without writing it
     * per row).
     */
    default boolean constantColumnWithRows() {
        return false;
    }

    /**
     * Whether several sessions may append to one table at once, each in its own transaction, each transaction's
     * rows joining the table, after those already there, when it commits (DuckDB).
     */
    default boolean appendsInParallel() {
        return false;
    }

    default String dropColumnSql(Relation r, String column) {
        return "alter table " + render(r) + " drop column " + quote(column);
    }

    /**
     * Statements creating table {@code r} from a Parquet or CSV (header line) file on this machine with the
     * warehouse's own reader, the columns cast to the types given (all columns as read when none are given); empty
     * where the warehouse cannot read this machine's files, and the engine reads the file and sends the rows.
     */
    default java.util.Optional<List<String>> createTableFromFileSql(Relation r, java.nio.file.Path file, String format,
                                                                   List<String> columns, List<ColumnType> types) {
        return java.util.Optional.empty();
    }

    /**
     * GRANT statement, or empty where the warehouse has no privileges (DuckDB); warehouses whose syntax names
     * the kind of relation override it.
     */
    default java.util.Optional<String> grantSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return java.util.Optional.of("grant " + privilege + " on " + render(r) + " to " + quote(grantee));
    }

    /**
     * The query listing the privileges others hold on a relation (dbt's get_show_grant_sql), read with
     * {@link #grantOf}; empty where the warehouse has no privileges, and then nothing is revoked.
     */
    default java.util.Optional<String> showGrantsSql(Relation r, RelationKind kind) {
        return java.util.Optional.empty();
    }

    /** A row of {@link #showGrantsSql} as [privilege, grantee], or empty for a row that is no revocable grant (ownership). */
    default java.util.Optional<List<String>> grantOf(Map<String, Object> row) {
        return java.util.Optional.empty();
    }

    /** REVOKE statement, the counterpart of {@link #grantSql}. */
    default java.util.Optional<String> revokeSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return java.util.Optional.of("revoke " + privilege + " on " + render(r) + " from " + quote(grantee));
    }

    /** A parse-only check of SQL the engine's own parser rejected; empty when this warehouse can't tell. */
    default Optional<SqlSyntaxError> checkSyntax(Session session, String sql) {
        return Optional.empty();
    }

    /**
     * What the warehouse does with a constraint of this type (not_null, unique, primary_key, foreign_key, check)
     * in a model's DDL; the default is dbt's base adapter's.
     */
    default ConstraintSupport constraintSupport(String type) {
        return switch (type) {
            case "not_null", "foreign_key" -> ConstraintSupport.ENFORCED;
            case "unique", "primary_key" -> ConstraintSupport.NOT_ENFORCED;
            default -> ConstraintSupport.NOT_SUPPORTED;
        };
    }

    /**
     * A statement that, run first in a transaction, makes every other transaction that runs it with the same key
     * wait until this one ends, so a read-then-write on rows without a unique key runs one taker at a time; empty
     * where the warehouse has no such lock (the caller then settles races itself).
     */
    default Optional<String> exclusiveSectionSql(long key) {
        return Optional.empty();
    }

    /**
     * Runs {@code work} so that no other caller in this process runs work of the same section against the same
     * database meanwhile. For a warehouse whose concurrent updates of one table from connections of one process
     * are not safe; elsewhere (the default) it just runs the work, and the warehouse settles concurrent writes.
     */
    default <T> T inProcessSection(String section, java.util.function.Supplier<T> work) {
        return work.get();
    }

    /** Whether DDL is transactional: a failed create-and-insert rolls back to the previous table (DuckDB, PostgreSQL). */
    default boolean transactionalDdl() {
        return false;
    }

    /** What `debug` prints: where this adapter connects, without secrets. */
    String describe();

    @Override
    void close();
}
