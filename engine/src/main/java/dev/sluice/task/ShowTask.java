package dev.sluice.task;

import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.ConfigException;

import java.util.List;
import java.util.Map;

/**
 * show: compiles one node (or an inline snippet) and runs its query against the target, as dbt show does. Read-only:
 * the query is only selected from, never built, so an upstream ref that was not built fails with the warehouse's error.
 */
public final class ShowTask {
    /** What show returns: the node's name and its rows, in the query's column order. */
    public record Preview(String node, List<Map<String, Object>> rows) {
    }

    private final Workspace ws;

    public ShowTask(Workspace ws) {
        this.ws = ws;
    }

    /** limit below 0 means no limit (dbt's --limit -1). */
    public Preview execute(String nodeName, int limit) {
        return execute(m -> m.nodes().values().stream().filter(x -> x.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> new ConfigException("show: no node named '" + nodeName + "' in the project")), limit);
    }

    /** show --selector NAME: the selector of selectors.yml must pick exactly one node that has SQL. */
    public Preview executeSelector(dev.sluice.graph.YamlSelectors.Chosen selector, int limit) {
        return execute(m -> {
            ProjectGraph graph = new ProjectGraph(m);
            List<CompiledNode> picked = graph.select(selector.spec(), null)
                    .stream().map(m::node).filter(n -> n != null && n.node().type() != dev.sluice.project.NodeType.TEST
                            && n.node().type() != dev.sluice.project.NodeType.UNIT_TEST).toList();
            if (picked.size() != 1) {
                throw new ConfigException("show previews one node, but selector '" + selector.name() + "' selects "
                        + picked.size() + (picked.isEmpty() ? "" : " (" + String.join(", ", picked.stream().map(CompiledNode::name).limit(5).toList())
                        + (picked.size() > 5 ? ", ..." : "") + ")"));
            }
            return picked.get(0);
        }, limit);
    }

    private Preview execute(java.util.function.Function<Manifest, CompiledNode> pick, int limit) {
        dev.sluice.state.StateManifest previous = StateRun.previous(ws);
        try (Session s = ws.openSession()) {
            Manifest compiled = ws.compile(s);
            CompiledNode found = pick.apply(compiled);
            String nodeName = found.name();
            // With --defer, what the node reads and the target lacks comes from the --state run.
            Manifest m = StateRun.defer(ws, compiled, java.util.Set.of(found.uniqueId()), previous, null);
            CompiledNode n = m.node(found.uniqueId());
            m.requireCompiled(List.of(n.uniqueId()));
            if (n.compiledSql() == null || n.compiledSql().isBlank()) {
                throw new ConfigException("show: node '" + nodeName + "' has no SQL to run");
            }
            // The node's SQL as a subquery, so a limit works whatever the query ends with (dbt wraps it too).
            String sql = "select * from (\n" + n.compiledSql().strip().replaceAll(";+$", "") + "\n) as sluice_show"
                    + (limit >= 0 ? " limit " + limit : "");
            try {
                return new Preview(n.name(), s.query(sql));
            } catch (dev.sluice.error.DatabaseException e) {
                // One line (the warehouse's first), and exit 1 as dbt show's failing query: the input was valid.
                String first = e.getMessage().strip().lines().findFirst().orElse("");
                throw new dev.sluice.error.DatabaseException(first, e) {
                    @Override
                    public int exitCode() {
                        return 1;
                    }
                };
            }
        } catch (dev.sluice.error.EngineException e) {
            throw e.masked(ws.secrets()::mask);
        }
    }
}
