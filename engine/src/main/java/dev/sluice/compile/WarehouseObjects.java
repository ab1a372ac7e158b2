package dev.sluice.compile;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.error.CompilationException;
import dev.sluice.template.JinjaObject;
import dev.sluice.template.TemplateFunction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The warehouse side of dbt's Jinja context: {@code adapter} (dispatch itself is answered by the template
 * engine, which knows the macros), {@code api.Relation} / {@code api.Column}, and the agate-like tables
 * {@code run_query} returns. One instance per render; queries go through the render's session, and only
 * when the render executes (dbt's {@code execute} flag), as dbt's parse phase runs no SQL.
 */
final class WarehouseObjects {
    private final Adapter adapter;
    private final Session session;
    private final boolean execute;
    private final Runnable onLiveCall;
    private final boolean deferFailures;

    /**
     * @param onLiveCall    told whenever the template asks the warehouse something, answered or not
     * @param deferFailures whether a failing query defers the node's rendering to its run (see DeferredRender)
     */
    WarehouseObjects(Adapter adapter, Session session, boolean execute, Runnable onLiveCall, boolean deferFailures) {
        this.adapter = adapter;
        this.session = execute ? session : null;
        this.execute = execute;
        this.onLiveCall = onLiveCall;
        this.deferFailures = deferFailures;
    }

    /** Whether a question to the warehouse is answered; the caller hears of every question either way. */
    boolean live() {
        onLiveCall.run();
        if (!execute || session == null) return false;
        // A node that runs renders again then: asking now would run its queries (and any DML) twice.
        if (deferFailures) throw new DeferredRender("its template asks the warehouse", null);
        return true;
    }

    /** adapter.execute(sql, auto_begin, fetch): [response, table] as dbt's statement block gets them. */
    Object execute(String sql, boolean fetch) {
        if (!live()) return null;
        Map<String, Object> response = new LinkedHashMap<>();
        if (fetch) {
            Object table = query(sql);
            response.put("_message", "OK");
            response.put("code", "SELECT");
            response.put("rows_affected", (long) ((AgateTable) table).size());
            return new ArrayList<>(List.of(response, table));
        }
        ask(() -> {
            session.execute(sql);
            return null;
        });
        response.put("_message", "OK");
        response.put("code", "OK");
        response.put("rows_affected", -1L);
        return new ArrayList<>(java.util.Arrays.asList(response, AgateTable.of(List.of(), List.of())));
    }

    private <T> T ask(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (dev.sluice.error.DatabaseException e) {
            if (deferFailures) throw new DeferredRender(e.getMessage(), e);
            throw e;
        }
    }

    /** run_query(sql): the result as an agate-like table when executing, else None, as in dbt's parse phase. */
    Object runQuery(String sql) {
        if (!live()) return null;
        return query(sql);
    }

    /** Statements that return rows; anything else (DDL, DML) runs as a statement and gives an empty table. */
    private static final java.util.regex.Pattern RETURNS_ROWS = java.util.regex.Pattern.compile(
            "(?is)^\\s*(\\(\\s*)*(select|with|values|show|describe|desc|explain|pragma|table|from)\\b.*");

    private Object query(String sql) {
        if (!RETURNS_ROWS.matcher(stripComments(sql)).matches()) {
            ask(() -> {
                session.execute(sql);
                return null;
            });
            return AgateTable.of(List.of(), List.of());
        }
        List<Map<String, Object>> rows = ask(() -> session.query(sql));
        List<String> columns = rows.isEmpty() ? ask(() -> session.resultColumns(sql)) : new ArrayList<>(rows.get(0).keySet());
        return AgateTable.of(columns, rows);
    }

    JinjaObject adapterObject() {
        return new AdapterObject();
    }

    JinjaObject api() {
        Map<String, Object> relation = new LinkedHashMap<>();
        relation.put("create", (TemplateFunction) (args, kw) -> createRelation(args, kw));
        Map<String, Object> column = new LinkedHashMap<>();
        column.put("create", (TemplateFunction) (args, kw) -> new ColumnObject(str(arg(args, kw, 0, "name")),
                str(arg(args, kw, 1, "dtype")), adapter));
        column.put("translate_type", (TemplateFunction) (args, kw) -> translateType(adapter.type(), str(arg(args, kw, 0, "dtype"))));
        column.put("numeric_type", (TemplateFunction) (args, kw) -> numericType(str(arg(args, kw, 0, "dtype")),
                arg(args, kw, 1, "precision"), arg(args, kw, 2, "scale")));
        column.put("string_type", (TemplateFunction) (args, kw) -> stringType(adapter.type(), arg(args, kw, 0, "size")));
        return new Namespace("api", Map.of("Relation", new Namespace("api.Relation", relation),
                "Column", new CallableNamespace("api.Column", column,
                        (args, kw) -> new ColumnObject(str(arg(args, kw, 0, "column")), str(arg(args, kw, 1, "dtype")), adapter))));
    }

    private RelationRef createRelation(List<Object> args, Map<String, Object> kw) {
        String database = str(arg(args, kw, 0, "database"));
        String schema = str(arg(args, kw, 1, "schema"));
        String identifier = str(arg(args, kw, 2, "identifier"));
        RelationRef r = RelationRef.of(new Relation(database, schema, identifier == null ? "" : identifier), adapter,
                RelationRef.kindOf(kw.get("type")));
        if (identifier != null && !identifier.isEmpty()) return r;
        // A relation naming a schema only (dbt's create(database=..., schema=...)) prints as that schema, as in
        // dbt, which leaves the parts that are none out of the rendered name.
        List<String> parts = new java.util.ArrayList<>();
        if (database != null && !database.isEmpty()) parts.add(adapter.quote(database));
        if (schema != null && !schema.isEmpty()) parts.add(adapter.quote(schema));
        return RelationRef.printingAs(r, String.join(".", parts));
    }

    // ---- type names ----------------------------------------------------------------------------

    /** dbt's Column.translate_type: its generic labels to the warehouse's names, anything else unchanged. */
    static String translateType(String adapterType, String dtype) {
        if (dtype == null) return null;
        boolean spark = adapterType.equals("spark") || adapterType.equals("databricks");
        return switch (dtype.toLowerCase(Locale.ROOT)) {
            case "string" -> spark ? "string" : "text";
            case "timestamp" -> "timestamp";
            // DuckDB's float is 4-byte; elsewhere float is double precision, which DuckDB calls double.
            case "float" -> adapterType.equals("duckdb") ? "double" : "float";
            case "integer" -> "int";
            case "boolean" -> "boolean";
            default -> dtype;
        };
    }

    static String numericType(String dtype, Object precision, Object scale) {
        if (precision == null || scale == null) return dtype;
        return dtype + "(" + precision + "," + scale + ")";
    }

    static String stringType(String adapterType, Object size) {
        if (adapterType.equals("spark") || adapterType.equals("databricks")) return "string";
        return size == null ? "character varying" : "character varying(" + size + ")";
    }

    // ---- adapter -----------------------------------------------------------------------------

    /** The warehouse methods of {@code adapter}; all but quote and type need a live session. */
    private final class AdapterObject implements JinjaObject {
        @Override
        public Object method(String name, List<Object> args, Map<String, Object> kw) {
            switch (name) {
                case "quote":
                    return quote(str(arg(args, kw, 0, "identifier")));
                case "quote_as_configured":
                    return adapter.quote(str(arg(args, kw, 0, "identifier")));
                case "quote_seed_column":
                    return quote(str(arg(args, kw, 0, "column")));
                case "type":
                    return adapter.type();
                case "execute": {
                    Object fetch = kw.getOrDefault("fetch", args.size() > 2 ? args.get(2) : Boolean.FALSE);
                    return execute(str(arg(args, kw, 0, "sql")), Boolean.TRUE.equals(fetch));
                }
                case "commit":
                case "begin":
                    return ""; // each statement of a render commits on its own
                case "get_relation":
                    return getRelation(str(arg(args, kw, 0, "database")), str(arg(args, kw, 1, "schema")),
                            str(arg(args, kw, 2, "identifier")));
                case "already_exists":
                    // Deprecated in dbt for get_relation, still answered as dbt does: whether the relation exists.
                    return getRelation(null, str(arg(args, kw, 0, "schema")), str(arg(args, kw, 1, "name"))) != null;
                case "load_relation": {
                    Relation r = relationOf(arg(args, kw, 0, "relation"));
                    return getRelation(r.database(), r.schema(), r.identifier());
                }
                case "get_columns_in_relation":
                    return columnsIn(arg(args, kw, 0, "relation"));
                case "get_missing_columns":
                    return missingColumns(arg(args, kw, 0, "from_relation"), arg(args, kw, 1, "to_relation"));
                case "create_schema":
                    if (live()) session.execute(adapter.createSchemaSql(relationOf(arg(args, kw, 0, "relation"))));
                    return "";
                case "drop_schema":
                    if (live()) session.execute(dropSchemaSql(relationOf(arg(args, kw, 0, "relation"))));
                    return "";
                case "drop_relation":
                    dropRelation(arg(args, kw, 0, "relation"));
                    return "";
                case "rename_relation":
                    renameRelation(arg(args, kw, 0, "from_relation"), arg(args, kw, 1, "to_relation"));
                    return "";
                case "truncate_relation":
                    if (live()) session.execute("truncate table " + adapter.render(relationOf(arg(args, kw, 0, "relation"))));
                    return "";
                case "expand_target_column_types":
                    expandColumnTypes(arg(args, kw, 0, "from_relation"), arg(args, kw, 1, "to_relation"));
                    return "";
                case "check_schema_exists":
                    return live() && !session.query(schemaExistsSql(str(arg(args, kw, 0, "database")),
                            str(arg(args, kw, 1, "schema")))).isEmpty();
                default:
                    return MISSING;
            }
        }

        @Override
        public Object attribute(String name) {
            return switch (name) {
                case "type" -> (TemplateFunction) (a, k) -> adapter.type();
                // dbt's adapter carries its Relation and Column classes too: adapter.Relation.create(...).
                case "Relation", "Column" -> ((Namespace) api()).attribute(name);
                default -> MISSING;
            };
        }

        @Override
        public String jinjaName() {
            return "adapter";
        }

        @Override
        public String toString() {
            return adapter.type();
        }
    }

    /** dbt's adapter.quote always quotes, whatever the adapter's own quoting policy for generated names. */
    private static String stripComments(String sql) {
        return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ");
    }

    private String quote(String identifier) {
        String q = adapter.quote(identifier);
        return q.equals(identifier) ? "\"" + identifier.replace("\"", "\"\"") + "\"" : q;
    }

    private Object getRelation(String database, String schema, String identifier) {
        if (!live() || schema == null || identifier == null) return null;
        Relation asked = new Relation(database, schema, identifier);
        Relation r = asked;
        Optional<RelationKind> kind = ask(() -> session.relationKind(asked));
        if (kind.isEmpty()) {
            // Warehouses that fold unquoted names: the name as the user wrote it may be stored in another case.
            for (Relation alt : List.of(new Relation(database, schema.toLowerCase(Locale.ROOT), identifier.toLowerCase(Locale.ROOT)),
                    new Relation(database, schema.toUpperCase(Locale.ROOT), identifier.toUpperCase(Locale.ROOT)))) {
                if (alt.equals(asked)) continue;
                kind = ask(() -> session.relationKind(alt));
                if (kind.isPresent()) {
                    r = alt;
                    break;
                }
            }
        }
        Relation found = r;
        return kind.map(k -> (Object) RelationRef.of(found, adapter, k)).orElse(null);
    }

    private List<Object> columnsIn(Object relation) {
        List<Object> out = new ArrayList<>();
        if (!live()) return out;
        Relation r = relationOf(relation);
        for (ColumnInfo c : ask(() -> session.columns(r))) out.add(new ColumnObject(c.name(), c.dataType(), adapter));
        return out;
    }

    private List<Object> missingColumns(Object from, Object to) {
        List<Object> out = new ArrayList<>();
        if (!live()) return out;
        List<String> present = session.columns(relationOf(to)).stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        for (ColumnInfo c : session.columns(relationOf(from))) {
            if (!present.contains(c.name().toLowerCase(Locale.ROOT))) out.add(new ColumnObject(c.name(), c.dataType(), adapter));
        }
        return out;
    }

    private void dropRelation(Object relation) {
        if (!live()) return;
        Relation r = relationOf(relation);
        Optional<RelationKind> kind = relation instanceof RelationRef ref && ref.kind() != null
                ? Optional.of(ref.kind()) : session.relationKind(r);
        kind.ifPresent(k -> session.execute(adapter.dropSql(r, k)));
    }

    private void renameRelation(Object from, Object to) {
        if (!live()) return;
        Relation f = relationOf(from);
        RelationKind kind = session.relationKind(f).orElseThrow(() -> new CompilationException(
                "adapter.rename_relation: " + f.display() + " does not exist", null));
        session.execute(adapter.renameSql(f, kind, relationOf(to).identifier()));
    }

    /** Widens character columns of {@code to} that are narrower than the same columns of {@code from}. */
    private void expandColumnTypes(Object from, Object to) {
        if (!live()) return;
        Relation target = relationOf(to);
        Map<String, String> targetTypes = new LinkedHashMap<>();
        for (ColumnInfo c : session.columns(target)) targetTypes.put(c.name().toLowerCase(Locale.ROOT), c.dataType());
        for (ColumnInfo c : session.columns(relationOf(from))) {
            String current = targetTypes.get(c.name().toLowerCase(Locale.ROOT));
            if (current == null) continue;
            ColumnObject src = new ColumnObject(c.name(), c.dataType(), adapter);
            ColumnObject dst = new ColumnObject(c.name(), current, adapter);
            if (src.isString() && dst.isString() && dst.size() > 0 && (src.size() == 0 || src.size() > dst.size())) {
                session.execute("alter table " + adapter.render(target) + " alter column " + adapter.quote(c.name())
                        + " type " + (src.size() == 0 ? stringType(adapter.type(), null) : stringType(adapter.type(), src.size())));
            }
        }
    }

    private String dropSchemaSql(Relation r) {
        return "drop schema if exists " + adapter.schemaName(r) + " cascade";
    }

    private static String schemaExistsSql(String database, String schema) {
        return "select 1 from information_schema.schemata where lower(schema_name) = lower('"
                + schema.replace("'", "''") + "')" + (database == null ? "" : " and lower(catalog_name) = lower('"
                + database.replace("'", "''") + "')");
    }

    /** A relation argument: a Relation object, or a dotted name. */
    private static Relation relationOf(Object o) {
        if (o instanceof RelationRef r) return r.relation();
        if (o == null) throw new CompilationException("expected a relation, got None", null);
        String[] parts = o.toString().replace("\"", "").replace("`", "").split("\\.");
        return switch (parts.length) {
            case 1 -> new Relation(null, null, parts[0]);
            case 2 -> new Relation(null, parts[0], parts[1]);
            default -> new Relation(parts[0], parts[1], parts[2]);
        };
    }

    static Object arg(List<Object> args, Map<String, Object> kw, int pos, String name) {
        if (kw.containsKey(name)) return kw.get(name);
        return pos < args.size() ? args.get(pos) : null;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    // ---- small value types -------------------------------------------------------------------

    /** A read-only namespace of functions and values: api, api.Relation. */
    static class Namespace implements JinjaObject {
        private final String name;
        private final Map<String, Object> members;

        Namespace(String name, Map<String, Object> members) {
            this.name = name;
            this.members = members;
        }

        @Override
        public Object attribute(String attr) {
            return members.containsKey(attr) ? members.get(attr) : MISSING;
        }

        @Override
        public String jinjaName() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A namespace that is also a constructor, as api.Column(name, dtype) is. */
    static final class CallableNamespace extends Namespace implements TemplateFunction {
        private final TemplateFunction constructor;

        CallableNamespace(String name, Map<String, Object> members, TemplateFunction constructor) {
            super(name, members);
            this.constructor = constructor;
        }

        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            return constructor.call(args, kwargs);
        }
    }
}
