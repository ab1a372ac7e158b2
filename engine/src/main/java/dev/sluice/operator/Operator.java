package dev.sluice.operator;

/**
 * Java code that runs as a node of the DAG: reads its input through the warehouse session and writes its
 * output tables. Built-in operators are listed in {@link Operators}; others can be added with
 * java.util.ServiceLoader, as connectors are in Trino's SPI.
 */
public interface Operator {
    /** The 'type' an operator entry names in a schema file. */
    String type();

    /**
     * The config keys this operator reads, besides those every operator node takes
     * ({@link OperatorConfigCheck#COMMON}): a key outside both is reported as unknown, and reading an undeclared
     * key through {@link OperatorContext} is an engine bug that fails loudly.
     */
    java.util.Set<String> configKeys();

    OperatorResult run(OperatorContext context);
}
