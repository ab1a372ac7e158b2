package dev.sluice.adapter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relations of each schema the run touches, as dbt's relation cache keeps them: read with one catalog
 * query per schema the first time a run asks, then kept current from the DDL the engine's own sessions run.
 * Looking a relation up per node costs a catalog query each time, and its cost grows with the catalog.
 *
 * <p>Statements are recognised from their text: CREATE, DROP and ALTER ... RENAME of a table or view with a
 * quoted or plain name. Anything else that may change the catalog (a cascade drop, a procedure call, DDL in
 * a form not recognised, a statement that failed half-way) forgets every schema, so the next look-up asks
 * the warehouse again: the cache may cost a query, never a wrong answer. Shared by all sessions of a run.
 */
public final class RelationCache {
    /** First words of statements that never create, drop or rename a table or view. */
    private static final java.util.Set<String> HARMLESS = java.util.Set.of("select", "with", "insert", "update",
            "delete", "merge", "grant", "revoke", "comment", "set", "analyze", "vacuum", "copy", "truncate",
            "explain", "show", "describe", "desc", "checkpoint", "use", "begin", "commit", "rollback", "start",
            "values", "table", "pragma", "prepare", "deallocate", "optimize", "refresh", "cache",
            "uncache", "msck", "reset", "unset");

    /** Schema key to stored relation name to kind; a schema absent here has not been read yet. */
    private final Map<String, Map<String, RelationKind>> schemas = new ConcurrentHashMap<>();

    /** The key of r's schema, from names as the engine writes them. */
    private static String schemaKey(Session s, Relation r) {
        return (r.database() == null ? "" : s.storedName(r.database())) + "\u0000" + s.storedName(r.schema());
    }

    /** A name part parsed from SQL, as the catalog stores it. */
    private static String stored(Session s, String part) {
        return part.startsWith(UNQUOTED) ? s.storedName(part.substring(1), false) : s.storedName(part, true);
    }

    /** What r is, from the cache; reads r's schema first when this run has not yet. */
    public Optional<RelationKind> kind(Session s, Relation r) {
        Map<String, RelationKind> schema = schema(s, r);
        if (schema == null) return s.relationKind(r);
        return Optional.ofNullable(schema.get(s.storedName(r.identifier())));
    }

    /** Every relation in r's schema by stored name, e.g. to find what a killed run left behind; empty if the session cannot list. */
    public Optional<Map<String, RelationKind>> inSchema(Session s, Relation r) {
        Map<String, RelationKind> schema = schema(s, r);
        return schema == null ? Optional.empty() : Optional.of(Map.copyOf(schema));
    }

    private Map<String, RelationKind> schema(Session s, Relation r) {
        String key = schemaKey(s, r);
        Map<String, RelationKind> known = schemas.get(key);
        if (known != null) return known;
        // computeIfAbsent holds the key while the catalog is read, so a concurrent note on this schema waits
        // for the read and is applied after it instead of being lost.
        return schemas.computeIfAbsent(key, k -> s.listRelations(r)
                .<Map<String, RelationKind>>map(ConcurrentHashMap::new).orElse(null));
    }

    /** Applies the effect of statements that ran (and committed) to what is known. */
    public void observe(Session s, List<String> statements) {
        for (String sql : statements) observe(s, sql);
    }

    public void observe(Session s, String sql) {
        Ddl ddl = Ddl.parse(sql);
        if (ddl == null) return;
        if (ddl.unknown) {
            forgetAll();
            return;
        }
        Relation r = ddl.relation;
        if (r.schema() == null) {
            // An unqualified name lands in the session's current schema, which is not tracked here.
            forgetAll();
            return;
        }
        String key = (r.database() == null ? "" : stored(s, r.database())) + "\u0000" + stored(s, r.schema());
        String name = stored(s, r.identifier());
        schemas.computeIfPresent(key, (k, m) -> {
            switch (ddl.verb) {
                case "create" -> m.put(name, ddl.kind);
                case "drop" -> m.remove(name);
                default -> {
                    RelationKind k0 = m.remove(name);
                    m.put(stored(s, ddl.newIdentifier), k0 != null ? k0 : ddl.kind);
                }
            }
            return m;
        });
    }

    /** Forgets every schema, e.g. after a failed statement whose effect is not known. */
    public void forgetAll() {
        schemas.clear();
    }

    /** A recognised statement: verb create, drop or rename of one relation; or unknown (forget everything). */
    static final class Ddl {
        final String verb;
        final RelationKind kind;
        final Relation relation;
        final String newIdentifier;
        final boolean unknown;

        private Ddl(String verb, RelationKind kind, Relation relation, String newIdentifier, boolean unknown) {
            this.verb = verb;
            this.kind = kind;
            this.relation = relation;
            this.newIdentifier = newIdentifier;
            this.unknown = unknown;
        }

        private static final Ddl UNKNOWN = new Ddl(null, null, null, null, true);

        /** null when the statement changes no relation; UNKNOWN when it may in a way not understood. */
        static Ddl parse(String sql) {
            Tokens t = new Tokens(sql);
            String first = t.word();
            if (first == null) return null;
            if (HARMLESS.contains(first)) return null;
            switch (first) {
                case "create" -> {
                    boolean orReplace = t.accept("or") && t.accept("replace");
                    String what = t.word();
                    if ("schema".equals(what) || "database".equals(what)) return orReplace ? UNKNOWN : null;
                    if ("transient".equals(what) && !orReplace) what = t.word(); // Snowflake's transient tables
                    RelationKind kind = kindOf(what);
                    if (kind == null) return UNKNOWN;
                    if (t.accept("if") && !(t.accept("not") && t.accept("exists"))) return UNKNOWN;
                    Relation r = t.name();
                    return r == null ? UNKNOWN : new Ddl("create", kind, r, null, false);
                }
                case "drop" -> {
                    RelationKind kind = kindOf(t.word());
                    if (kind == null) return UNKNOWN;
                    if (t.accept("if") && !t.accept("exists")) return UNKNOWN;
                    Relation r = t.name();
                    // CASCADE also drops what depends on the relation, which only the warehouse knows.
                    if (r == null || !t.atEnd()) return UNKNOWN;
                    return new Ddl("drop", kind, r, null, false);
                }
                case "alter" -> {
                    RelationKind kind = kindOf(t.word());
                    if (kind == null) return UNKNOWN;
                    t.accept("if");
                    t.accept("exists");
                    Relation r = t.name();
                    if (r == null) return UNKNOWN;
                    String next = t.word();
                    if ("rename".equals(next)) {
                        if (!t.accept("to")) return UNKNOWN;
                        Relation to = t.name();
                        if (to == null || !t.atEnd()) return UNKNOWN;
                        // A qualified new name must stay in the same schema to be understood.
                        if (to.schema() != null && !Objects.equals(to.schema(), r.schema())) return UNKNOWN;
                        return new Ddl("rename", kind, r, to.identifier(), false);
                    }
                    // Column changes, SWAP WITH of two tables, properties: no relation appears or goes.
                    if ("swap".equals(next) && kind != RelationKind.TABLE) return UNKNOWN;
                    return next == null ? UNKNOWN : null;
                }
                default -> {
                    return UNKNOWN;
                }
            }
        }

        private static RelationKind kindOf(String word) {
            if ("table".equals(word)) return RelationKind.TABLE;
            if ("view".equals(word)) return RelationKind.VIEW;
            return null;
        }
    }

    /** Just enough of a SQL tokenizer for the head of a DDL statement. */
    static final class Tokens {
        private final String s;
        private int i;
        Tokens(String s) {
            this.s = s;
        }

        private void skip() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) i++;
                else if (s.startsWith("--", i)) {
                    int nl = s.indexOf('\n', i);
                    i = nl < 0 ? s.length() : nl + 1;
                } else if (s.startsWith("/*", i)) {
                    int end = s.indexOf("*/", i + 2);
                    i = end < 0 ? s.length() : end + 2;
                } else break;
            }
        }

        boolean atEnd() {
            skip();
            return i >= s.length() || s.charAt(i) == ';' && s.substring(i + 1).isBlank();
        }

        /** The next bare word, lower-cased, or null. */
        String word() {
            skip();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            return i == start ? null : s.substring(start, i).toLowerCase(Locale.ROOT);
        }

        boolean accept(String w) {
            int at = i;
            if (w.equals(word())) return true;
            i = at;
            return false;
        }

        /** A one- to three-part name; unquoted parts are returned as "\u0001" + text, folded later. */
        Relation name() {
            skip();
            java.util.List<String> parts = new java.util.ArrayList<>();
            while (true) {
                String part = part();
                if (part == null) return null;
                parts.add(part);
                if (i < s.length() && s.charAt(i) == '.') {
                    i++;
                    continue;
                }
                break;
            }
            return switch (parts.size()) {
                case 1 -> new Relation(null, null, parts.get(0));
                case 2 -> new Relation(null, parts.get(0), parts.get(1));
                case 3 -> new Relation(parts.get(0), parts.get(1), parts.get(2));
                default -> null;
            };
        }

        private String part() {
            if (i >= s.length()) return null;
            char q = s.charAt(i);
            if (q == '"' || q == '`') {
                StringBuilder b = new StringBuilder();
                i++;
                while (i < s.length()) {
                    char c = s.charAt(i++);
                    if (c == q) {
                        if (i < s.length() && s.charAt(i) == q) {
                            b.append(q);
                            i++;
                        } else return b.toString();
                    } else b.append(c);
                }
                return null;
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) i++;
            return i == start ? null : UNQUOTED + s.substring(start, i);
        }
    }

    /** Marks a name part written without quotes, which the warehouse folds to its own case. */
    static final String UNQUOTED = "\u0001";
}
