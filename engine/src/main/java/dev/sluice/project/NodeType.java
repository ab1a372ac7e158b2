package dev.sluice.project;

/** The kinds of resource in a project, named as dbt names them in unique ids. */
public enum NodeType {
    MODEL("model"), SEED("seed"), TEST("test"), SNAPSHOT("snapshot"), SOURCE("source"),
    /** A node run by Java code (data generator, ML training, export) that writes one or more tables. */
    OPERATOR("operator"),
    /** A dbt unit test: a model's SQL run on fixture rows and compared with expected rows. */
    UNIT_TEST("unit_test"),
    /** A downstream use of the project (dashboard, notebook, ...): in the graph for selection, never run. */
    EXPOSURE("exposure");

    private final String label;

    NodeType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
