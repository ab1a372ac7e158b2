package dev.sluice.sql;

/** Where and why the parser rejected a statement; line and column 1-based within the statement. */
public record SqlSyntaxError(String message, int line, int column) {
}
