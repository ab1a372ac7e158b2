package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.error.ConfigException;
import dev.sluice.state.DataDiff;
import dev.sluice.task.DiffTask;
import dev.sluice.task.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * engine diff: compares a model's relation in the current target with the same model in another target, in the
 * warehouse. Exit code 0 when both are identical, 1 when they differ (as diff(1)), 2 on bad input.
 */
@Command(name = "diff", description = "Compare a model's rows in the current target with another target's (dev against prod): "
        + "exit 0 when identical, 1 when different.")
final class DiffCommand extends Main.NodeCommand {
    @Option(names = {"-s", "--select"}, required = true, paramLabel = "MODEL", description = "The model (seed, snapshot) to compare")
    String model;

    @Option(names = "--against", paramLabel = "TARGET", description = "The profile output to compare with (e.g. prod)")
    String against;

    @Option(names = "--against-state", paramLabel = "DIR",
            description = "Compare with the relation an earlier run built, as DIR/manifest.json records it (as --state)")
    java.nio.file.Path againstState;

    @Option(names = "--key", split = ",", paramLabel = "COLUMN",
            description = "Key columns matching rows (default: the model's unique_key or unique test)")
    List<String> key;

    @Option(names = "--limit", defaultValue = "10", description = "Rows in each sample (default 10)")
    int limit;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (default) or json")
    String output;

    @Override
    public Integer call() throws Exception {
        if (!output.equals("text") && !output.equals("json")) throw new ConfigException("--output must be text or json, not '" + output + "'");
        if (limit < 0) throw new ConfigException("--limit must be 0 or more");
        List<String> keys = key == null ? List.of() : key.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
        if ((against == null) == (againstState == null)) {
            throw new ConfigException("diff needs exactly one of --against TARGET or --against-state DIR");
        }
        DataDiff.Result r;
        try (Workspace ws = Workspace.open(invocation("diff"))) {
            r = against != null ? new DiffTask(ws).execute(model, against, keys, limit)
                    : new DiffTask(ws).executeAgainstState(model, againstState, keys, limit);
        }
        if (output.equals("json")) out.println(new ObjectMapper().writeValueAsString(json(model, r)));
        else out.print(text(model, r));
        return r.identical() ? Main.OK : Main.NODE_FAILED;
    }

    static Map<String, Object> json(String model, DataDiff.Result r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", model);
        doc.put("identical", r.identical());
        doc.put("current", side(r.current()));
        doc.put("against", side(r.against()));
        doc.put("key", r.key());
        doc.put("matched", r.matched());
        doc.put("added", r.added());
        doc.put("removed", r.removed());
        doc.put("changed_rows", r.changedRows());
        doc.put("changed_values", r.changedValues());
        Map<String, Object> cols = new LinkedHashMap<>();
        cols.put("compared", r.compared());
        cols.put("only_in_current", r.onlyInCurrent());
        cols.put("only_in_against", r.onlyInAgainst());
        cols.put("retyped", r.retyped().stream().map(t -> Map.of("column", t.column(), "current_type", t.currentType(),
                "against_type", t.againstType())).toList());
        doc.put("columns", cols);
        Map<String, Object> samples = new LinkedHashMap<>();
        samples.put("added", r.addedSample().stream().map(DiffCommand::plain).toList());
        samples.put("removed", r.removedSample().stream().map(DiffCommand::plain).toList());
        List<Object> changed = new ArrayList<>();
        for (DataDiff.ChangedRow c : r.changedSample()) {
            Map<String, Object> values = new LinkedHashMap<>();
            c.values().forEach((col, v) -> {
                Map<String, Object> pair = new LinkedHashMap<>();
                pair.put("current", jsonValue(v.current()));
                pair.put("against", jsonValue(v.against()));
                values.put(col, pair);
            });
            changed.add(Map.of("key", plain(c.key()), "values", values));
        }
        samples.put("changed", changed);
        doc.put("samples", samples);
        return doc;
    }

    private static Map<String, Object> side(DataDiff.Side s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", s.target());
        m.put("relation", s.relation().display());
        m.put("rows", s.rows());
        return m;
    }

    private static Map<String, Object> plain(Map<String, Object> row) {
        Map<String, Object> m = new LinkedHashMap<>();
        row.forEach((k, v) -> m.put(k, jsonValue(v)));
        return m;
    }

    /** Numbers, booleans and text as they are; dates, timestamps and the rest as their text. */
    private static Object jsonValue(Object v) {
        return v == null || v instanceof Number || v instanceof Boolean || v instanceof String ? v : String.valueOf(v);
    }

    static String text(String model, DataDiff.Result r) {
        String cur = r.current().target();
        String ag = r.against().target();
        StringBuilder sb = new StringBuilder();
        sb.append("Comparing '").append(model).append("': ").append(r.current().relation().display()).append(" (").append(cur)
                .append(") against ").append(r.against().relation().display()).append(" (").append(ag).append("), key ")
                .append(String.join(", ", r.key())).append('\n');
        sb.append("  rows:          ").append(r.current().rows()).append(" in ").append(cur).append(", ")
                .append(r.against().rows()).append(" in ").append(ag).append('\n');
        sb.append("  matched keys:  ").append(r.matched()).append('\n');
        sb.append("  added keys:    ").append(r.added()).append(" (only in ").append(cur).append(")\n");
        sb.append("  removed keys:  ").append(r.removed()).append(" (only in ").append(ag).append(")\n");
        if (!r.onlyInCurrent().isEmpty()) sb.append("  columns only in ").append(cur).append(": ").append(String.join(", ", r.onlyInCurrent())).append('\n');
        if (!r.onlyInAgainst().isEmpty()) sb.append("  columns only in ").append(ag).append(": ").append(String.join(", ", r.onlyInAgainst())).append('\n');
        for (DataDiff.Retyped t : r.retyped()) {
            sb.append("  column ").append(t.column()).append(" is ").append(t.currentType()).append(" in ").append(cur)
                    .append(", ").append(t.againstType()).append(" in ").append(ag).append('\n');
        }
        sb.append("  changed rows:  ").append(r.changedRows()).append(" of ").append(r.matched()).append(" matched\n");
        r.changedValues().forEach((col, n) -> {
            if (n > 0) sb.append("    ").append(col).append(": ").append(n).append(" differing value").append(n == 1 ? "" : "s").append('\n');
        });
        if (!r.addedSample().isEmpty()) {
            sb.append("Added keys (sample):\n");
            r.addedSample().forEach(k -> sb.append("  ").append(keyText(k)).append('\n'));
        }
        if (!r.removedSample().isEmpty()) {
            sb.append("Removed keys (sample):\n");
            r.removedSample().forEach(k -> sb.append("  ").append(keyText(k)).append('\n'));
        }
        if (!r.changedSample().isEmpty()) {
            sb.append("Changed rows (sample; ").append(ag).append(" -> ").append(cur).append("):\n");
            for (DataDiff.ChangedRow c : r.changedSample()) {
                sb.append("  ").append(keyText(c.key())).append(':');
                c.values().forEach((col, v) -> sb.append(' ').append(col).append(' ').append(lit(v.against())).append(" -> ")
                        .append(lit(v.current())).append(';'));
                sb.setLength(sb.length() - 1);
                sb.append('\n');
            }
        }
        sb.append(r.identical() ? "Identical.\n" : "Different.\n");
        return sb.toString();
    }

    private static String keyText(Map<String, Object> key) {
        List<String> parts = new ArrayList<>();
        key.forEach((k, v) -> parts.add(k + "=" + lit(v)));
        return String.join(", ", parts);
    }

    private static String lit(Object v) {
        return v == null ? "null" : v instanceof Number || v instanceof Boolean ? v.toString() : "'" + v + "'";
    }
}
