package dev.sluice.task;

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
 * operator and source whose relation exists in the warehouse, its type (BASE TABLE or VIEW) and its columns
 * with the types the warehouse reports, in column order. Relations not built yet are left out, as in dbt.
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
                Map<Relation, Optional<Map<String, RelationKind>>> schemas = new HashMap<>();
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
                                             Map<Relation, Optional<Map<String, RelationKind>>> schemas,
                                             List<String> errors) {
        List<ColumnInfo> columns;
        RelationKind kind;
        try {
            kind = kind(s, r, schemas);
            if (kind == null) return null;
            columns = s.columns(r);
        } catch (RuntimeException e) {
            errors.add(uniqueId + ": " + e.getMessage());
            return null;
        }
        String database = r.database() != null ? r.database() : ws.target().database();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("type", kind == RelationKind.VIEW ? "VIEW" : "BASE TABLE");
        meta.put("schema", r.schema());
        meta.put("name", r.identifier());
        meta.put("database", database);
        meta.put("comment", null);
        meta.put("owner", null);
        Map<String, Object> cols = new LinkedHashMap<>();
        int index = 1;
        for (ColumnInfo c : columns) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("type", c.dataType());
            col.put("index", index++);
            col.put("name", c.name());
            col.put("comment", null);
            cols.put(c.name(), col);
        }
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

    /** The relation's kind, from one listing per schema where the session can list, else asked per relation. */
    private static RelationKind kind(Session s, Relation r, Map<Relation, Optional<Map<String, RelationKind>>> schemas) {
        Relation schema = new Relation(r.database(), r.schema(), "");
        Optional<Map<String, RelationKind>> listed = schemas.computeIfAbsent(schema, s::listRelations);
        if (listed.isPresent()) return listed.get().get(s.storedName(r.identifier()));
        return s.relationKind(r).orElse(null);
    }
}
