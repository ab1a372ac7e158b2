package dev.sluice.adapter;

/** What a warehouse does with a constraint in a model's DDL, as dbt's adapters declare it. */
public enum ConstraintSupport {
    /** Created, and the warehouse rejects violating rows. */
    ENFORCED,
    /** Created, but only as metadata: the warehouse accepts violating rows. */
    NOT_ENFORCED,
    /** Left out of the DDL: the warehouse would reject it. */
    NOT_SUPPORTED
}
