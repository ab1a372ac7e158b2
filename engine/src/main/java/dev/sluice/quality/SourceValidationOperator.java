package dev.sluice.quality;

import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.error.ConfigException;
import dev.sluice.error.DataValidationException;
import dev.sluice.ml.ResultTable;
import dev.sluice.ml.TableWriter;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorContext;
import dev.sluice.operator.OperatorResult;
import dev.sluice.project.Configs;
import dev.sluice.seed.ColumnType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * source_validation: checks the source tables against the schema they are expected to have before anything is
 * built from them (seed 002's wf03): missing tables, missing columns, type mismatches, and completeness (the
 * share of non-null values of each required column) against {@code quality_threshold}. Writes one report row
 * per check (table_name, column_name, check_name, expected, actual, status valid / warn / error, message), then
 * fails the node when a check is an error, so nothing downstream runs on broken input.
 *
 * <p>Config: {@code tables}, a list of {relation: "{{ ref('x') }}", columns: {name: type}, optional: [names]}
 * with types integer, decimal, double, text, date, timestamp, boolean; {@code quality_threshold} (default 0.95);
 * {@code fail_on_missing_table}, {@code fail_on_missing_column} (default true: error, else warn);
 * {@code warn_on_type_mismatch} (default true: warn, else error); {@code below_threshold}: warn (default) or error.
 */
public final class SourceValidationOperator implements Operator {
    private static final List<String> TYPES = List.of("integer", "decimal", "double", "text", "date", "timestamp", "boolean");
    static final String VALID = "valid", WARN = "warn", ERROR = "error";

    @Override
    public String type() {
        return "source_validation";
    }

    @Override
    public java.util.Set<String> configKeys() {
        return java.util.Set.of("quality_threshold", "fail_on_missing_table", "fail_on_missing_column",
                "warn_on_type_mismatch", "below_threshold", "tables");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        if (ctx.outputs().size() != 1) {
            throw new ConfigException("operator '" + ctx.node().name() + "' of type source_validation writes one table, its report: "
                    + "list it under outputs", ctx.where());
        }
        Relation report = ctx.outputs().values().iterator().next();
        double threshold = ctx.decimal("quality_threshold", 0.95);
        String missingTable = ctx.bool("fail_on_missing_table", true) ? ERROR : WARN;
        String missingColumn = ctx.bool("fail_on_missing_column", true) ? ERROR : WARN;
        String mismatch = ctx.bool("warn_on_type_mismatch", true) ? WARN : ERROR;
        String incomplete = ctx.string("below_threshold", WARN).toLowerCase(Locale.ROOT);
        if (!incomplete.equals(WARN) && !incomplete.equals(ERROR)) {
            throw new ConfigException("below_threshold of operator '" + ctx.node().name() + "' must be warn or error, got '"
                    + incomplete + "'", ctx.where());
        }

        List<List<Object>> rows = new ArrayList<>();
        for (Object t : list(ctx.value("tables"), ctx)) {
            if (!(t instanceof Map<?, ?> table)) throw bad(ctx, "each entry of tables must be a mapping with relation and columns");
            Relation relation = parseRelation(String.valueOf(table.get("relation")), ctx);
            Map<String, String> expected = columns(table.get("columns"), ctx);
            List<String> optional = Configs.strings(table.get("optional"));
            String name = relation.identifier();
            if (ctx.session().relationKind(relation).isEmpty()) {
                rows.add(row(name, null, "table_exists", "table", null, missingTable, "table " + relation.identifier() + " is missing"));
                continue;
            }
            rows.add(row(name, null, "table_exists", "table", "table", VALID, null));
            Map<String, String> actual = new LinkedHashMap<>();
            for (ColumnInfo c : ctx.session().columns(relation)) actual.put(c.name().toLowerCase(Locale.ROOT), c.dataType());
            List<String> present = new ArrayList<>();
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String column = e.getKey(), want = e.getValue();
                String got = actual.get(column.toLowerCase(Locale.ROOT));
                if (got == null) {
                    rows.add(row(name, column, "column_exists", want, null, missingColumn, "column " + column + " is missing"));
                    continue;
                }
                present.add(column);
                String family = family(got);
                boolean ok = want.equals(family) || (want.equals("decimal") && family.equals("integer"));
                rows.add(row(name, column, "type", want, got.toLowerCase(Locale.ROOT), ok ? VALID : mismatch,
                        ok ? null : column + " is " + got.toLowerCase(Locale.ROOT) + ", expected " + want));
            }
            completeness(ctx, relation, present, optional, threshold, incomplete, rows);
        }

        ResultTable table = new ResultTable(List.of("table_name", "column_name", "check_name", "expected", "actual", "status", "message"),
                List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT),
                rows);
        long written = new TableWriter(ctx.adapter()).write(ctx.session(), report, table);
        List<String> errors = new ArrayList<>(), warnings = new ArrayList<>();
        for (List<Object> r : rows) {
            if (ERROR.equals(r.get(5))) errors.add(r.get(0) + ": " + r.get(6));
            if (WARN.equals(r.get(5))) warnings.add(r.get(0) + ": " + r.get(6));
        }
        warnings.forEach(w -> ctx.log("WARNING " + w));
        if (!errors.isEmpty()) {
            throw new DataValidationException("source validation failed (" + errors.size() + " error(s), report in "
                    + report.identifier() + "): " + String.join("; ", errors), ctx.where());
        }
        return new OperatorResult(String.format("%d checks, %d warnings", written, warnings.size()), written);
    }

    /** One query counting the non-null values of every present, required column. */
    private static void completeness(OperatorContext ctx, Relation relation, List<String> present, List<String> optional,
                                     double threshold, String incomplete, List<List<Object>> rows) {
        List<String> required = present.stream().filter(c -> !optional.contains(c)).toList();
        if (required.isEmpty()) return;
        StringBuilder sql = new StringBuilder("select count(*) as n");
        for (int i = 0; i < required.size(); i++) {
            sql.append(", count(").append(ctx.adapter().quote(required.get(i))).append(") as c").append(i);
        }
        sql.append(" from ").append(ctx.adapter().render(relation));
        Map<String, Object> counts = lowerKeys(ctx.session().query(sql.toString()).get(0));
        long n = ((Number) counts.get("n")).longValue();
        for (int i = 0; i < required.size(); i++) {
            long filled = ((Number) counts.get("c" + i)).longValue();
            double share = n == 0 ? 0 : filled / (double) n;
            boolean ok = share >= threshold;
            rows.add(row(relation.identifier(), required.get(i), "completeness", String.format(Locale.ROOT, ">= %.4f", threshold),
                    String.format(Locale.ROOT, "%.4f", share), ok ? VALID : incomplete,
                    ok ? null : String.format(Locale.ROOT, "%s is filled in %.2f%% of %d rows, below %.2f%%", required.get(i),
                            100 * share, n, 100 * threshold)));
        }
    }

    private static Map<String, Object> lowerKeys(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    /** The type family of a warehouse type name (DuckDB, PostgreSQL, Spark, Snowflake spellings). */
    static String family(String dataType) {
        String t = dataType.toLowerCase(Locale.ROOT).trim();
        if (t.matches("(number|numeric|decimal)\\s*\\(\\s*\\d+\\s*,\\s*0\\s*\\)")) return "integer";
        if (t.matches("(big|small|tiny|huge|u)?int(eger)?\\d*|long|short|byte|bigserial|serial")) return "integer";
        if (t.startsWith("decimal") || t.startsWith("numeric") || t.startsWith("number")) return "decimal";
        if (t.startsWith("double") || t.startsWith("float") || t.equals("real")) return "double";
        if (t.startsWith("varchar") || t.startsWith("character varying") || t.startsWith("text") || t.startsWith("string")
                || t.startsWith("char") || t.startsWith("bpchar")) return "text";
        if (t.equals("date")) return "date";
        if (t.startsWith("timestamp") || t.startsWith("datetime")) return "timestamp";
        if (t.startsWith("bool")) return "boolean";
        return t;
    }

    /** A rendered relation name: one to three dot-separated parts, each possibly quoted with " or `. */
    static Relation parseRelation(String rendered, OperatorContext ctx) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (char ch : rendered.trim().toCharArray()) {
            if (quote != 0) {
                if (ch == quote) quote = 0; else cur.append(ch);
            } else if (ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == '.') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        parts.add(cur.toString());
        if (parts.isEmpty() || parts.size() > 3 || parts.stream().anyMatch(String::isBlank)) {
            throw bad(ctx, "relation '" + rendered + "' is not a table name; write relation: \"{{ ref('table') }}\"");
        }
        return switch (parts.size()) {
            case 1 -> new Relation(null, null, parts.get(0));
            case 2 -> new Relation(null, parts.get(0), parts.get(1));
            default -> new Relation(parts.get(0), parts.get(1), parts.get(2));
        };
    }

    private static Map<String, String> columns(Object v, OperatorContext ctx) {
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) throw bad(ctx, "each table needs columns: {name: type}");
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, t) -> {
            String type = String.valueOf(t).toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                throw bad(ctx, "column " + k + " has type '" + t + "'; the types are " + String.join(", ", TYPES));
            }
            out.put(String.valueOf(k), type);
        });
        return out;
    }

    private static List<?> list(Object v, OperatorContext ctx) {
        if (!(v instanceof List<?> l) || l.isEmpty()) throw bad(ctx, "config tables must list the tables to validate");
        return l;
    }

    private static ConfigException bad(OperatorContext ctx, String message) {
        return new ConfigException("operator '" + ctx.node().name() + "' (source_validation): " + message, ctx.where());
    }

    private static List<Object> row(String table, String column, String check, String expected, String actual, String status,
                                    String message) {
        List<Object> r = new ArrayList<>();
        r.add(table);
        r.add(column);
        r.add(check);
        r.add(expected);
        r.add(actual);
        r.add(status);
        r.add(message);
        return r;
    }
}
