package dev.sluice.serve;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.KnownKeys;
import dev.sluice.project.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A project's dashboard.yml: pages of KPI tiles, charts and tables, each a SQL query with the project's Jinja
 * (ref, source, macros). Kept in the project rather than in the engine, so the dashboard shows what this
 * business measures; read strictly, every mistake naming the file and line.
 *
 * <pre>
 * pages:
 *   - name: overview            # the page's address: /pages/overview
 *     title: Overview
 *     tiles:   [{title: Customers, sql: "select count(*) from {{ ref('customers') }}", format: integer}]
 *     charts:  [{title: Revenue, type: line, sql: "select month, revenue from ..."}]   # first column: labels
 *     tables:  [{title: Top customers, sql: "...", limit: 20, mask: [email]}]
 *     # a table's key column links to the rows behind it: paged, sortable, with averages of the profile columns
 *     tables:  [{title: Segments, sql: "select segment_name, count(*) ...",
 *                drill: {key: segment_name, title: Customers, sql: "select ... from {{ ref('scores') }}", profile: [ltv]}}]
 * </pre>
 */
public final class DashboardFile {
    public static final String FILE = "dashboard.yml";
    static final Set<String> FORMATS = Set.of("integer", "decimal", "money", "percent", "text");
    static final Set<String> CHART_TYPES = Set.of("line", "bar", "pie", "doughnut", "stacked_bar");
    private static final Set<String> TOP = Set.of("version", "pages");
    private static final Set<String> PAGE = Set.of("name", "title", "description", "tiles", "charts", "tables");
    private static final Set<String> TILE = Set.of("title", "sql", "format", "description", "trend");
    private static final Set<String> CHART = Set.of("title", "type", "sql", "description");
    private static final Set<String> TABLE = Set.of("title", "sql", "limit", "mask", "description", "drill");
    private static final Set<String> DRILL = Set.of("key", "title", "sql", "page_size", "profile", "mask");

    /**
     * A query of the dashboard: its place (page/kind/index) names the ad-hoc model it compiles as.
     *
     * @param sql   null for a tile given only a trend (its value is the trend's last point)
     * @param trend a tile's trend: rows of (period, value) in time order; null when none
     */
    public record Query(String id, String title, String kind, String sql, String format, int limit, List<String> mask,
                        String description, SourceLocation location, String trend, Drill drill) {
        public Query {
            mask = List.copyOf(mask);
        }

        /** The ad-hoc model the trend compiles as. */
        public String trendId() {
            return id + "__trend";
        }
    }

    /**
     * A table's drill-down: the rows of sql whose key column equals the value clicked in the table's key column.
     *
     * @param profile columns averaged over all the rows of a value (the profile of a segment)
     */
    public record Drill(String id, String key, String title, String sql, int pageSize, List<String> profile, List<String> mask,
                        SourceLocation location) {
        public Drill {
            profile = List.copyOf(profile);
            mask = List.copyOf(mask);
        }
    }

    public record Page(String name, String title, String description, List<Query> tiles, List<Query> charts, List<Query> tables) {
        public Page {
            tiles = List.copyOf(tiles);
            charts = List.copyOf(charts);
            tables = List.copyOf(tables);
        }

        public Optional<Query> table(int index) {
            return index >= 0 && index < tables.size() ? Optional.of(tables.get(index)) : Optional.empty();
        }

        public List<Query> queries() {
            List<Query> all = new ArrayList<>(tiles);
            all.addAll(charts);
            all.addAll(tables);
            return all;
        }
    }

    private DashboardFile() {
    }

    /** The pages of projectDir/dashboard.yml; none when the project has no dashboard.yml. */
    public static List<Page> load(Path projectDir) {
        Path file = projectDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return List.of();
        return parse(Yaml.load(file, Path.of(FILE)));
    }

    static List<Page> parse(Yaml root) {
        check(root, TOP, FILE);
        Map<String, Page> pages = new LinkedHashMap<>();
        for (Yaml p : root.get("pages").items("pages")) {
            if (!p.isMap()) throw p.error("each page must be a mapping with a name");
            check(p, PAGE, "a page");
            String name = p.get("name").string("name");
            if (name == null || !name.matches("[a-z0-9_-]+")) throw p.error("a page needs a name of lower-case letters, digits, '_' or '-'");
            if (pages.containsKey(name)) throw p.error("page '" + name + "' is defined twice");
            pages.put(name, new Page(name, p.get("title").string("title", name), p.get("description").string("description", ""),
                    queries(p.get("tiles"), name, "tile", TILE), queries(p.get("charts"), name, "chart", CHART),
                    queries(p.get("tables"), name, "table", TABLE)));
        }
        return List.copyOf(pages.values());
    }

    private static List<Query> queries(Yaml list, String page, String kind, Set<String> keys) {
        List<Query> out = new ArrayList<>();
        int i = 0;
        for (Yaml q : list.items(kind + "s")) {
            if (!q.isMap()) throw q.error("each " + kind + " must be a mapping with a title and sql");
            check(q, keys, "a " + kind);
            String title = q.get("title").string("title");
            String sql = q.get("sql").string("sql");
            String trend = kind.equals("tile") ? q.get("trend").string("trend") : null;
            if (trend != null && trend.isBlank()) throw q.get("trend").error("page '" + page + "': a tile's trend needs sql");
            if (sql != null && sql.isBlank()) sql = null;
            if (title == null || (sql == null && trend == null)) {
                throw q.error("page '" + page + "': a " + kind + " needs title and sql" + (kind.equals("tile") ? " (or a trend)" : ""));
            }
            String format = kind.equals("tile") ? q.get("format").string("format", "decimal")
                    : kind.equals("chart") ? q.get("type").string("type", "bar") : "table";
            if (kind.equals("tile") && !FORMATS.contains(format)) {
                throw q.get("format").error("unknown format '" + format + "'" + KnownKeys.didYouMean(format, FORMATS) + " (known: " + String.join(", ", new java.util.TreeSet<>(FORMATS)) + ")");
            }
            if (kind.equals("chart") && !CHART_TYPES.contains(format)) {
                throw q.get("type").error("unknown chart type '" + format + "'" + KnownKeys.didYouMean(format, CHART_TYPES) + " (known: " + String.join(", ", new java.util.TreeSet<>(CHART_TYPES)) + ")");
            }
            int limit = 100;
            if (q.has("limit")) {
                Object v = q.get("limit").value();
                if (!(v instanceof Long l) || l < 1 || l > 10_000) throw q.get("limit").error("limit must be a whole number from 1 to 10000");
                limit = l.intValue();
            }
            String id = "sluice_dashboard__" + page.replace('-', '_') + "__" + kind + "_" + i++;
            Drill drill = q.has("drill") ? drill(q.get("drill"), page, id) : null;
            out.add(new Query(id, title, kind, sql, format, limit, names(q.get("mask"), "mask"), q.get("description").string("description", ""),
                    q.location(), trend, drill));
        }
        return out;
    }

    private static Drill drill(Yaml d, String page, String tableId) {
        if (!d.isMap()) throw d.error("page '" + page + "': drill must be a mapping with key and sql");
        check(d, DRILL, "a drill");
        String key = d.get("key").string("key");
        String sql = d.get("sql").string("sql");
        if (key == null || key.isBlank() || sql == null || sql.isBlank()) throw d.error("page '" + page + "': a drill needs key and sql");
        int pageSize = 25;
        if (d.has("page_size")) {
            Object v = d.get("page_size").value();
            if (!(v instanceof Long l) || l < 1 || l > 1_000) throw d.get("page_size").error("page_size must be a whole number from 1 to 1000");
            pageSize = l.intValue();
        }
        return new Drill(tableId + "__drill", key, d.get("title").string("title", key), sql, pageSize, names(d.get("profile"), "profile"),
                names(d.get("mask"), "mask"), d.location());
    }

    private static List<String> names(Yaml list, String what) {
        List<String> out = new ArrayList<>();
        for (Yaml m : list.items(what)) out.add(m.string(what));
        return out;
    }

    private static void check(Yaml map, Set<String> known, String what) {
        for (Map.Entry<String, SourceLocation> k : map.keyLocations().entrySet()) {
            if (!known.contains(k.getKey())) {
                throw new ConfigException("unknown key '" + k.getKey() + "' in " + what + KnownKeys.didYouMean(k.getKey(), known)
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")", k.getValue());
            }
        }
    }
}
