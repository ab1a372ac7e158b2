package dev.sluice.compile;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;

/**
 * What ref(), source() and {{ this }} give a template: prints as the quoted relation name and exposes
 * database, schema, identifier and name as dbt's Relation does.
 */
public final class RelationRef {
    private final Relation relation;
    private final String rendered;

    RelationRef(Relation relation, String rendered) {
        this.relation = relation;
        this.rendered = rendered;
    }

    static RelationRef of(Relation r, Adapter adapter) {
        return new RelationRef(r, adapter.render(r));
    }

    /** An ephemeral model is referenced by the name of the CTE it is inlined as. */
    static RelationRef cte(String cteName) {
        return new RelationRef(new Relation(null, null, cteName), cteName);
    }

    public Relation relation() {
        return relation;
    }

    public String getDatabase() {
        return relation.database();
    }

    public String getSchema() {
        return relation.schema();
    }

    public String getIdentifier() {
        return relation.identifier();
    }

    public String getName() {
        return relation.identifier();
    }

    public String getTable() {
        return relation.identifier();
    }

    @Override
    public String toString() {
        return rendered;
    }
}
