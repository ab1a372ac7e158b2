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

    /** A parse-only check of SQL the engine's own parser rejected; empty when this warehouse can't tell. */
    default Optional<SqlSyntaxError> checkSyntax(Session session, String sql) {
        return Optional.empty();
    }

    /** What `debug` prints: where this adapter connects, without secrets. */
    String describe();

    @Override
    void close();
}
