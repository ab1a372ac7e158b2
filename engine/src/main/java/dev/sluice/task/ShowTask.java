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
        dev.sluice.state.StateManifest previous = StateRun.previous(ws);
        try (Session s = ws.openSession()) {
            Manifest compiled = ws.compile(s);
            CompiledNode found = compiled.nodes().values().stream().filter(x -> x.name().equals(nodeName)).findFirst()
                    .orElseThrow(() -> new ConfigException("show: no node named '" + nodeName + "' in the project"));
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
