package dev.sluice.operator;

/**
 * Java code that runs as a node of the DAG: reads its input through the warehouse session and writes its
 * output tables. Built-in operators are listed in {@link Operators}; others can be added with
 * java.util.ServiceLoader, as connectors are in Trino's SPI.
 */
public interface Operator {
    /** The 'type' an operator entry names in a schema file. */
    String type();

    OperatorResult run(OperatorContext context);
}
