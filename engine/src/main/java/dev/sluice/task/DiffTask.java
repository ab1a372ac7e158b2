package dev.sluice.task;

import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.project.Node;
import dev.sluice.project.NodeType;
import dev.sluice.project.Target;
import dev.sluice.state.DataDiff;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * diff: compares a model's relation in the current target with the same model's relation in another target of the
 * profile (dev against prod). Read-only. Both relations must be reachable from one connection of the current target
 * (the comparison is one join in the warehouse): the same database, or for DuckDB another file, attached read-only.
 */
public final class DiffTask {
    /** The name the other target's DuckDB file is attached under for the comparison. */
    static final String ATTACHED = "sluice_against";

    private final Workspace ws;

    public DiffTask(Workspace ws) {
        this.ws = ws;
    }

    /**
     * @param key the key columns given on the command line, or empty to take the model's own (unique_key, a unique
     *            test, a primary_key constraint)
     */
    public DataDiff.Result execute(String modelName, String againstTarget, List<String> key, int limit) {
        try {
            CompiledNode node = find(ws.compileForListing(), modelName);
            List<String> keyCols = key.isEmpty() ? modelKey(node) : key;
            Target current = ws.target();
            if (againstTarget.equals(current.name())) {
                throw new ConfigException("diff: --against " + againstTarget + " names the current target; pick another output of profile '"
                        + current.profile() + "' (or run with --target)");
            }
            Invocation inv = ws.invocation();
            Invocation otherInv = new Invocation(inv.command(), inv.projectDir(), inv.profilesDir(), againstTarget, inv.vars(),
                    inv.threads(), List.of(), List.of(), false, false, inv.indirectSelection(), inv.lockTimeout(), inv.flags());
            try (Workspace other = Workspace.open(otherInv)) {
                Target against = other.target();
                CompiledNode there = other.compileForListing().nodes().get(node.uniqueId());
                if (there == null) {
                    throw new ConfigException("diff: '" + modelName + "' is not enabled in target '" + againstTarget + "'");
                }
                try (Session s = ws.openSession()) {
                    Relation a = node.relation();
                    Relation b = reach(s, current, against, a, there.relation());
                    try {
                        return new DataDiff(ws.adapter()).compare(s, current.name(), a, against.name(), b, keyCols, limit);
                    } finally {
                        if (b.database() != null && b.database().equals(ATTACHED) && current.type().equals("duckdb")) {
                            s.execute("detach " + ATTACHED);
                        }
                    }
                }
            }
        } catch (EngineException e) {
            throw e.masked(ws.secrets()::mask);
        }
    }

    /**
     * Compares with the relation an earlier run built, as its manifest.json (in {@code stateDir}, as for --state)
     * records it; that relation must be reachable from the current target's connection (e.g. the production schema
     * of the same database).
     */
    public DataDiff.Result executeAgainstState(String modelName, java.nio.file.Path stateDir, List<String> key, int limit) {
        try {
            CompiledNode node = find(ws.compileForListing(), modelName);
            List<String> keyCols = key.isEmpty() ? modelKey(node) : key;
            dev.sluice.state.StateManifest state = dev.sluice.state.StateManifest.read(stateDir);
            Relation b = state.relation(node.uniqueId()).orElseThrow(() -> new ConfigException("diff: '" + modelName
                    + "' is not in " + stateDir.resolve("manifest.json")));
            if (b.equals(node.relation())) {
                throw new ConfigException("diff: the state in " + stateDir + " built '" + modelName + "' at " + b.display()
                        + ", the relation of the current target itself");
            }
            try (Session s = ws.openSession()) {
                return new DataDiff(ws.adapter()).compare(s, ws.target().name(), node.relation(), "state " + stateDir, b, keyCols, limit);
            }
        } catch (EngineException e) {
            throw e.masked(ws.secrets()::mask);
        }
    }

    private static CompiledNode find(Manifest m, String modelName) {
        CompiledNode node = m.nodes().values().stream()
                .filter(n -> n.name().equals(modelName) && Set.of(NodeType.MODEL, NodeType.SEED, NodeType.SNAPSHOT).contains(n.node().type()))
                .findFirst()
                .orElseThrow(() -> new ConfigException("diff: no model, seed or snapshot named '" + modelName + "' in the project"));
        if (node.isEphemeral()) throw new ConfigException("diff: model '" + modelName + "' is ephemeral: it has no relation to compare");
        return node;
    }

    /**
     * The other target's relation as the current target's connection names it; refuses targets that one
     * connection cannot reach, naming both.
     */
    private Relation reach(Session s, Target current, Target against, Relation a, Relation b) {
        if (!current.type().equals(against.type())) {
            throw new ConfigException("diff: targets '" + current.name() + "' (" + current.type() + ") and '" + against.name()
                    + "' (" + against.type() + ") are different warehouses; diff compares in one query on one connection");
        }
        if (current.type().equals("duckdb")) {
            String pa = current.setting("path");
            String pb = against.setting("path");
            if (pa == null || pb == null || pa.equals(":memory:") || pb.equals(":memory:")) {
                throw new ConfigException("diff: target '" + (pa == null || pa.equals(":memory:") ? current.name() : against.name())
                        + "' is an in-memory DuckDB database, which keeps nothing to compare");
            }
            if (Path.of(pa).toAbsolutePath().normalize().equals(Path.of(pb).toAbsolutePath().normalize())) return b;
            if (!java.nio.file.Files.exists(Path.of(pb))) {
                throw new ConfigException("diff: target '" + against.name() + "' has no DuckDB file at " + pb + " (build it first)");
            }
            // Read-only, so the comparison cannot change the other target; both sides then need their catalog named.
            s.execute("attach '" + pb.replace("'", "''") + "' as " + ATTACHED + " (read_only)");
            return new Relation(ATTACHED, b.schema(), b.identifier());
        }
        List<String> keys = List.of("host", "port", "account", "http_path", "server_hostname");
        List<String> differing = new ArrayList<>();
        for (String k : keys) if (!Objects.equals(current.setting(k), against.setting(k))) differing.add(k);
        boolean sameDatabase = Objects.equals(current.database(), against.database());
        if (current.type().equals("postgres") && !sameDatabase) differing.add("dbname");
        if (!differing.isEmpty()) {
            throw new ConfigException("diff: targets '" + current.name() + "' and '" + against.name() + "' differ in "
                    + String.join(", ", differing) + "; diff compares in one query, so both relations must be reachable from "
                    + "one connection of the current target (same server and database)");
        }
        // Warehouses that query across databases (Snowflake, Databricks catalogs) name the other one explicitly.
        if (!sameDatabase && b.database() == null) return new Relation(against.database(), b.schema(), b.identifier());
        return b;
    }

    /**
     * The model's key, as the project declares it: the unique_key config, else a unique (or
     * unique_combination_of_columns) test on it, else a primary_key constraint.
     */
    private List<String> modelKey(CompiledNode node) {
        Object uk = node.config().get("unique_key");
        if (uk instanceof List<?> l && !l.isEmpty()) return l.stream().map(String::valueOf).map(String::strip).toList();
        if (uk instanceof String str && !str.isBlank()) return List.of(str.split("\\s*,\\s*")).stream().map(String::strip).toList();
        for (Node n : ws.project().nodes()) {
            if (!n.isGenericTest() || !node.uniqueId().equals(n.testedId())) continue;
            String test = n.test().testName();
            String bare = test.substring(test.lastIndexOf('.') + 1);
            if (bare.equals("unique") && n.test().columnName() != null && n.test().columnName().matches("\"?[A-Za-z_][A-Za-z0-9_$]*\"?")) {
                return List.of(n.test().columnName().replace("\"", ""));
            }
            if (bare.equals("unique_combination_of_columns") && n.test().args().get("combination_of_columns") instanceof List<?> cols) {
                return cols.stream().map(String::valueOf).toList();
            }
        }
        // A contract's primary key: on the model (with its columns) or on one column.
        for (dev.sluice.project.Constraint c : dev.sluice.compile.Constraints.modelLevel(node.config())) {
            if (c.type().equals("primary_key") && !c.columns().isEmpty()) return c.columns();
        }
        for (dev.sluice.project.ColumnSpec col : node.node().columns()) {
            if (col.constraints() != null && col.constraints().stream().anyMatch(c -> c.type().equals("primary_key"))) {
                return List.of(col.name());
            }
        }
        throw new ConfigException("diff: no key for '" + node.name() + "': pass --key col[,col], or give the model a unique_key "
                + "config, a unique test on a column or a primary_key constraint");
    }
}
