package dev.sluice.task;

import dev.sluice.adapter.CatalogRelation;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.project.NodeType;
import dev.sluice.project.SourceTable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * target/catalog.json, as dbt's {@code docs generate} writes it (catalog v1): for each model, seed, snapshot,
 * operator and source whose relation exists in the warehouse, its type (BASE TABLE, VIEW, ...), comment and
 * owner, and its columns with the types and comments the warehouse reports, in column order, as dbt-postgres
 * and dbt-duckdb read them. Relations not built yet are left out, as in dbt.
 */
public final class CatalogTask {
    private static final Set<NodeType> BUILT = Set.of(NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT, NodeType.OPERATOR);

    /** What was written: how many nodes and sources the catalog holds, and the relations that could not be read. */
    public record Result(int nodes, int sources, List<String> errors) {
    }

    private CatalogTask() {
    }

    /** Writes the catalog of manifest m; with empty, one without warehouse queries (dbt's --empty-catalog). */
    public static Result write(Workspace ws, Manifest m, boolean empty) {
        Map<String, Object> nodes = new LinkedHashMap<>();
        Map<String, Object> sources = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        if (!empty) {
            try (Session s = ws.openSession()) {
                Map<Relation, Optional<Map<String, CatalogRelation>>> schemas = new HashMap<>();
                for (CompiledNode n : m.nodes().values()) {
                    if (!BUILT.contains(n.node().type()) || n.isEphemeral() || n.relation() == null) continue;
                    Map<String, Object> t = table(ws, s, n.relation(), n.uniqueId(), schemas, errors);
                    if (t != null) nodes.put(n.uniqueId(), t);
                }
                for (Map.Entry<String, SourceTable> e : m.sources().entrySet()) {
                    SourceTable st = e.getValue();
                    Relation r = new Relation(st.database(), st.schema(), st.identifier());
                    Map<String, Object> t = table(ws, s, r, e.getKey(), schemas, errors);
                    if (t != null) sources.put(e.getKey(), t);
                }
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("dbt_schema_version", "https://schemas.getdbt.com/dbt/catalog/v1.json");
        md.put("dbt_version", dev.sluice.project.VersionRange.DBT_COMPATIBILITY.toString());
        md.put("generated_at", Instant.now().toString());
        md.put("invocation_id", ws.invocationId());
        md.put("env", Map.of());
        root.put("metadata", md);
        root.put("nodes", nodes);
        root.put("sources", sources);
        root.put("errors", errors.isEmpty() ? null : errors);
        Artifacts.write(ws.config().targetDir().resolve("catalog.json"), ws.secrets().maskTree(root));
        return new Result(nodes.size(), sources.size(), List.copyOf(errors));
    }

    /** One relation's entry, or null when it does not exist; a warehouse error is recorded and skips it. */
    private static Map<String, Object> table(Workspace ws, Session s, Relation r, String uniqueId,
                                             Map<Relation, Optional<Map<String, CatalogRelation>>> schemas,
                                             List<String> errors) {
        CatalogRelation rel;
        try {
            rel = relation(s, r, schemas);
            if (rel == null) return null;
        } catch (RuntimeException e) {
            errors.add(uniqueId + ": " + e.getMessage());
            return null;
        }
        String database = r.database() != null ? r.database() : ws.target().database();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("type", rel.type());
        meta.put("schema", r.schema());
        meta.put("name", r.identifier());
        meta.put("database", database);
        meta.put("comment", rel.comment());
        meta.put("owner", rel.owner());
        Map<String, Object> cols = new LinkedHashMap<>();
        for (CatalogRelation.Column c : rel.columns()) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("type", c.type());
            col.put("index", c.index());
            col.put("name", c.name());
            col.put("comment", c.comment());
            cols.put(c.name(), col);
        }
        // dbt-postgres' and dbt-duckdb's catalog queries return no stats columns, so dbt writes only its
        // has_stats entry, false and not included.
        Map<String, Object> hasStats = new LinkedHashMap<>();
        hasStats.put("id", "has_stats");
        hasStats.put("label", "Has Stats?");
        hasStats.put("value", false);
        hasStats.put("include", false);
        hasStats.put("description", "Indicates whether there are statistics for this table");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("metadata", meta);
        t.put("columns", cols);
        t.put("stats", Map.of("has_stats", hasStats));
        t.put("unique_id", uniqueId);
        return t;
    }

    /**
     * The relation as the catalog describes it, from one catalog query per schema where the session has one;
     * else its kind from one listing per schema (or asked per relation) and its columns, with no comment or owner.
     */
    private static CatalogRelation relation(Session s, Relation r, Map<Relation, Optional<Map<String, CatalogRelation>>> schemas) {
        Relation schema = new Relation(r.database(), r.schema(), "");
        Optional<Map<String, CatalogRelation>> catalog = schemas.computeIfAbsent(schema, s::catalog);
        if (catalog.isPresent()) return catalog.get().get(s.storedName(r.identifier()));
        RelationKind kind = kind(s, r);
        if (kind == null) return null;
        List<CatalogRelation.Column> columns = new ArrayList<>();
        for (ColumnInfo c : s.columns(r)) columns.add(new CatalogRelation.Column(c.name(), columns.size() + 1, c.dataType(), null));
        return new CatalogRelation(kind == RelationKind.VIEW ? "VIEW" : "BASE TABLE", null, null, columns);
    }

    /** The relation's kind, from one listing per schema where the session can list, else asked per relation. */
    private static RelationKind kind(Session s, Relation r) {
        Optional<Map<String, RelationKind>> listed = s.listRelations(new Relation(r.database(), r.schema(), ""));
        if (listed.isPresent()) return listed.get().get(s.storedName(r.identifier()));
        return s.relationKind(r).orElse(null);
    }
}
