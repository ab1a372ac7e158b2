package dev.sluice.compile;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.template.JinjaObject;

import java.util.List;
import java.util.Map;

/**
 * dbt's Relation as templates see it (what ref(), source(), {{ this }}, adapter.get_relation and
 * api.Relation.create give): prints as the quoted relation name and has database, schema, identifier, name,
 * type, is_table, is_view, include(), render(), incorporate(), without_identifier() and information_schema().
 */
public final class RelationRef implements JinjaObject {
    private final Relation relation;
    private final String rendered;
    /** The relation's own name: what render() gives even when the ref prints as a subquery, as dbt's. */
    private final String ownName;
    private final Adapter adapter;
    private final RelationKind kind;
    private final boolean cte;

    private RelationRef(Relation relation, String rendered, Adapter adapter, RelationKind kind, boolean cte) {
        this(relation, rendered, rendered, adapter, kind, cte);
    }

    private RelationRef(Relation relation, String rendered, String ownName, Adapter adapter, RelationKind kind, boolean cte) {
        this.relation = relation;
        this.rendered = rendered;
        this.ownName = ownName;
        this.adapter = adapter;
        this.kind = kind;
        this.cte = cte;
    }

    static RelationRef of(Relation r, Adapter adapter) {
        return of(r, adapter, null);
    }

    static RelationRef of(Relation r, Adapter adapter, RelationKind kind) {
        return new RelationRef(r, adapter.render(r), adapter, kind, false);
    }

    /**
     * The same relation printing as other SQL (--empty's zero-row subquery, a microbatch input's filter); render()
     * still gives its name, so DDL on it (alter_column_type in an --empty run) names the table, as in dbt.
     */
    static RelationRef printingAs(RelationRef r, String text) {
        return new RelationRef(r.relation, text, r.ownName, r.adapter, r.kind, r.cte);
    }

    /** An ephemeral model is referenced by the name of the CTE it is inlined as. */
    static RelationRef cte(String cteName) {
        return new RelationRef(new Relation(null, null, cteName), cteName, null, null, true);
    }

    public Relation relation() {
        return relation;
    }

    RelationKind kind() {
        return kind;
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

    @Override
    public Object attribute(String name) {
        return switch (name) {
            case "database" -> relation.database();
            case "schema" -> relation.schema();
            case "identifier", "name", "table" -> relation.identifier();
            case "type" -> kind == null ? null : kind.sql();
            case "is_table" -> kind == RelationKind.TABLE;
            case "is_view" -> kind == RelationKind.VIEW;
            case "is_cte" -> cte;
            case "is_materialized_view" -> false;
            // dbt's Relation is a dict with metadata.type naming its class; packages test for it (dbt_utils._is_relation).
            case "metadata" -> Map.of("type", "BaseRelation");
            case "path" -> Map.of("database", String.valueOf(relation.database()), "schema",
                    String.valueOf(relation.schema()), "identifier", relation.identifier());
            default -> MISSING;
        };
    }

    @Override
    public Object method(String name, List<Object> args, Map<String, Object> kw) {
        return switch (name) {
            case "render" -> ownName;
            case "include" -> include(flag(kw, "database", args, 0), flag(kw, "schema", args, 1), flag(kw, "identifier", args, 2));
            case "without_identifier" -> partial(relation.database(), relation.schema(), null);
            case "information_schema" -> informationSchema(args.isEmpty() ? kw.get("view_name") : args.get(0));
            case "information_schema_only" -> informationSchema(null);
            case "quote", "replace_path" -> this;
            case "incorporate" -> incorporate(kw);
            case "get" -> { // relations also answer dict-style access in some packages
                Object v = attribute(String.valueOf(args.get(0)));
                yield v == MISSING ? (args.size() > 1 ? args.get(1) : null) : v;
            }
            default -> MISSING;
        };
    }

    private static boolean flag(Map<String, Object> kw, String key, List<Object> args, int pos) {
        Object v = kw.containsKey(key) ? kw.get(key) : pos < args.size() ? args.get(pos) : Boolean.TRUE;
        return !(v instanceof Boolean b) || b;
    }

    private Object include(boolean database, boolean schema, boolean identifier) {
        return partial(database ? relation.database() : null, schema ? relation.schema() : null,
                identifier ? relation.identifier() : null);
    }

    /** A relation printed with some of its parts only (include(database=False), without_identifier()). */
    private Object partial(String database, String schema, String identifier) {
        if (adapter == null) return this;
        StringBuilder sb = new StringBuilder();
        for (String part : new String[] {database, schema, identifier}) {
            if (part == null) continue;
            if (sb.length() > 0) sb.append('.');
            sb.append(adapter.quote(part));
        }
        Relation r = new Relation(database, schema, identifier == null ? "" : identifier);
        return new RelationRef(r, sb.toString(), adapter, kind, false);
    }

    /**
     * dbt's InformationSchema: {@code <database>.INFORMATION_SCHEMA[.<view>]}, the database quoted as the
     * relation's, the rest not (audit_helper reads {@code relation.information_schema('columns')}).
     */
    private Object informationSchema(Object view) {
        if (adapter == null) return MISSING;
        String viewName = view instanceof String v ? v : null;
        StringBuilder sb = new StringBuilder();
        if (relation.database() != null) sb.append(adapter.quote(relation.database())).append('.');
        sb.append("INFORMATION_SCHEMA");
        if (viewName != null) sb.append('.').append(viewName);
        Relation r = new Relation(relation.database(), null, viewName == null ? "INFORMATION_SCHEMA" : viewName);
        return new RelationRef(r, sb.toString(), adapter, RelationKind.VIEW, false);
    }

    private Object incorporate(Map<String, Object> kw) {
        Relation r = relation;
        if (kw.get("path") instanceof Map<?, ?> path) {
            r = new Relation(path.containsKey("database") ? str(path.get("database")) : r.database(),
                    path.containsKey("schema") ? str(path.get("schema")) : r.schema(),
                    path.containsKey("identifier") ? str(path.get("identifier")) : r.identifier());
        }
        RelationKind k = kw.containsKey("type") ? kindOf(kw.get("type")) : kind;
        return adapter == null ? this : of(r, adapter, k);
    }

    static RelationKind kindOf(Object type) {
        if (type == null) return null;
        return switch (String.valueOf(type).toLowerCase(java.util.Locale.ROOT)) {
            case "table" -> RelationKind.TABLE;
            case "view" -> RelationKind.VIEW;
            default -> null;
        };
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    @Override
    public boolean isMapping() {
        return true;
    }

    @Override
    public String jinjaName() {
        return "relation " + rendered;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelationRef r && r.rendered.equals(rendered);
    }

    @Override
    public int hashCode() {
        return rendered.hashCode();
    }

    @Override
    public String toString() {
        return rendered;
    }
}
