package dev.sluice.adapter;

/** A column of a relation as the warehouse reports it. */
public record ColumnInfo(String name, String dataType) {
}
