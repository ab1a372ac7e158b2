package dev.sluice.seed;

/** Logical column types a seed column can have; adapters map them to warehouse types. */
public enum ColumnType {
    BOOLEAN, BIGINT, DOUBLE, DECIMAL, DATE, TIMESTAMP, TEXT
}
