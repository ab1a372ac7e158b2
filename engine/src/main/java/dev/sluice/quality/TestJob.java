package dev.sluice.quality;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.materialize.Swap;
import dev.sluice.project.Configs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs a data test: its SQL selects failing rows; the count against warn_if / error_if and the severity
 * decides PASS, WARN or FAIL. With store_failures the failing rows are kept in an audit table.
 */
public final class TestJob implements NodeJob {
    private final CompiledNode node;
    private final Adapter adapter;
    private final boolean storeFailures;
    /** What the failing rows are kept as, when they are kept. */
    private final RelationKind storeKind;
    /** The compile error of a store_failures_as that is not ephemeral, table or view; null when it is one. */
    private final String invalidStoreAs;
    private final String severity;
    private final Threshold warnIf;
    private final Threshold errorIf;

    /** Renders the test's SQL again on the running session, for templates that query the warehouse; or null. */
    private final java.util.function.Function<Session, String> sqlAtRun;

    public TestJob(CompiledNode node, Adapter adapter, boolean storeFailuresFlag) {
        this(node, adapter, storeFailuresFlag, null);
    }

    public TestJob(CompiledNode node, Adapter adapter, boolean storeFailuresFlag,
                   java.util.function.Function<Session, String> sqlAtRun) {
        this.sqlAtRun = sqlAtRun;
        this.node = node;
        this.adapter = adapter;
        Map<String, Object> c = node.config();
        SourceLocation where = node.node().test() != null ? node.node().test().location() : SourceLocation.of(node.node().file());
        // store_failures_as, where given at any level, decides (dbt 1.7): ephemeral keeps nothing, table or view
        // keeps the failing rows as that; otherwise store_failures or --store-failures keep them as a table.
        Object as = c.get("store_failures_as");
        String asText = as == null ? null : as.toString().strip().toLowerCase(java.util.Locale.ROOT);
        if (asText != null && !java.util.Set.of("ephemeral", "table", "view").contains(asText)) {
            this.invalidStoreAs = "'" + as + "' is not a valid value for `store_failures_as` of test '" + node.name()
                    + "'. Accepted values are: ['ephemeral', 'table', 'view']";
            asText = "ephemeral";
        } else {
            this.invalidStoreAs = null;
        }
        this.storeFailures = asText != null ? !asText.equals("ephemeral")
                : storeFailuresFlag || Configs.bool(c.get("store_failures"), false);
        this.storeKind = "view".equals(asText) ? RelationKind.VIEW : RelationKind.TABLE;
        this.severity = c.get("severity") == null ? "error" : c.get("severity").toString().toLowerCase();
        if (!severity.equals("error") && !severity.equals("warn")) {
            throw new ConfigException("severity of test '" + node.name() + "' must be 'error' or 'warn', got '" + severity + "'", where);
        }
        this.warnIf = Threshold.parse(c.get("warn_if"), "warn_if", where);
        this.errorIf = Threshold.parse(c.get("error_if"), "error_if", where);
    }

    @Override
    public String uniqueId() {
        return node.uniqueId();
    }

    @Override
    public String describe() {
        return "test " + node.name();
    }

    @Override
    public String kind() {
        return "data test";
    }

    /** Whether this test keeps its failing rows; the run creates their schema before any test starts. */
    public boolean storesFailures() {
        return storeFailures;
    }

    @Override
    public NodeResult execute(Session s) {
        Instant start = Instant.now();
        if (invalidStoreAs != null) {
            throw new dev.sluice.error.CompilationException(invalidStoreAs, SourceLocation.of(node.node().file()));
        }
        String sql = sqlAtRun == null ? node.compiledSql() : sqlAtRun.apply(s);
        Object limit = node.config().get("limit");
        if (limit != null) sql = "select * from (\n" + sql + "\n) dbt_limit limit " + Long.parseLong(limit.toString().trim());
        String from;
        if (storeFailures) {
            String body = sql;
            new Swap(adapter).replaceWith(s, node.relation(), storeKind, body);
            from = adapter.render(node.relation());
        } else {
            from = "(\n" + sql + "\n) dbt_internal_test";
        }
        // fail_calc: how the failing rows count (dbt_utils' equal_rowcount sums a difference column); an empty
        // sum is no failure, as dbt's comparisons with NULL are false.
        Object calc = node.config().get("fail_calc");
        String failCalc = calc == null || calc.toString().isBlank() ? "count(*)" : calc.toString().strip();
        List<Map<String, Object>> rows = s.query("select " + failCalc + " as failures from " + from);
        Object counted = rows.get(0).values().iterator().next();
        long failures = counted == null ? 0L : counted instanceof Number n ? n.longValue()
                : Math.round(Double.parseDouble(counted.toString()));
        NodeStatus status;
        if (severity.equals("error") && errorIf.holds(failures)) status = NodeStatus.FAIL;
        else if (warnIf.holds(failures)) status = NodeStatus.WARN;
        else status = NodeStatus.PASS;
        String detail = null;
        if (status != NodeStatus.PASS) {
            Threshold t = status == NodeStatus.FAIL ? errorIf : warnIf;
            detail = "Got " + failures + " result" + (failures == 1 ? "" : "s") + ", configured to "
                    + (status == NodeStatus.FAIL ? "fail" : "warn") + " if " + t
                    + (storeFailures ? "\n  failing rows stored in " + node.relation().display() : "");
        }
        return new NodeResult(uniqueId(), status, status.json().toUpperCase(), start, Instant.now(), failures, detail,
                Map.of());
    }
}
