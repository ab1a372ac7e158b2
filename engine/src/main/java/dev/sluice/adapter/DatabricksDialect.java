package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Databricks SQL (Spark SQL on Delta tables): backtick quoting, Delta types, and no multi-statement
 * transactions, so every replacement is a single atomic statement (CREATE OR REPLACE, INSERT OVERWRITE, MERGE)
 * instead of renames in a transaction. Shared by the Databricks adapter and the local Spark stand-in.
 */
public abstract class DatabricksDialect implements Adapter {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @Override
    public String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String typeFor(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> "boolean";
            case BIGINT -> "bigint";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal(38, 10)";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case TEXT -> "string";
        };
    }

    @Override
    public String stringType() {
        return "string";
    }

    @Override
    public String createViewSql(Relation r, String select) {
        return "create view " + render(r) + " as\n" + select;
    }

    @Override
    public String createTableSql(Relation r, String select) {
        return "create table " + render(r) + " using delta as\n" + select;
    }

    @Override
    public String createTableColumnsSql(Relation r, List<String> columnDefinitions) {
        return "create table " + render(r) + " (" + String.join(", ", columnDefinitions) + ") using delta";
    }

    /** Delta replaces a table or view in one atomic statement; only a change of kind needs a drop first. */
    /**
     * Tables here are written with CREATE TABLE AS, which takes no column constraints; dbt-databricks adds them
     * with ALTER statements afterwards, which this engine does not do (yet), so each one gets a warning instead.
     */
    @Override
    public ConstraintSupport constraintSupport(String type) {
        return ConstraintSupport.NOT_SUPPORTED;
    }

    @Override
    public boolean replacesInPlace(RelationKind kind) {
        return true;
    }

    @Override
    public List<String> replaceInPlaceSql(Relation target, RelationKind kind, Optional<RelationKind> existing, String select) {
        List<String> out = new ArrayList<>();
        if (existing.isPresent() && existing.get() != kind) out.add(dropSql(target, existing.get()));
        out.add(kind == RelationKind.VIEW
                ? "create or replace view " + render(target) + " as\n" + select
                : "create or replace table " + render(target) + " using delta as\n" + select);
        return out;
    }

    /** Seeds and ML results are loaded aside, then copied over the target in one CREATE OR REPLACE. */
    @Override
    public List<String> swapInSql(Relation target, Relation tmp, Relation backup, RelationKind kind, Optional<RelationKind> existing) {
        List<String> out = new ArrayList<>();
        if (kind == RelationKind.TABLE && existing.isPresent() && existing.get() == RelationKind.TABLE) {
            out.add("create or replace table " + render(target) + " using delta as select * from " + render(tmp));
            out.add(dropSql(tmp, RelationKind.TABLE));
            return out;
        }
        existing.ifPresent(k -> out.add(dropSql(target, k)));
        out.add(renameSql(tmp, kind, target.identifier()));
        return out;
    }

    @Override
    public String renameSql(Relation r, RelationKind kind, String newIdentifier) {
        return "alter " + kind.sql() + " " + render(r) + " rename to " + render(r.withIdentifier(newIdentifier));
    }

    /** INSERT OVERWRITE replaces a Delta table's rows atomically, where delete-then-insert would not be. */
    @Override
    public List<String> replaceRowsSql(Relation target, Relation source) {
        return List.of("insert overwrite table " + render(target) + " select * from " + render(source));
    }

    /** Delta's DELETE takes no correlated subquery; a MERGE that deletes on the staged keys does the same. */
    @Override
    public String deleteMatchingSql(Relation target, Relation source, List<String> keys, List<String> predicates) {
        String keyList = String.join(", ", keys.stream().map(this::quote).toList());
        return "merge into " + render(target) + " as dbt_internal_dest\nusing (select distinct " + keyList + " from "
                + render(source) + ") as dbt_internal_source\non " + keyJoin("dbt_internal_dest", "dbt_internal_source", keys)
                + andAll(predicates) + "\nwhen matched then delete";
    }

    @Override
    public String snapshotCloseSql(Relation target, Relation changes, List<String> keyExprs, List<String> changeKeys,
                                   String validTo, String isCurrent, String value) {
        return MergeSnapshots.close(this, target, changes, keyExprs, changeKeys, validTo, isCurrent, value);
    }

    /** COMMENT ON TABLE names views too. */
    @Override
    public String commentSql(Relation r, RelationKind kind, String comment) {
        return "comment on table " + render(r) + " is " + stringLiteral(comment);
    }

    /** Delta columns take their comment through ALTER ... ALTER COLUMN; Spark literals escape with a backslash. */
    @Override
    public String columnCommentSql(Relation r, RelationKind kind, String column, String comment) {
        if (kind == RelationKind.VIEW) {
            throw new dev.sluice.error.ConfigException("persist_docs columns: Databricks sets a view's column comments "
                    + "only when the view is created, which this engine does not do; document the columns of tables");
        }
        return "alter " + kind.sql() + " " + render(r) + " alter column " + quote(column) + " comment " + stringLiteral(comment);
    }

    @Override
    public String stringLiteral(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public Optional<String> grantSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.of("grant " + privilege + " on " + kind.sql() + " " + render(r) + " to " + quote(grantee));
    }

    /** Unity Catalog lists a table's grants with SHOW GRANTS (Principal, ActionType, ObjectType). */
    @Override
    public Optional<String> showGrantsSql(Relation r, RelationKind kind) {
        return Optional.of("show grants on " + kind.sql() + " " + render(r));
    }

    /** dbt-databricks's reading: grants on the table itself, ownership left alone. */
    @Override
    public Optional<List<String>> grantOf(java.util.Map<String, Object> row) {
        Object principal = RowValues.get(row, "Principal"), action = RowValues.get(row, "ActionType"), type = RowValues.get(row, "ObjectType");
        if (principal == null || action == null || "OWN".equalsIgnoreCase(action.toString())) return Optional.empty();
        if (type != null && !"TABLE".equalsIgnoreCase(type.toString())) return Optional.empty();
        return Optional.of(List.of(action.toString(), principal.toString()));
    }

    @Override
    public Optional<String> revokeSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.of("revoke " + privilege + " on " + kind.sql() + " " + render(r) + " from " + quote(grantee));
    }


    /**
     * One multi-row INSERT with literal values: Databricks runs each bound statement of a JDBC batch as a
     * query of its own, so literals in one statement per batch are far fewer round trips.
     *
     * @param casts per column, a type to cast the value's text to (seed column_types), or null
     */
    public String insertLiteralsSql(Relation r, List<String> columns, List<ColumnType> types, List<String> casts,
                                    List<List<Object>> rows) {
        StringBuilder sql = new StringBuilder("insert into ").append(render(r)).append(" (");
        for (int i = 0; i < columns.size(); i++) sql.append(i > 0 ? ", " : "").append(quote(columns.get(i)));
        sql.append(") values");
        for (int n = 0; n < rows.size(); n++) {
            List<Object> row = rows.get(n);
            sql.append(n > 0 ? ",\n" : "\n").append('(');
            for (int i = 0; i < row.size(); i++) {
                sql.append(i > 0 ? ", " : "");
                Object v = row.get(i);
                String cast = casts.get(i);
                if (v == null) sql.append(cast == null ? "null" : "cast(null as " + cast + ")");
                else if (cast != null) sql.append("cast(").append(string(text(v))).append(" as ").append(cast).append(')');
                else sql.append(literal(types.get(i), v));
            }
            sql.append(')');
        }
        return sql.toString();
    }

    /** A Spark SQL literal of the declared type. */
    static String literal(ColumnType type, Object v) {
        return switch (type) {
            case BIGINT -> v instanceof Number n && !(v instanceof Double || v instanceof Float || v instanceof BigDecimal)
                    ? Long.toString(n.longValue()) : "cast(" + string(text(v)) + " as bigint)";
            case DOUBLE -> "cast(" + string(text(v)) + " as double)";
            case DECIMAL -> v instanceof BigDecimal d ? "cast(" + d.toPlainString() + " as decimal(38, 10))"
                    : "cast(" + string(text(v)) + " as decimal(38, 10))";
            case BOOLEAN -> v instanceof Boolean b ? b.toString() : "cast(" + string(text(v)) + " as boolean)";
            case DATE -> "date " + string(text(v));
            case TIMESTAMP -> "timestamp " + string(text(v));
            case TEXT -> string(v.toString());
        };
    }

    private static String text(Object v) {
        if (v instanceof LocalDateTime t) return TS.format(t);
        if (v instanceof LocalDate d) return d.toString();
        if (v instanceof BigDecimal d) return d.toPlainString();
        return v.toString();
    }

    /** Spark string literals treat backslash as an escape, so both it and the quote are escaped. */
    static String string(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
