package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.error.ConfigException;
import dev.sluice.task.Invocation;
import dev.sluice.task.ShowTask;
import dev.sluice.task.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** engine show: previews the rows of one node or an inline query, as dbt show does; builds nothing. */
@Command(name = "show", description = "Run one node's query (--select) or an inline query (--inline) and print its first rows.")
final class ShowCommand extends Main.NodeCommand {
    @Option(names = {"-s", "--select"}, paramLabel = "NODE", description = "The node to preview")
    String node;

    @Option(names = "--selector", paramLabel = "NAME", description = "A selector of selectors.yml that picks the one node to preview")
    String selector;

    @Option(names = "--inline", paramLabel = "SQL", description = "An SQL snippet to compile in the project's context and preview")
    String inline;

    @Option(names = "--limit", defaultValue = "5", description = "Rows to show (default 5; -1 for all)")
    int limit;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (default) or json")
    String output;

    @picocli.CommandLine.Mixin
    StateOptions state;

    @Override
    public Integer call() throws Exception {
        if ((node == null ? 0 : 1) + (inline == null ? 0 : 1) + (selector == null ? 0 : 1) != 1) {
            throw new ConfigException("show needs exactly one of --selector NAME, --select NODE or --inline SQL");
        }
        if (!output.equals("text") && !output.equals("json")) throw new ConfigException("--output must be text or json, not '" + output + "'");
        if (limit < -1) throw new ConfigException("--limit must be -1 (no limit) or 0 or more");
        Invocation inv = state.apply(invocation("show"));
        // Read before the project, so a wrong selector name costs nothing.
        dev.sluice.graph.YamlSelectors.Chosen chosen = selector == null ? null : selectorNamed(selector, inv);
        Workspace opened = Workspace.open(inv);
        ShowTask.Preview p;
        try (Workspace ws = inline == null ? opened : opened.withInline(inline)) {
            p = selector != null
                    ? new ShowTask(ws).executeSelector(chosen, limit)
                    : new ShowTask(ws).execute(inline == null ? node : "inline", limit);
        }
        if (output.equals("json")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("node", p.node());
            doc.put("show", p.rows());
            out.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            out.println("Previewing node '" + p.node() + "':");
            out.print(table(p.rows()));
        }
        return 0;
    }

    private static dev.sluice.graph.YamlSelectors.Chosen selectorNamed(String name, Invocation inv) {
        dev.sluice.graph.YamlSelectors.Definition d = dev.sluice.graph.YamlSelectors.load(inv.projectDir(), () -> Workspace.yamlRenderer(inv)).get(name);
        return new dev.sluice.graph.YamlSelectors.Chosen(d.name(), d.spec(), false);
    }

    /** A text table in the style of dbt's (agate's) preview: | col | ... | with a dashed rule under the header. */
    static String table(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) return "(no rows)\n";
        List<String> cols = new ArrayList<>(rows.get(0).keySet());
        int[] w = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) w[i] = cols.get(i).length();
        for (Map<String, Object> r : rows) {
            for (int i = 0; i < cols.size(); i++) w[i] = Math.max(w[i], cell(r.get(cols.get(i))).length());
        }
        StringBuilder sb = new StringBuilder();
        line(sb, cols, w);
        sb.append('|');
        for (int x : w) sb.append("-".repeat(x + 2)).append('|');
        sb.append('\n');
        for (Map<String, Object> r : rows) line(sb, cols.stream().map(c -> cell(r.get(c))).toList(), w);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        sb.append('|');
        for (int i = 0; i < cells.size(); i++) sb.append(' ').append(String.format("%-" + w[i] + "s", cells.get(i))).append(" |");
        sb.append('\n');
    }

    private static String cell(Object v) {
        return v == null ? "" : String.valueOf(v);
    }
}
