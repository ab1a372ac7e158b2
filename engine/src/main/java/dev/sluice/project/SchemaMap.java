package dev.sluice.project;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A project's {@code schema_map.yml} (seed 002's wf02 mapping): per source table, which columns to carry, renamed
 * ({@code src}: the source column), cast ({@code type}), derived ({@code derive}: an SQL expression) or dropped, and
 * a profile-ready {@code prp_} layer. Each table becomes a staging model, {@code src_<table>} (or {@code name}), and
 * with {@code prp_table_name} a second one, {@code prp_<prp_table_name>}, built on it. The models are ordinary
 * template text, so ref(), source() and macros in {@code where} and {@code derive} resolve as anywhere else.
 *
 * @param file       the file as errors name it, relative to the project
 * @param validation what a missing table or column and a type mismatch found before the run are
 * @param config     configs for every model the file makes
 * @param tables     the mapped tables in file order
 */
public record SchemaMap(Path file, Validation validation, Map<String, Object> config, List<Table> tables) {
    public static final String FILE_NAME = "schema_map.yml";

    /** wf03's thresholds: missing tables and columns stop the run, type mismatches warn, unless set otherwise. */
    public record Validation(boolean failOnMissingTable, boolean failOnMissingColumn, boolean warnOnTypeMismatch) {
    }

    /**
     * One mapped source table.
     *
     * @param key        its entry's name
     * @param model      the staging model's name
     * @param input      the template call that reads the table: {@code ref('x')} or {@code source('s', 't')}
     * @param inputAt    where the ref / source is written
     * @param where      a filter on the source rows, or null
     * @param drop       source columns left out on purpose
     * @param prpModel   the profile-ready model's name, or null
     * @param config     configs of this table's models
     */
    public record Table(String key, String model, String description, String input, SourceLocation inputAt, String where,
                        List<Column> columns, Map<String, SourceLocation> drop, String prpModel,
                        Map<String, Object> config, SourceLocation location) {

        /** The staging model's SELECT: each column renamed, cast or derived, in the order mapped. */
        public String srcSql() {
            StringBuilder sql = new StringBuilder("select\n");
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                String expr = c.derive() != null ? "(" + c.derive().strip() + ")" : c.src();
                if (c.type() != null) expr = "cast(" + expr + " as " + c.type().sql() + ")";
                sql.append("    ").append(expr).append(" as ").append(c.name()).append(i < columns.size() - 1 ? ",\n" : "\n");
            }
            sql.append("from {{ ").append(input).append(" }}");
            if (where != null) sql.append("\nwhere (").append(where.strip()).append(")");
            return sql.toString();
        }

        /**
         * The profile-ready SELECT over the staging model: the columns with a prp name, under that name; text is
         * trimmed, an empty string becomes null, and prp_case lower / upper folds it, so values compare as one.
         */
        public String prpSql() {
            List<Column> prp = columns.stream().filter(c -> c.prp() != null).toList();
            StringBuilder sql = new StringBuilder("select\n");
            for (int i = 0; i < prp.size(); i++) {
                Column c = prp.get(i);
                String expr = c.name();
                if (c.type() != null && c.type().family().equals("text")) {
                    expr = "nullif(trim(" + expr + "), '')";
                    if (c.prpCase() != null) expr = c.prpCase() + "(" + expr + ")";
                }
                sql.append("    ").append(expr).append(" as ").append(c.prp()).append(i < prp.size() - 1 ? ",\n" : "\n");
            }
            sql.append("from {{ ref('").append(model).append("') }}");
            return sql.toString();
        }
    }

    /**
     * A column of the staging model.
     *
     * @param src     the source column it is read from (its own name unless renamed); null when derived
     * @param derive  the SQL expression it is computed by, or null
     * @param type    what it is cast to, or null to keep the source's type
     * @param prp     its name in the profile-ready layer, or null to leave it out there
     * @param prpCase lower or upper for text in the profile-ready layer, or null
     */
    public record Column(String name, String src, String derive, Type type, String prp, String prpCase, String description,
                         SourceLocation location) {
    }

    /**
     * A column type as written in the file, with its family (integer, decimal, double, text, date, timestamp,
     * boolean: what a warehouse column is compared with) and the SQL it casts with on the target's warehouse.
     */
    public record Type(String written, String family, String sql) {
        private static final Pattern SIZED = Pattern.compile("(decimal|numeric)\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");
        static final List<String> NAMES = List.of("string", "text", "varchar", "integer", "int", "bigint", "decimal",
                "numeric", "decimal(p, s)", "double", "float", "date", "timestamp", "boolean");

        public static Type parse(String written, SourceLocation at) {
            String t = written.strip().toLowerCase(Locale.ROOT);
            var sized = SIZED.matcher(t);
            if (sized.matches()) return new Type(written, "decimal", "decimal(" + sized.group(2) + ", " + sized.group(3) + ")");
            return switch (t) {
                case "string", "text", "varchar" -> new Type(written, "text", "{{ dbt.type_string() }}");
                case "integer", "int", "bigint" -> new Type(written, "integer", "{{ dbt.type_bigint() }}");
                case "decimal", "numeric" -> new Type(written, "decimal", "{{ dbt.type_numeric() }}");
                // dbt's type_float is a 4-byte float on DuckDB; mapped columns keep double precision everywhere.
                case "double", "float" -> new Type(written, "double",
                        "{{ 'double precision' if target.type in ('postgres', 'redshift') else 'double' }}");
                case "date" -> new Type(written, "date", "date");
                case "timestamp" -> new Type(written, "timestamp", "{{ dbt.type_timestamp() }}");
                case "boolean" -> new Type(written, "boolean", "{{ dbt.type_boolean() }}");
                default -> throw new ConfigException("unknown type '" + written + "'; the types are "
                        + String.join(", ", NAMES), at);
            };
        }
    }

    static final Set<String> TOP = Set.of("version", "validation", "config", "tables");
    static final Set<String> VALIDATION = Set.of("fail_on_missing_table", "fail_on_missing_column", "warn_on_type_mismatch");
    static final Set<String> TABLE = Set.of("ref", "source", "name", "description", "where", "columns", "drop",
            "prp_table_name", "config");
    static final Set<String> COLUMN = Set.of("src", "derive", "type", "prp", "prp_case", "description");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The project's schema_map.yml, or null when it has none; unknown keys become warnings with their line. */
    public static SchemaMap load(Path projectRoot, Path display, List<String> warnings) {
        Path f = projectRoot.resolve(FILE_NAME);
        if (!Files.isRegularFile(f)) return null;
        return parse(Yaml.load(f, display), warnings);
    }

    static SchemaMap parse(Yaml root, List<String> warnings) {
        if (root.isNull()) throw root.error("schema_map.yml is empty: it needs tables:");
        if (!root.isMap()) throw root.error("schema_map.yml must be a mapping with tables:");
        KnownKeys.checkMapping(root, TOP, "schema_map.yml", warnings);
        Yaml v = root.get("validation");
        KnownKeys.checkMapping(v, VALIDATION, "validation", warnings);
        Validation validation = new Validation(bool(v.get("fail_on_missing_table"), true),
                bool(v.get("fail_on_missing_column"), true), bool(v.get("warn_on_type_mismatch"), true));
        Map<String, Object> config = config(root.get("config"), "schema_map.yml", warnings);
        Yaml tablesYaml = root.get("tables");
        if (!tablesYaml.isMap() || tablesYaml.entries("tables").isEmpty()) {
            throw (tablesYaml.isNull() ? root : tablesYaml).error("schema_map.yml needs tables: a mapping of source tables to map");
        }
        List<Table> tables = new ArrayList<>();
        Map<String, SourceLocation> keyAt = tablesYaml.keyLocations();
        for (Map.Entry<String, Yaml> e : tablesYaml.entries("tables").entrySet()) {
            tables.add(table(e.getKey(), e.getValue(), keyAt.get(e.getKey()), warnings));
        }
        return new SchemaMap(root.file(), validation, config, List.copyOf(tables));
    }

    private static Table table(String key, Yaml t, SourceLocation at, List<String> warnings) {
        name(key, "table", at);
        if (!t.isMap()) throw new ConfigException("table '" + key + "' must be a mapping with ref or source, and columns", at);
        String what = "table '" + key + "'";
        KnownKeys.checkMapping(t, TABLE, what, warnings);
        String input;
        SourceLocation inputAt;
        if (t.has("ref") == t.has("source")) {
            throw new ConfigException(what + " needs one of ref: (a model, seed or operator output) or source: "
                    + "(source_name.table_name)", at);
        } else if (t.has("ref")) {
            String ref = t.get("ref").string("ref");
            inputAt = t.get("ref").location();
            input = "ref('" + name(ref, "ref", inputAt) + "')";
        } else {
            String src = t.get("source").string("source");
            inputAt = t.get("source").location();
            String[] parts = src.split("\\.", -1);
            if (parts.length != 2) {
                throw new ConfigException(what + ": source must be source_name.table_name, not '" + src + "'", inputAt);
            }
            input = "source('" + name(parts[0], "source", inputAt) + "', '" + name(parts[1], "source", inputAt) + "')";
        }
        String model = t.has("name") ? name(t.get("name").string("name"), "name", t.get("name").location()) : "src_" + key;
        String prp = t.has("prp_table_name")
                ? "prp_" + name(t.get("prp_table_name").string("prp_table_name"), "prp_table_name", t.get("prp_table_name").location())
                : null;
        Map<String, SourceLocation> drop = new LinkedHashMap<>();
        for (Yaml d : t.get("drop").items(what + ": drop")) drop.put(name(d.string("drop"), "drop", d.location()), d.location());

        Yaml cols = t.get("columns");
        if (!cols.isMap() || cols.entries("columns").isEmpty()) {
            throw new ConfigException(what + " needs columns: the columns to carry, each with src, type, derive or prp",
                    cols.isNull() ? at : cols.location());
        }
        Map<String, SourceLocation> colAt = cols.keyLocations();
        List<Column> columns = new ArrayList<>();
        for (Map.Entry<String, Yaml> ce : cols.entries("columns").entrySet()) {
            columns.add(column(what, ce.getKey(), ce.getValue(), colAt.get(ce.getKey()), warnings));
        }
        for (Column c : columns) {
            if (c.src() != null && drop.containsKey(c.src())) {
                throw new ConfigException(what + ": column '" + c.src() + "' is both mapped (to " + c.name() + ") and dropped",
                        drop.get(c.src()));
            }
        }
        if (prp != null && columns.stream().noneMatch(c -> c.prp() != null)) {
            throw new ConfigException(what + " has prp_table_name but no column with a prp: name", t.get("prp_table_name").location());
        }
        if (prp == null) {
            for (Column c : columns) {
                if (c.prp() != null) {
                    throw new ConfigException(what + ": column '" + c.name() + "' has a prp: name, but the table has no "
                            + "prp_table_name", c.location());
                }
            }
        }
        String where = t.get("where").string(what + ": where");
        return new Table(key, model, t.get("description").string("description", null), input, inputAt,
                where == null || where.isBlank() ? null : where, List.copyOf(columns), drop, prp,
                config(t.get("config"), what, warnings), at);
    }

    private static Column column(String table, String name, Yaml c, SourceLocation at, List<String> warnings) {
        name(name, "column", at);
        if (c.isNull()) return new Column(name, name, null, null, null, null, null, at);
        if (c.isScalar()) return new Column(name, name, null, Type.parse(c.string("type"), at), null, null, null, at);
        if (!c.isMap()) throw new ConfigException(table + ": column '" + name + "' must be a type or a mapping", at);
        String what = table + ", column '" + name + "'";
        KnownKeys.checkMapping(c, COLUMN, what, warnings);
        String derive = c.get("derive").string(what + ": derive");
        if (derive != null && c.has("src")) {
            throw new ConfigException(what + " has both src and derive: a column is read or computed", c.get("derive").location());
        }
        if (derive != null && derive.isBlank()) throw new ConfigException(what + ": derive is empty", c.get("derive").location());
        String src = derive != null ? null
                : c.has("src") ? name(c.get("src").string("src"), "src", c.get("src").location()) : name;
        Type type = c.has("type") ? Type.parse(c.get("type").string("type"), c.get("type").location()) : null;
        String prp = c.has("prp") ? name(c.get("prp").string("prp"), "prp", c.get("prp").location()) : null;
        String prpCase = null;
        if (c.has("prp_case")) {
            prpCase = c.get("prp_case").string("prp_case").toLowerCase(Locale.ROOT);
            if (!prpCase.equals("lower") && !prpCase.equals("upper")) {
                throw new ConfigException(what + ": prp_case must be lower or upper, not '" + prpCase + "'",
                        c.get("prp_case").location());
            }
            if (prp == null || type == null || !type.family().equals("text")) {
                throw new ConfigException(what + ": prp_case applies to a text column (type string) with a prp: name",
                        c.get("prp_case").location());
            }
        }
        return new Column(name, src, derive, type, prp, prpCase, c.get("description").string("description", null), at);
    }

    private static Map<String, Object> config(Yaml c, String what, List<String> warnings) {
        if (c.isNull()) return Map.of();
        if (!c.isMap()) throw c.error("config of " + what + " must be a mapping");
        KnownKeys.checkConfig(c, what, warnings);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) c.value();
        return m;
    }

    private static boolean bool(Yaml y, boolean fallback) {
        if (y.isNull()) return fallback;
        Object v = y.value();
        if (v instanceof Boolean b) return b;
        throw y.error("must be true or false, not '" + v + "'");
    }

    /** Names go into SQL unquoted, so they must be plain identifiers. */
    private static String name(String n, String what, SourceLocation at) {
        if (n == null || !NAME.matcher(n).matches()) {
            throw new ConfigException(what + " '" + n + "' is not a plain name (letters, digits, _)", at);
        }
        return n;
    }
}
