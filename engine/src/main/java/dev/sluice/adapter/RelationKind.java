package dev.sluice.adapter;

public enum RelationKind {
    TABLE("table"), VIEW("view");

    private final String sql;

    RelationKind(String sql) {
        this.sql = sql;
    }

    /** The keyword used in DDL (DROP TABLE, ALTER VIEW ...). */
    public String sql() {
        return sql;
    }
}
