package dev.sluice.identity;

import dev.sluice.adapter.Relation;
import dev.sluice.error.ConfigException;
import dev.sluice.ml.ResultTable;
import dev.sluice.ml.TableWriter;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorContext;
import dev.sluice.operator.OperatorResult;
import dev.sluice.seed.ColumnType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * identity_resolution: the identity graph of the input's records (seed 002 wf05). Each rule under 'rules' is
 * exact (columns that must be equal) or a similarity rule (Jaro-Winkler thresholds per column, compared within
 * blocking keys), and every pair of records a rule links is an edge (from_id, to_id, rule, score) of the first
 * output; grouping the records into people (edges taken transitively) is left to SQL downstream. Jaro-Winkler is
 * computed here rather than in the warehouse because PostgreSQL and Spark have no such function.
 *
 * <p>With evaluation_sql (records with the same columns plus truth_column, the person each belongs to) the same
 * rules match those records too, and the second output gets pairwise precision and recall, overall and per rule.
 */
public final class IdentityResolutionOperator implements Operator {
    private static final Set<String> RULE_KEYS = Set.of("name", "exact", "blocks", "similar");

    @Override
    public String type() {
        return "identity_resolution";
    }

    @Override
    public Set<String> configKeys() {
        return Set.of("id_column", "rules", "evaluation_sql", "truth_column");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        String evaluationSql = ctx.string("evaluation_sql", "");
        List<Relation> out = new ArrayList<>(ctx.outputs().values());
        int wanted = evaluationSql.isBlank() ? 1 : 2;
        if (out.size() != wanted) {
            throw new ConfigException("operator '" + ctx.node().name() + "' of type identity_resolution writes "
                    + (wanted == 1 ? "1 table (the identity graph)" : "2 tables (the identity graph, then the match quality of evaluation_sql)")
                    + ", listed under outputs; it lists " + out.size(), ctx.where());
        }
        String idColumn = ctx.string("id_column", "customer_id");
        List<MatchRule> rules = rules(ctx);
        IdentityMatcher matcher = new IdentityMatcher(rules);

        List<MatchRecord> records = records(ctx, ctx.session().query(ctx.inputSql()), idColumn, rules, null, "the input");
        List<MatchEdge> edges = matcher.match(records);
        Map<String, Long> perRule = new LinkedHashMap<>();
        rules.forEach(r -> perRule.put(r.name(), 0L));
        edges.forEach(e -> perRule.merge(e.rule(), 1L, Long::sum));
        List<List<Object>> rows = new ArrayList<>(edges.size());
        for (MatchEdge e : edges) rows.add(Arrays.asList(e.fromId(), e.toId(), e.rule(), e.score()));
        List<Object> ids = new ArrayList<>();
        records.forEach(r -> ids.add(r.id()));
        ColumnType idType = ids.stream().allMatch(i -> i instanceof Long) ? ColumnType.BIGINT : ColumnType.TEXT;
        ResultTable graph = new ResultTable(List.of("from_id", "to_id", "rule", "score"),
                List.of(idType, idType, ColumnType.TEXT, ColumnType.DOUBLE), rows);
        TableWriter writer = new TableWriter(ctx.adapter());
        long n = writer.write(ctx.session(), out.get(0), graph);
        ctx.log(records.size() + " records, " + n + " edges: " + perRule);
        String message = n + " edges among " + records.size() + " records";

        if (!evaluationSql.isBlank()) {
            String truth = ctx.string("truth_column", "person_label");
            Map<Object, String> labels = new LinkedHashMap<>();
            List<MatchRecord> labelled = records(ctx, ctx.session().query(evaluationSql), idColumn, rules, labels, "evaluation_sql");
            if (labels.isEmpty()) {
                throw new ConfigException("operator '" + ctx.node().name() + "': evaluation_sql has no column '" + truth
                        + "' (set truth_column) or no rows", ctx.where());
            }
            List<MatchQuality> quality = MatchQuality.evaluate(labelled, labels, matcher.match(labelled), rules);
            List<List<Object>> q = new ArrayList<>();
            for (MatchQuality m : quality) {
                q.add(Arrays.asList(m.scope(), m.truePairs(), m.predicted(), m.correct(), nullIfNaN(m.precision()), nullIfNaN(m.recall())));
            }
            writer.write(ctx.session(), out.get(1), new ResultTable(
                    List.of("scope", "true_pairs", "predicted_pairs", "correct_pairs", "precision", "recall"),
                    List.of(ColumnType.TEXT, ColumnType.BIGINT, ColumnType.BIGINT, ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.DOUBLE), q));
            MatchQuality all = quality.get(0);
            ctx.log(String.format(java.util.Locale.ROOT, "evaluation on %d labelled records: precision %.3f, recall %.3f (%d of %d true pairs, %d predicted)",
                    labelled.size(), all.precision(), all.recall(), all.correct(), all.truePairs(), all.predicted()));
            message += String.format(java.util.Locale.ROOT, "; labelled set precision %.3f recall %.3f", all.precision(), all.recall());
        }
        return new OperatorResult(message, n);
    }

    /** The rows as match records; labels, when given, receives each record's truth_column value. */
    private static List<MatchRecord> records(OperatorContext ctx, List<Map<String, Object>> rows, String idColumn,
                                             List<MatchRule> rules, Map<Object, String> labels, String what) {
        Set<String> columns = new LinkedHashSet<>();
        rules.forEach(r -> columns.addAll(r.columns()));
        String truth = labels == null ? null : ctx.string("truth_column", "person_label");
        if (!rows.isEmpty()) {
            Set<String> have = rows.get(0).keySet();
            List<String> needed = new ArrayList<>(columns);
            needed.add(0, idColumn);
            if (truth != null) needed.add(truth);
            for (String c : needed) {
                if (!have.contains(c)) {
                    throw new ConfigException("operator '" + ctx.node().name() + "': " + what + " has no column '" + c
                            + "' (it has " + String.join(", ", have) + ")", ctx.where());
                }
            }
        }
        List<MatchRecord> out = new ArrayList<>(rows.size());
        Set<Object> seen = new java.util.HashSet<>();
        for (Map<String, Object> row : rows) {
            Object id = id(row.get(idColumn));
            if (id == null || !seen.add(id)) {
                throw new ConfigException("operator '" + ctx.node().name() + "': " + what + " has " + (id == null ? "a null" : "a repeated")
                        + " " + idColumn + (id == null ? "" : " " + id) + "; each record needs its own id", ctx.where());
            }
            out.add(new MatchRecord(id, values(row, columns)));
            if (labels != null && row.get(truth) != null) labels.put(id, row.get(truth).toString());
        }
        if (labels != null && !labels.isEmpty() && labels.size() != out.size()) {
            throw new ConfigException("operator '" + ctx.node().name() + "': " + (out.size() - labels.size()) + " records of " + what
                    + " have no " + truth, ctx.where());
        }
        return out;
    }

    /**
     * The row's text of each column, null when absent or blank. A method of its own, so that records' loop stays
     * small: with this inline C2 compiled all of records by on-stack replacement (21-22 kB of code, JFR of a
     * 50,000-customer build).
     */
    private static Map<String, String> values(Map<String, Object> row, Set<String> columns) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String c : columns) {
            Object v = row.get(c);
            values.put(c, v == null || v.toString().isBlank() ? null : v.toString());
        }
        return values;
    }

    private static Object id(Object v) {
        if (v == null) return null;
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float) && (!(v instanceof java.math.BigDecimal b) || b.scale() <= 0)) {
            return n.longValue();
        }
        return v.toString();
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** The rules as configured; each mistake is one message naming the operator and the rule. */
    static List<MatchRule> rules(OperatorContext ctx) {
        Object value = ctx.value("rules");
        String op = "operator '" + ctx.node().name() + "'";
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new ConfigException(op + " needs 'rules': a list of {name, exact: [columns]} or {name, blocks: [[columns]], similar: {column: threshold}}", ctx.where());
        }
        List<MatchRule> rules = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m) || !(m.get("name") instanceof String name) || name.isBlank()) {
                throw new ConfigException(op + ": each rule is a mapping with a name, got " + item, ctx.where());
            }
            for (Object k : m.keySet()) {
                if (!RULE_KEYS.contains(String.valueOf(k))) {
                    throw new ConfigException(op + ", rule '" + name + "': unknown key '" + k + "' (known: name, exact, blocks, similar)", ctx.where());
                }
            }
            if (!names.add(name)) throw new ConfigException(op + ": two rules are named '" + name + "'", ctx.where());
            List<String> exact = dev.sluice.project.Configs.strings(m.get("exact"));
            Object similar = m.get("similar");
            if (exact.isEmpty() == (similar == null)) {
                throw new ConfigException(op + ", rule '" + name + "': give either 'exact' (columns) or 'similar' (column: threshold)", ctx.where());
            }
            if (!exact.isEmpty()) {
                if (m.get("blocks") != null) throw new ConfigException(op + ", rule '" + name + "': an exact rule takes no 'blocks'", ctx.where());
                rules.add(new MatchRule(name, exact, List.of(), Map.of()));
                continue;
            }
            if (!(similar instanceof Map<?, ?> sm) || sm.isEmpty()) {
                throw new ConfigException(op + ", rule '" + name + "': 'similar' maps columns to their least Jaro-Winkler similarity", ctx.where());
            }
            Map<String, Double> thresholds = new LinkedHashMap<>();
            sm.forEach((k, v) -> {
                double t;
                try {
                    t = v instanceof Number num ? num.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
                } catch (NumberFormatException e) {
                    t = Double.NaN;
                }
                if (!(t > 0 && t <= 1)) {
                    throw new ConfigException(op + ", rule '" + name + "': the threshold of '" + k + "' must be a number above 0 and at most 1, got '" + v + "'", ctx.where());
                }
                thresholds.put(String.valueOf(k), t);
            });
            List<List<String>> blocks = new ArrayList<>();
            if (m.get("blocks") instanceof List<?> bl) {
                for (Object b : bl) {
                    List<String> key = dev.sluice.project.Configs.strings(b);
                    if (!key.isEmpty()) blocks.add(key);
                }
            }
            if (blocks.isEmpty()) {
                // Comparing every pair grows with the square of the records: blocking is required, not a default.
                throw new ConfigException(op + ", rule '" + name + "': a similarity rule needs 'blocks', lists of columns candidate pairs share "
                        + "(e.g. blocks: [[state, city]])", ctx.where());
            }
            rules.add(new MatchRule(name, List.of(), blocks, thresholds));
        }
        return rules;
    }
}
