package dev.sluice.adapter;

import java.util.List;

/**
 * Takes a query's result from {@link Session#query(String, RowSink)}: its column labels once, then each row's
 * values in column order. For callers that read many rows by position, which a map per row only slows down.
 */
public interface RowSink {
    /** The result's column labels, in order, before any row. */
    void columns(List<String> labels);

    /**
     * One row: the values {@link Session#query(String)} gives, in column order. The array is reused for the next
     * row, so a sink keeps values, never the array.
     */
    void row(Object[] values);
}
