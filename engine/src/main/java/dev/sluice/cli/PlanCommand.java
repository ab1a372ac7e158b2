package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.error.ConfigException;
import dev.sluice.state.ColumnChanges;
import dev.sluice.state.Plan;
import dev.sluice.task.PlanTask;
import dev.sluice.task.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** engine plan: what a build of the selection would do and why, with the column changes it would make; read-only. */
@Command(name = "plan", description = "Show what a build would do (new, modified, unchanged) and which column changes break downstream models; "
        + "writes nothing to the warehouse.")
final class PlanCommand extends Main.NodeCommand {
    @Mixin
    SelectionOptions selection;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (default) or json")
    String output;

    @Override
    public Integer call() throws Exception {
        if (!output.equals("text") && !output.equals("json")) throw new ConfigException("--output must be text or json, not '" + output + "'");
        Plan plan;
        try (Workspace ws = Workspace.open(selection.apply(invocation("plan")))) {
            plan = new PlanTask(ws, progress()).execute();
        }
        if (output.equals("json")) out.println(new ObjectMapper().writeValueAsString(json(plan)));
        else out.print(text(plan));
        return Main.OK;
    }

    static Map<String, Object> json(Plan plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("target", plan.target());
        doc.put("summary", plan.counts());
        doc.put("breaking_changes", plan.breakingChanges());
        List<Object> nodes = new ArrayList<>();
        for (Plan.Entry e : plan.entries()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("unique_id", e.uniqueId());
            n.put("name", e.name());
            n.put("resource_type", e.resourceType());
            n.put("relation", e.relation());
            n.put("action", e.action());
            n.put("reasons", e.reasons());
            n.put("breaking", e.breaking());
            n.put("columns_known", e.columnsKnown());
            List<Object> cols = new ArrayList<>();
            for (ColumnChanges.Change c : e.columns()) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("column", c.column());
                j.put("change", c.kind());
                if (c.oldType() != null) {
                    j.put("old_type", c.oldType());
                    j.put("new_type", c.newType());
                }
                j.put("breaking", c.breaking());
                j.put("affected", c.affected().stream().map(a -> Map.of("unique_id", a.nodeId(), "model", a.model(), "column", a.column())).toList());
                cols.add(j);
            }
            n.put("column_changes", cols);
            nodes.add(n);
        }
        doc.put("nodes", nodes);
        return doc;
    }

    static String text(Plan plan) {
        StringBuilder sb = new StringBuilder("Plan for target '").append(plan.target()).append("': ");
        List<String> parts = new ArrayList<>();
        plan.counts().forEach((a, n) -> parts.add(n + " " + a));
        sb.append(String.join(", ", parts)).append('\n');
        int width = plan.entries().stream().mapToInt(e -> e.resourceType().length() + 1 + e.name().length()).max().orElse(0);
        for (Plan.Entry e : plan.entries()) {
            sb.append("  ").append(String.format("%-9s", e.action())).append(' ')
                    .append(String.format("%-" + width + "s", e.resourceType() + " " + e.name())).append("  ").append(e.relation());
            if (!e.reasons().isEmpty()) sb.append("  (").append(String.join(", ", e.reasons())).append(')');
            sb.append('\n');
            for (ColumnChanges.Change c : e.columns()) {
                sb.append("      ").append(c.kind().equals(ColumnChanges.Change.ADDED) ? "+ " : c.kind().equals(ColumnChanges.Change.REMOVED) ? "- " : "~ ")
                        .append(c.column()).append(' ').append(c.kind());
                if (c.oldType() != null) sb.append(" (").append(c.oldType()).append(" -> ").append(c.newType()).append(')');
                sb.append(": ");
                if (c.breaking()) {
                    sb.append("BREAKING, read by ").append(String.join(", ", c.affected().stream().map(a -> a.model() + "." + a.column()).toList()));
                } else {
                    sb.append("non-breaking").append(c.kind().equals(ColumnChanges.Change.ADDED) ? "" : " (no downstream model reads it)");
                }
                sb.append('\n');
            }
        }
        long breaking = plan.breakingChanges();
        sb.append(breaking == 0 ? "No breaking column changes.\n" : breaking + " breaking column change" + (breaking == 1 ? "" : "s") + ".\n");
        return sb.toString();
    }
}
