package dev.sluice.sql;

/** One upstream column an output column is computed from. */
public record ColumnSource(TableName table, String column) {
}
