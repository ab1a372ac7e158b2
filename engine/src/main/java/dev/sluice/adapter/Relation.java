package dev.sluice.adapter;

/** A table or view in the warehouse. database may be null (the connection's default). */
public record Relation(String database, String schema, String identifier) {

    public Relation withIdentifier(String newIdentifier) {
        return new Relation(database, schema, newIdentifier);
    }

    /** For templates: {{ this.name }} as in dbt. */
    public String name() {
        return identifier;
    }

    /** Unquoted dotted name, for messages and progress lines. */
    public String display() {
        return (database == null ? "" : database + ".") + schema + "." + identifier;
    }
}
