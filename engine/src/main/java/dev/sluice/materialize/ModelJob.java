package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.error.ConfigException;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds one model with its materialization: view or table (ephemeral models are inlined, never run). */
public final class ModelJob implements NodeJob {
    private final CompiledNode node;
    private final Adapter adapter;
    private final Swap swap;

    public ModelJob(CompiledNode node, Adapter adapter) {
        this.node = node;
        this.adapter = adapter;
        this.swap = new Swap(adapter);
        String m = node.materialized();
        if (!m.equals("view") && !m.equals("table")) {
            throw new ConfigException("model '" + node.name() + "' has materialized='" + m
                    + "'; known materializations: view, table, ephemeral", dev.sluice.error.SourceLocation.of(node.node().file()));
        }
    }

    @Override
    public String uniqueId() {
        return node.uniqueId();
    }

    @Override
    public String describe() {
        return "sql " + node.materialized() + " model " + node.relation().display();
    }

    @Override
    public String kind() {
        return node.materialized() + " model";
    }

    @Override
    public NodeResult execute(Session s) {
        Instant start = Instant.now();
        String sql = node.compiledSql();
        if (node.materialized().equals("view")) {
            swap.replace(s, node.relation(), RelationKind.VIEW, tmp -> s.execute(adapter.createViewSql(tmp, sql)));
            return new NodeResult(uniqueId(), NodeStatus.SUCCESS, "OK", start, Instant.now(), null, null, Map.of());
        }
        swap.replace(s, node.relation(), RelationKind.TABLE, tmp -> s.execute(adapter.createTableSql(tmp, sql)));
        List<Map<String, Object>> rows = s.query("select count(*) as n from " + adapter.render(node.relation()));
        long n = ((Number) rows.get(0).values().iterator().next()).longValue();
        return new NodeResult(uniqueId(), NodeStatus.SUCCESS, "SELECT " + n, start, Instant.now(), null, null,
                Map.of("rows_affected", n, "code", "SELECT"));
    }
}
