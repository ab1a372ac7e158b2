package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import dev.sluice.sql.SqlSyntaxError;

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

    String quote(String identifier);

    default String render(Relation r) {
        String s = quote(r.schema()) + "." + quote(r.identifier());
        return r.database() == null ? s : quote(r.database()) + "." + s;
    }

    /** Warehouse type for a seed column. */
    String typeFor(ColumnType type);

    default String createSchemaSql(Relation inSchema) {
        String s = inSchema.database() == null ? quote(inSchema.schema()) : quote(inSchema.database()) + "." + quote(inSchema.schema());
        return "create schema if not exists " + s;
    }

    default String createViewSql(Relation r, String select) {
        return "create view " + render(r) + " as (\n" + select + "\n)";
    }

    default String createTableSql(Relation r, String select) {
        return "create table " + render(r) + " as (\n" + select + "\n)";
    }

    /** Drop statement; warehouses that track dependents drop them too, as dbt does. */
    default String dropSql(Relation r, RelationKind kind) {
        return "drop " + kind.sql() + " if exists " + render(r);
    }

    default String renameSql(Relation r, RelationKind kind, String newIdentifier) {
        return "alter " + kind.sql() + " " + render(r) + " rename to " + quote(newIdentifier);
    }

    /** Upsert of {@code source} into {@code target} on the key columns (SQL:2003 MERGE, in DuckDB and PostgreSQL 15+). */
    default String mergeSql(Relation target, Relation source, java.util.List<String> keys, java.util.List<String> columns) {
        StringBuilder on = new StringBuilder();
        for (String k : keys) {
            on.append(on.length() == 0 ? "" : " and ").append("dbt_internal_dest.").append(quote(k))
                    .append(" = dbt_internal_source.").append(quote(k));
        }
        StringBuilder set = new StringBuilder();
        StringBuilder cols = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        for (String c : columns) {
            if (!keys.stream().anyMatch(k -> k.equalsIgnoreCase(c))) {
                set.append(set.length() == 0 ? "" : ", ").append(quote(c)).append(" = dbt_internal_source.").append(quote(c));
            }
            cols.append(cols.length() == 0 ? "" : ", ").append(quote(c));
            vals.append(vals.length() == 0 ? "" : ", ").append("dbt_internal_source.").append(quote(c));
        }
        return "merge into " + render(target) + " as dbt_internal_dest\nusing " + render(source)
                + " as dbt_internal_source\non " + on
                + (set.length() == 0 ? "" : "\nwhen matched then update set " + set)
                + "\nwhen not matched then insert (" + cols + ") values (" + vals + ")";
    }

    /** Deletes the target rows whose key appears in source; followed by an insert, gives delete+insert. */
    default String deleteMatchingSql(Relation target, Relation source, java.util.List<String> keys) {
        StringBuilder on = new StringBuilder();
        for (String k : keys) {
            on.append(on.length() == 0 ? "" : " and ").append(render(target)).append('.').append(quote(k))
                    .append(" = dbt_internal_source.").append(quote(k));
        }
        return "delete from " + render(target) + " where exists (select 1 from " + render(source)
                + " as dbt_internal_source where " + on + ")";
    }

    default String insertSelectSql(Relation target, Relation source, java.util.List<String> columns) {
        String cols = String.join(", ", columns.stream().map(this::quote).toList());
        return "insert into " + render(target) + " (" + cols + ") select " + cols + " from " + render(source);
    }

    default String addColumnSql(Relation r, String column, String type) {
        return "alter table " + render(r) + " add column " + quote(column) + " " + type;
    }

    default String dropColumnSql(Relation r, String column) {
        return "alter table " + render(r) + " drop column " + quote(column);
    }

    /** GRANT statement, or empty where the warehouse has no privileges (DuckDB). */
    default java.util.Optional<String> grantSql(Relation r, String privilege, String grantee) {
        return java.util.Optional.of("grant " + privilege + " on " + render(r) + " to " + quote(grantee));
    }

    /** A parse-only check of SQL the engine's own parser rejected; empty when this warehouse can't tell. */
    default Optional<SqlSyntaxError> checkSyntax(Session session, String sql) {
        return Optional.empty();
    }

    /** What `debug` prints: where this adapter connects, without secrets. */
    String describe();

    @Override
    void close();
}
