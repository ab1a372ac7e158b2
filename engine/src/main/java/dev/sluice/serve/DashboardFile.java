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
    private static final Set<String> TABLE = Set.of("title", "sql", "limit", "mask", "description");

    /**
     * A query of the dashboard: its place (page/kind/index) names the ad-hoc model it compiles as.
     *
     * @param sql   null for a tile given only a trend (its value is the trend's last point)
     * @param trend a tile's trend: rows of (period, value) in time order; null when none
     */
    public record Query(String id, String title, String kind, String sql, String format, int limit, List<String> mask,
                        String description, SourceLocation location, String trend) {
        public Query {
            mask = List.copyOf(mask);
        }

        /** The ad-hoc model the trend compiles as. */
        public String trendId() {
            return id + "__trend";
        }
    }

    public record Page(String name, String title, String description, List<Query> tiles, List<Query> charts, List<Query> tables) {
        public Page {
            tiles = List.copyOf(tiles);
            charts = List.copyOf(charts);
            tables = List.copyOf(tables);
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
            List<String> mask = new ArrayList<>();
            for (Yaml m : q.get("mask").items("mask")) mask.add(m.string("mask"));
            out.add(new Query("sluice_dashboard__" + page.replace('-', '_') + "__" + kind + "_" + i++, title, kind, sql, format,
                    limit, mask, q.get("description").string("description", ""), q.location(), trend));
        }
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
