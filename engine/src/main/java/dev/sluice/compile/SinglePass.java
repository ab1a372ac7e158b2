package dev.sluice.compile;

import dev.sluice.adapter.Relation;
import dev.sluice.project.Node;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * When the parse render's output is the compiled SQL, so a node's template is rendered once instead of twice.
 * The parse render runs with {@code execute} false and relations computed from project and schema files only;
 * the compile render runs with {@code execute} true and every node's final relation. The two give the same text
 * when the template read nothing that differs between them: not {@code execute}, {@code graph},
 * {@code selected_resources} or {@code model}; no question to the warehouse; no log, print, warn or
 * is_incremental call; every
 * ref() and {@code this} naming the relation it names now (no in-file alias or schema changed it, no ephemeral
 * model turned it into a CTE); and no config value read that the file's own config() later changed.
 * Anything else is rendered again, so the shortcut never changes what a node compiles to.
 */
final class SinglePass {
    /**
     * Context variables whose value in the parse render differs from the compile render's (model: its
     * depends_on is known only after parsing, and its config includes the file's own config() only then).
     */
    static final Set<String> DIFFERING = Set.of("execute", "graph", "selected_resources", "model");

    private SinglePass() {
    }

    /**
     * What a node's parse render produced and was given.
     *
     * @param sql             its output, or null when it failed
     * @param read            context variables it read
     * @param sideEffects     whether it called something that only acts when executing
     * @param self            the relation {@code this} named
     * @param refs            ref() targets by unique id, with the relation each was given
     * @param tested          a generic test's model relation as given, or null
     * @param testedUnknown   a test whose model was not given as a relation
     * @param configReads     config keys answered from project and schema files
     * @param declaredConfig  the node's config from project and schema files
     * @param finalConfig     the node's config once its own config() calls are merged
     */
    record FirstPass(String sql, Set<String> read, boolean sideEffects, Relation self, Map<String, Relation> refs,
                     Relation tested, boolean testedUnknown, Set<String> configReads, Map<String, Object> declaredConfig,
                     Map<String, Object> finalConfig) {
    }

    /** The parse render's SQL when it is what the compile render would give, else null. */
    static String reusable(FirstPass f, Node n, Relation self, Map<String, Relation> relations,
                           Map<String, CompiledNode> compiled, boolean emptyRefs, boolean asksWarehouse) {
        if (f.sql() == null || emptyRefs || asksWarehouse || f.sideEffects() || f.testedUnknown()) return null;
        for (String v : DIFFERING) if (f.read().contains(v)) return null;
        if (!Objects.equals(f.self(), self)) return null;
        for (Map.Entry<String, Relation> r : f.refs().entrySet()) {
            CompiledNode c = compiled.get(r.getKey());
            if (c == null || c.isEphemeral() || !Objects.equals(relations.get(r.getKey()), r.getValue())) return null;
        }
        if (n.testedId() != null) {
            CompiledNode c = compiled.get(n.testedId());
            Object where = f.finalConfig().get("where");
            if ((c != null && c.isEphemeral()) || (where != null && !where.toString().isBlank())
                    || !Objects.equals(relations.get(n.testedId()), f.tested())) {
                return null;
            }
        }
        for (String key : f.configReads()) {
            if (!Objects.equals(f.declaredConfig().get(key), f.finalConfig().get(key))) return null;
        }
        return f.sql().strip();
    }
}
