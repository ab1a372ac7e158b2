package dev.sluice.quality;

import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.error.EditDistance;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.SchemaMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Seed 002's wf03 for a schema_map.yml table, against the warehouse: the source table exists, every mapped and
 * dropped column is in it, each cast starts from the type family it names, and no source column is left out
 * without being dropped. What is an error and what a warning follows the file's validation thresholds.
 */
public final class SchemaMapCheck {
    /** One finding, placed on the line of the file it is about. */
    public record Finding(boolean error, SourceLocation at, String message) {
        @Override
        public String toString() {
            return at + ": " + message;
        }
    }

    private SchemaMapCheck() {
    }

    public static List<Finding> check(SchemaMap map, SchemaMap.Table t, Relation input, Session session) {
        List<Finding> out = new ArrayList<>();
        SchemaMap.Validation v = map.validation();
        String what = "table '" + t.key() + "'";
        String rel = input.display();
        if (session.relationKind(input).isEmpty()) {
            out.add(new Finding(v.failOnMissingTable(), t.inputAt(), what + ": source table " + rel + " (" + t.input()
                    + ") is missing from the warehouse"));
            return out;
        }
        Map<String, String> actual = new LinkedHashMap<>();
        for (ColumnInfo c : session.columns(input)) actual.put(c.name().toLowerCase(Locale.ROOT), c.dataType());
        List<String> used = new ArrayList<>();
        for (SchemaMap.Column c : t.columns()) {
            if (c.src() == null) {
                // A derived column's expression is checked by the warehouse; its words still count as used columns.
                for (String word : c.derive().toLowerCase(Locale.ROOT).split("[^a-z0-9_]+")) used.add(word);
                continue;
            }
            String key = c.src().toLowerCase(Locale.ROOT);
            used.add(key);
            String got = actual.get(key);
            if (got == null) {
                out.add(new Finding(v.failOnMissingColumn(), c.location(), what + ": column '" + c.src() + "'"
                        + (c.src().equals(c.name()) ? "" : " (mapped to " + c.name() + ")") + " is missing from " + rel
                        + closest(key, actual.keySet())));
                continue;
            }
            if (c.type() != null && !compatible(c.type().family(), SourceValidationOperator.family(got))) {
                out.add(new Finding(!v.warnOnTypeMismatch(), c.location(), what + ": column '" + c.src() + "' is "
                        + got.toLowerCase(Locale.ROOT) + " in " + rel + ", mapped as " + c.type().written()
                        + ": the cast may fail or change values"));
            }
        }
        for (Map.Entry<String, SourceLocation> d : t.drop().entrySet()) {
            if (!actual.containsKey(d.getKey().toLowerCase(Locale.ROOT))) {
                out.add(new Finding(false, d.getValue(), what + ": drop names column '" + d.getKey() + "', which " + rel
                        + " does not have"));
            }
            used.add(d.getKey().toLowerCase(Locale.ROOT));
        }
        List<String> left = actual.keySet().stream().filter(c -> !used.contains(c)).toList();
        if (!left.isEmpty()) {
            out.add(new Finding(false, t.location(), what + ": " + rel + " has column(s) " + String.join(", ", left)
                    + " that are neither mapped nor dropped, so they are left out; list them under columns: or drop:"));
        }
        return out;
    }

    /** Integers widen into decimals and doubles, and the two fractional types into each other, without loss to speak of. */
    private static boolean compatible(String want, String got) {
        if (want.equals(got)) return true;
        return (want.equals("decimal") || want.equals("double")) && Pattern.matches("integer|decimal|double", got);
    }

    private static String closest(String key, Iterable<String> columns) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : columns) {
            int d = EditDistance.of(key, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best != null && bestD <= Math.max(2, key.length() / 4) ? " (did you mean '" + best + "'?)" : "";
    }
}
