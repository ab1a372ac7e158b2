package dev.sluice.serve;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Adapters;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.project.ColumnSpec;
import dev.sluice.project.Target;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's data: each query of dashboard.yml compiled once in the project's context (refs, macros), then
 * run against the target for every page view, on a connection opened for that view only, so the server never
 * keeps the warehouse (a DuckDB file) open between requests. Values are sent as the warehouse returned them;
 * PII columns (those a table lists under mask, and every column the project's schema files tag pii) are masked
 * unless the server was started to show them (--show-pii) or the target is one the project allows clear values
 * on (var('pii_clear_targets'), the list its gold tables' masking macros read).
 */
public final class Dashboard {
    private static final Pattern EMAIL = Pattern.compile("^(.)[^@]*(@.*)$");
    private static final String PII_CLEAR = "sluice_dashboard__pii_clear";
    private final Invocation inv;
    private final List<DashboardFile.Page> pages;
    private final boolean showPii;
    private volatile Compiled compiled;

    /**
     * @param pii      lower-case names of the columns tagged pii anywhere in the project
     * @param clearPii whether the target is in var('pii_clear_targets')
     */
    private record Compiled(Target target, Map<String, String> sql, Set<String> pii, boolean clearPii) {
    }

    public Dashboard(Invocation inv, List<DashboardFile.Page> pages, boolean showPii) {
        this.inv = inv;
        this.pages = List.copyOf(pages);
        this.showPii = showPii;
    }

    public List<DashboardFile.Page> pages() {
        return pages;
    }

    public Optional<DashboardFile.Page> page(String name) {
        return pages.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Compiles every query (again after a build changed the project): a mistake is an error naming the query. */
    public synchronized void compile() {
        Map<String, String> adHoc = new LinkedHashMap<>();
        for (DashboardFile.Page p : pages) {
            for (DashboardFile.Query q : p.queries()) {
                if (q.sql() != null) adHoc.put(q.id(), q.sql());
                if (q.trend() != null) adHoc.put(q.trendId(), q.trend());
                if (q.drill() != null) adHoc.put(q.drill().id(), q.drill().sql());
            }
        }
        // The same test the project's masking macros make, so the dashboard shows clear values exactly where gold has them.
        adHoc.put(PII_CLEAR, "{% if target.name in var('pii_clear_targets', []) %}select 1{% else %}select 0{% endif %}");
        try (Workspace ws = Workspace.open(inv).withAdHoc(adHoc); Session s = ws.openSession()) {
            Manifest m = ws.compile(s);
            List<String> ids = adHoc.keySet().stream().map(k -> "model." + ws.project().name() + "." + k).toList();
            m.requireCompiled(ids);
            Map<String, String> sql = new LinkedHashMap<>();
            for (String k : adHoc.keySet()) sql.put(k, m.node("model." + ws.project().name() + "." + k).compiledSql());
            Set<String> pii = new HashSet<>();
            for (CompiledNode n : m.nodes().values()) {
                for (ColumnSpec col : n.node().columns()) if (col.tags().contains("pii")) pii.add(col.name().toLowerCase(Locale.ROOT));
            }
            compiled = new Compiled(ws.target(), sql, pii, sql.get(PII_CLEAR).strip().equals("select 1"));
        }
    }

    /** A page's data: tiles {title, format, value}, charts {title, type, labels, series}, tables {title, columns, rows}. */
    public Map<String, Object> data(DashboardFile.Page page) {
        if (compiled == null) compile();
        Compiled c = compiled;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", page.name());
        out.put("title", page.title());
        try (Adapter adapter = Adapters.forTarget(c.target()); Session s = adapter.open()) {
            List<Object> tiles = new ArrayList<>();
            for (DashboardFile.Query q : page.tiles()) {
                Map<String, Object> t = base(q);
                Object value = null;
                if (q.sql() != null) {
                    List<Map<String, Object>> rows = run(s, c, q, q.id(), 1);
                    value = rows.isEmpty() ? null : json(rows.get(0).values().iterator().next());
                }
                if (q.trend() != null) {
                    List<Object> labels = new ArrayList<>();
                    List<Object> values = new ArrayList<>();
                    for (Map<String, Object> row : run(s, c, q, q.trendId(), 5000)) {
                        var it = row.values().iterator();
                        labels.add(json(it.next()));
                        values.add(it.hasNext() ? json(it.next()) : null);
                    }
                    t.put("trend", Map.of("labels", labels, "values", values));
                    if (q.sql() == null && !values.isEmpty()) value = values.get(values.size() - 1);
                    t.put("change", change(values));
                    t.put("previous_label", labels.size() < 2 ? null : labels.get(labels.size() - 2));
                }
                t.put("value", value);
                tiles.add(t);
            }
            out.put("tiles", tiles);
            List<Object> charts = new ArrayList<>();
            for (DashboardFile.Query q : page.charts()) {
                Map<String, Object> ch = base(q);
                List<Map<String, Object>> rows = run(s, c, q, q.id(), 5000);
                List<Object> labels = new ArrayList<>();
                Map<String, List<Object>> series = new LinkedHashMap<>();
                for (Map<String, Object> row : rows) {
                    var it = row.entrySet().iterator();
                    labels.add(json(it.next().getValue()));
                    while (it.hasNext()) {
                        var e = it.next();
                        series.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(json(e.getValue()));
                    }
                }
                ch.put("labels", labels);
                List<Object> ss = new ArrayList<>();
                series.forEach((k, v) -> ss.add(Map.of("name", k, "data", v)));
                ch.put("series", ss);
                charts.add(ch);
            }
            out.put("charts", charts);
            List<Object> tables = new ArrayList<>();
            for (DashboardFile.Query q : page.tables()) {
                Map<String, Object> t = base(q);
                List<Map<String, Object>> rows = run(s, c, q, q.id(), q.limit());
                List<String> columns = rows.isEmpty() ? List.of() : new ArrayList<>(rows.get(0).keySet());
                putRows(t, c, q.mask(), columns, rows);
                if (q.drill() != null) t.put("drill", Map.of("key", q.drill().key(), "title", q.drill().title(), "index", page.tables().indexOf(q)));
                tables.add(t);
            }
            out.put("tables", tables);
        }
        return out;
    }

    /**
     * One page of a table's drill-down: the rows of its drill query whose key equals value, sorted by a column of
     * the query (the key's order when none), with the count and the profile columns' averages over all of them.
     *
     * @param sort a column of the drill query, or null
     */
    public Map<String, Object> drill(DashboardFile.Page page, DashboardFile.Query table, String value, int pageNo, String sort, boolean desc) {
        DashboardFile.Drill d = table.drill();
        if (compiled == null) compile();
        Compiled c = compiled;
        String sql = c.sql().get(d.id()).strip().replaceAll(";+$", "");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("page", page.name());
        out.put("table", table.title());
        out.put("title", d.title());
        out.put("key", d.key());
        out.put("value", value);
        try (Adapter adapter = Adapters.forTarget(c.target()); Session s = adapter.open()) {
            String from = "(\n" + sql + "\n) as sluice_drill";
            List<String> columns = s.resultColumns("select * from " + from + " where 1 = 0");
            if (columns.isEmpty()) throw new ConfigException("drill-down '" + d.title() + "': the " + c.target().type()
                    + " session cannot tell a query's columns, which the drill-down needs", d.location());
            String key = column(columns, d.key(), d, "key");
            String where = " where cast(" + adapter.quote(key) + " as " + adapter.stringType() + ") = " + adapter.stringLiteral(value);
            StringBuilder agg = new StringBuilder("select count(*) as members");
            // Each average named: PostgreSQL calls them all "avg", and the row is read by column name.
            int n = 0;
            for (String p : d.profile()) {
                agg.append(", avg(").append(adapter.quote(column(columns, p, d, "profile column"))).append(") as ")
                        .append(adapter.quote("profile_" + n++));
            }
            Map<String, Object> counted = drillQuery(s, d, agg + " from " + from + where).get(0);
            var it = counted.values().iterator();
            long total = ((Number) it.next()).longValue();
            Map<String, Object> profile = new LinkedHashMap<>();
            for (String p : d.profile()) profile.put(p, json(it.next()));
            String by = sort == null || sort.isEmpty() ? columns.get(0) : columns.stream().filter(sort::equalsIgnoreCase).findFirst()
                    .orElseThrow(() -> new ConfigException("cannot sort by '" + sort + "': the drill-down's columns are " + String.join(", ", columns)));
            int pages = (int) Math.max(1, (total + d.pageSize() - 1) / d.pageSize());
            int at = Math.max(0, Math.min(pageNo, pages - 1));
            // The first column breaks ties, so a row never shows on two pages nor on none.
            List<Map<String, Object>> rows = drillQuery(s, d, "select * from " + from + where + " order by " + adapter.quote(by)
                    + (desc ? " desc" : " asc") + " nulls last, " + adapter.quote(columns.get(0)) + " limit " + d.pageSize() + " offset " + (long) at * d.pageSize());
            putRows(out, c, d.mask(), columns, rows);
            out.put("total", total);
            out.put("page_no", at);
            out.put("pages", pages);
            out.put("page_size", d.pageSize());
            out.put("sort", by);
            out.put("dir", desc ? "desc" : "asc");
            out.put("profile", profile);
        }
        return out;
    }

    /** columns, rows (as lists of cells, PII masked) and masked (the names of the masked columns). */
    private void putRows(Map<String, Object> out, Compiled c, List<String> listed, List<String> columns, List<Map<String, Object>> rows) {
        List<Object> body = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<Object> cells = new ArrayList<>();
            row.forEach((k, v) -> cells.add(masked(c, listed, k) ? mask(v) : json(v)));
            body.add(cells);
        }
        out.put("columns", columns);
        out.put("rows", body);
        out.put("masked", columns.stream().filter(k -> masked(c, listed, k)).toList());
    }

    private static String column(List<String> columns, String name, DashboardFile.Drill d, String what) {
        return columns.stream().filter(name::equalsIgnoreCase).findFirst().orElseThrow(() -> new ConfigException(
                "drill-down '" + d.title() + "': its sql has no " + what + " '" + name + "' (columns: " + String.join(", ", columns) + ")", d.location()));
    }

    private static List<Map<String, Object>> drillQuery(Session s, DashboardFile.Drill d, String sql) {
        try {
            return s.query(sql);
        } catch (EngineException e) {
            throw new ConfigException("drill-down '" + d.title() + "' failed: " + e.getMessage().lines().findFirst().orElse(""), d.location());
        }
    }

    /** Whether a column's values are hidden: PII (listed, or tagged pii in the project) where clear values are not allowed. */
    private boolean masked(Compiled c, List<String> listed, String column) {
        if (showPii || c.clearPii()) return false;
        return c.pii().contains(column.toLowerCase(Locale.ROOT)) || listed.stream().anyMatch(column::equalsIgnoreCase);
    }

    private static Map<String, Object> base(DashboardFile.Query q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", q.title());
        m.put("format", q.format());
        m.put("description", q.description());
        return m;
    }

    /** The last point against the one before, as a fraction (0.05 is 5% up); null without two numbers to compare. */
    static Double change(List<Object> values) {
        if (values.size() < 2) return null;
        if (!(values.get(values.size() - 1) instanceof Number last) || !(values.get(values.size() - 2) instanceof Number prev)) return null;
        if (prev.doubleValue() == 0) return null;
        return (last.doubleValue() - prev.doubleValue()) / Math.abs(prev.doubleValue());
    }

    private static List<Map<String, Object>> run(Session s, Compiled c, DashboardFile.Query q, String id, int limit) {
        String sql = c.sql().get(id);
        try {
            return s.query("select * from (\n" + sql.strip().replaceAll(";+$", "") + "\n) as sluice_dashboard limit " + limit);
        } catch (EngineException e) {
            throw new ConfigException("dashboard query '" + q.title() + "'" + (id.equals(q.id()) ? "" : " (its trend)") + " failed: " + e.getMessage().lines().findFirst().orElse(""),
                    q.location());
        }
    }

    /** Numbers as numbers (BigDecimal as double), dates and others as text. */
    private static Object json(Object v) {
        if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof Double) return v;
        if (v instanceof BigDecimal b) return b.doubleValue();
        if (v instanceof Number n) return n.doubleValue();
        return v.toString();
    }

    /** j***@example.com; for other values all but the last two characters hidden. */
    static String mask(Object v) {
        if (v == null) return null;
        String s = v.toString();
        Matcher m = EMAIL.matcher(s);
        if (m.matches()) return m.group(1) + "***" + m.group(2);
        if (s.length() <= 2) return "**";
        return "*".repeat(Math.min(8, s.length() - 2)) + s.substring(s.length() - 2);
    }
}
