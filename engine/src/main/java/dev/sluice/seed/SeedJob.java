package dev.sluice.seed;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.materialize.Swap;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a CSV seed. The rows go to a temporary table first; then, when the table exists with the same
 * columns, its rows are replaced in one transaction (views on it survive, as in dbt); otherwise, or with
 * --full-refresh, the new table is swapped in.
 */
public final class SeedJob implements NodeJob {
    private final CompiledNode node;
    private final Adapter adapter;
    private final Path csv;
    private final boolean fullRefresh;
    /** Told once the new rows are committed (the run's state records the seed's fingerprint); null for none. */
    private final java.util.function.Consumer<Session> swapped;

    private final boolean empty;
    /** Relations the run builds after this seed: views on it among them may be left to that build (Swap). */
    private final Set<Relation> rebuiltLater;

    public SeedJob(CompiledNode node, Adapter adapter, Path projectRoot, boolean fullRefresh) {
        this(node, adapter, projectRoot, fullRefresh, null);
    }

    /** @param swapped called once the rows are committed in place (dev.sluice.state); null for none */
    public SeedJob(CompiledNode node, Adapter adapter, Path projectRoot, boolean fullRefresh,
                   java.util.function.Consumer<Session> swapped) {
        this(node, adapter, projectRoot, fullRefresh, swapped, false);
    }

    /** @param empty --empty: the table is made with the columns and types of a full load, without rows (dbt 1.8) */
    public SeedJob(CompiledNode node, Adapter adapter, Path projectRoot, boolean fullRefresh,
                   java.util.function.Consumer<Session> swapped, boolean empty) {
        this(node, adapter, projectRoot, fullRefresh, swapped, empty, Set.of());
    }

    /** @param rebuiltLater relations this run builds after the seed (the views on it that it selects) */
    public SeedJob(CompiledNode node, Adapter adapter, Path projectRoot, boolean fullRefresh,
                   java.util.function.Consumer<Session> swapped, boolean empty, Set<Relation> rebuiltLater) {
        this.rebuiltLater = java.util.Objects.requireNonNull(rebuiltLater); // read-only, possibly lazy: not copied
        this.empty = empty;
        this.swapped = swapped;
        this.node = node;
        this.adapter = adapter;
        this.csv = projectRoot.resolve(node.node().file());
        this.fullRefresh = dev.sluice.project.Configs.fullRefresh(node.config(), fullRefresh);
    }

    @Override
    public String uniqueId() {
        return node.uniqueId();
    }

    @Override
    public String describe() {
        return "seed file " + node.relation().display();
    }

    @Override
    public String kind() {
        return "seed";
    }

    /** Reads the file without loading it; a malformed file throws a ConfigException naming its line. */
    public void validate() {
        SeedOptions.reader(node.config(), csv).read(csv, columnTypes());
    }

    @Override
    public NodeResult execute(Session s) {
        Instant start = Instant.now();
        Map<String, String> overrides = columnTypes();
        CsvTable read = SeedOptions.reader(node.config(), csv).read(csv, overrides);
        CsvTable table = new CsvTable(SeedOptions.columnNames(node.config(), read.columns(), adapter::foldUnquoted, csv),
                read.types(), empty ? List.of() : read.rows());
        Relation target = node.relation();
        // A seed's pre-hooks and post-hooks run around its load, as a model's do.
        dev.sluice.materialize.Hooks.before(s, node);
        Relation tmp = Swap.temp(target);
        Swap swap = new Swap(adapter, swapped, rebuiltLater);
        swap.dropLeftovers(s, target);
        List<String> defs = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            String c = table.columns().get(i);
            String override = lookup(overrides, c);
            defs.add(adapter.quote(c) + " " + (override != null ? override : adapter.typeFor(table.types().get(i))));
        }
        s.execute(adapter.createTableColumnsSql(tmp, defs));
        long rows;
        try {
            rows = s.load(tmp, table, overrides);
        } catch (RuntimeException e) {
            swap.dropIfExists(s, tmp);
            throw e;
        }
        narrowWholeNumbers(s, tmp, table, overrides);
        List<ColumnInfo> existing = s.relationKind(target).filter(k -> k == RelationKind.TABLE).isPresent()
                ? s.columns(target) : List.of();
        if (!fullRefresh && !existing.isEmpty() && existing.equals(s.columns(tmp))) {
            List<String> statements = new ArrayList<>(adapter.replaceRowsSql(target, tmp));
            statements.add(adapter.dropSql(tmp, RelationKind.TABLE));
            s.transaction(statements);
            if (swapped != null) swapped.accept(s);
        } else {
            swap.swapIn(s, target, RelationKind.TABLE);
        }
        dev.sluice.materialize.Hooks.after(s, node, adapter);
        return new NodeResult(uniqueId(), NodeStatus.SUCCESS, "INSERT " + rows, start, Instant.now(), null, null,
                Map.of("rows_affected", rows, "code", "INSERT"));
    }

    /**
     * dbt types a seed column of whole numbers integer (agate's Integer; dbt-postgres and dbt-duckdb alike). Loaded
     * as bigint, such a column is narrowed when every value fits; one with a value past 2^31, which dbt could not
     * load, stays bigint. column_types overrides win.
     */
    private void narrowWholeNumbers(Session s, Relation tmp, CsvTable table, Map<String, String> overrides) {
        for (int i = 0; i < table.columns().size(); i++) {
            String c = table.columns().get(i);
            if (table.types().get(i) != ColumnType.BIGINT || lookup(overrides, c) != null) continue;
            boolean fits = true;
            for (List<Object> row : table.rows()) {
                if (row.get(i) instanceof Number n && (n.longValue() < Integer.MIN_VALUE || n.longValue() > Integer.MAX_VALUE)) {
                    fits = false;
                    break;
                }
            }
            String sql = fits ? adapter.narrowToIntegerSql(tmp, c) : null;
            if (sql != null) s.execute(sql);
        }
    }

    private Map<String, String> columnTypes() {
        Map<String, String> out = new LinkedHashMap<>();
        Object ct = node.config().get("column_types");
        if (ct instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    private static String lookup(Map<String, String> m, String key) {
        for (Map.Entry<String, String> e : m.entrySet()) if (e.getKey().equalsIgnoreCase(key)) return e.getValue();
        return null;
    }
}
