package dev.sluice.quality;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Ctes;
import dev.sluice.compile.UnitTestPlan;
import dev.sluice.error.CompilationException;
import dev.sluice.error.ConfigException;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.project.UnitTestSpec;
import dev.sluice.seed.CsvReader;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a dbt unit test: the model's SQL over fixture CTEs (each input's rows cast to the types of the input's
 * real columns, missing columns null), built into a scratch table beside the model, whose rows are compared as a
 * multiset with the expected rows cast to the scratch table's types, on the columns the expectation names.
 * A difference fails the test with both sides shown.
 */
public final class UnitTestJob implements NodeJob {
    private final CompiledNode node;
    private final UnitTestPlan plan;
    private final Adapter adapter;

    public UnitTestJob(CompiledNode node, UnitTestPlan plan, Adapter adapter) {
        this.node = node;
        this.plan = plan;
        this.adapter = adapter;
    }

    @Override
    public String uniqueId() {
        return node.uniqueId();
    }

    @Override
    public String describe() {
        String v = plan.spec().version();
        return "unit_test " + plan.spec().model() + (v != null ? ".v" + v : "") + "::" + node.name();
    }

    @Override
    public String kind() {
        return "unit test";
    }

    @Override
    public NodeResult execute(Session s) {
        Instant start = Instant.now();
        StringBuilder ctes = new StringBuilder();
        for (UnitTestPlan.Input in : plan.inputs()) {
            ctes.append(in.cte()).append(" as (\n").append(inputSql(s, in)).append("\n),\n");
        }
        String sql = ctes.length() == 0 ? node.compiledSql() : Ctes.prepend(node.compiledSql(), ctes.toString());
        Relation scratch = plan.model().withIdentifier(plan.model().identifier() + "__sluice_unit_" + Integer.toHexString(
                node.uniqueId().hashCode() & 0xfffffff));
        s.execute(adapter.dropSql(scratch, RelationKind.TABLE));
        s.execute(adapter.createTableSql(scratch, sql));
        List<Map<String, Object>> actual;
        List<Map<String, Object>> expected;
        try {
            List<ColumnInfo> out = s.columns(scratch);
            UnitTestSpec.Fixture expect = plan.spec().expect();
            String expectedSql = expect.format().equals("sql") ? expect.text()
                    : rowsSql(rows(expect), named(out, rows(expect)), "expect");
            expected = s.query(expectedSql);
            List<String> names = expected.isEmpty() ? columnsOf(expect, out) : new ArrayList<>(expected.get(0).keySet());
            List<String> select = new ArrayList<>();
            for (String name : names) {
                ColumnInfo c = find(out, name);
                if (c == null) {
                    throw new CompilationException("unit test '" + node.name() + "' expects column '" + name + "', which "
                            + "model '" + plan.spec().model() + "' does not return " + out.stream().map(ColumnInfo::name).toList(),
                            expect.location());
                }
                select.add(adapter.quote(c.name()) + " as " + adapter.quote(name));
            }
            actual = s.query("select " + String.join(", ", select) + " from " + adapter.render(scratch));
        } finally {
            s.execute(adapter.dropSql(scratch, RelationKind.TABLE));
        }
        List<String> missing = difference(expected, actual);
        List<String> extra = difference(actual, expected);
        if (missing.isEmpty() && extra.isEmpty()) {
            return new NodeResult(uniqueId(), NodeStatus.PASS, "PASS", start, Instant.now(), 0L, null, Map.of());
        }
        StringBuilder diff = new StringBuilder("actual differs from expected (" + actual.size() + " actual rows, "
                + expected.size() + " expected):");
        for (String m : missing) diff.append("\n- expected, not returned: ").append(m);
        for (String e : extra) diff.append("\n+ returned, not expected: ").append(e);
        return new NodeResult(uniqueId(), NodeStatus.FAIL, "FAIL", start, Instant.now(),
                (long) (missing.size() + extra.size()), diff.toString(), Map.of());
    }

    /** A fixture's SQL: sql as written, or its rows cast to the input relation's column types. */
    private String inputSql(Session s, UnitTestPlan.Input in) {
        if (in.fixture().format().equals("sql")) return in.fixture().text();
        List<ColumnInfo> columns = s.columns(in.relation());
        if (columns.isEmpty()) {
            throw new ConfigException("unit test '" + node.name() + "': " + in.input() + " has no table or view "
                    + in.relation().display() + " to take column types from; build it first (build runs it before "
                    + "the unit test)", in.fixture().location());
        }
        return rowsSql(rows(in.fixture()), columns, in.input());
    }

    private List<Map<String, Object>> rows(UnitTestSpec.Fixture f) {
        if (f.format().equals("csv")) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, String> r : CsvReader.rows(f.text(), f.location())) {
                Map<String, Object> row = new LinkedHashMap<>();
                // An empty csv field is null, as in dbt's csv fixtures.
                r.forEach((k, v) -> row.put(k, v.isEmpty() ? null : v));
                out.add(row);
            }
            return out;
        }
        return f.rows();
    }

    /** The model's columns that the expected rows name (dbt compares only those), all of them with no rows. */
    private static List<ColumnInfo> named(List<ColumnInfo> out, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) return out;
        return out.stream().filter(c -> rows.stream().anyMatch(r -> r.keySet().stream()
                .anyMatch(k -> k.equalsIgnoreCase(c.name())))).toList();
    }

    /** The column names of an expectation with no rows: those of its header (csv) or all the model's. */
    private List<String> columnsOf(UnitTestSpec.Fixture f, List<ColumnInfo> out) {
        if (f.format().equals("csv")) {
            List<String> header = CsvReader.header(f.text(), f.location());
            if (!header.isEmpty()) return header;
        }
        return out.stream().map(ColumnInfo::name).toList();
    }

    /**
     * select cast(v as type) as col, ... union all ...; every column of the relation, null where a row leaves it
     * out; no rows gives an empty result of the same shape.
     */
    private String rowsSql(List<Map<String, Object>> rows, List<ColumnInfo> columns, String what) {
        for (Map<String, Object> row : rows) {
            for (String k : row.keySet()) {
                if (find(columns, k) == null) {
                    throw new ConfigException("unit test '" + node.name() + "': column '" + k + "' of " + what
                            + " is not one of " + columns.stream().map(ColumnInfo::name).toList(), plan.spec().location());
                }
            }
        }
        List<String> selects = new ArrayList<>();
        for (Map<String, Object> row : rows.isEmpty() ? List.<Map<String, Object>>of(Map.of()) : rows) {
            Map<String, Object> byLower = new HashMap<>();
            row.forEach((k, v) -> byLower.put(k.toLowerCase(Locale.ROOT), v));
            List<String> cols = new ArrayList<>();
            for (ColumnInfo c : columns) {
                Object v = byLower.get(c.name().toLowerCase(Locale.ROOT));
                cols.add("cast(" + literal(v) + " as " + c.dataType() + ") as " + adapter.quote(c.name()));
            }
            selects.add("select " + String.join(", ", cols) + (rows.isEmpty() ? " where 1 = 0" : ""));
        }
        return String.join("\nunion all\n", selects);
    }

    private static String literal(Object v) {
        if (v == null) return "null";
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        return "'" + v.toString().replace("'", "''") + "'";
    }

    private static ColumnInfo find(List<ColumnInfo> columns, String name) {
        for (ColumnInfo c : columns) if (c.name().equalsIgnoreCase(name)) return c;
        return null;
    }

    /** Rows of a not matched by a row of b, each b row matching once (a multiset difference). */
    private static List<String> difference(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        Map<String, Integer> counts = new HashMap<>();
        for (Map<String, Object> r : b) counts.merge(key(r), 1, Integer::sum);
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : a) {
            String k = key(r);
            if (counts.getOrDefault(k, 0) > 0) counts.merge(k, -1, Integer::sum);
            else out.add(k);
        }
        return out;
    }

    /** Values compared as text, with decimals without trailing zeros: both sides have the same column types. */
    private static String key(Map<String, Object> row) {
        List<String> parts = new ArrayList<>();
        row.forEach((k, v) -> parts.add(k.toLowerCase(Locale.ROOT) + "=" + (v instanceof BigDecimal d
                ? d.stripTrailingZeros().toPlainString() : String.valueOf(v))));
        return "{" + String.join(", ", parts) + "}";
    }
}
