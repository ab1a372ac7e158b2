package dev.sluice.compile;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ref() and source() rendered as a subquery over the relation, as dbt does for --empty
 * ({@code (select * from x where false limit 0)}, alias _dbt_limit_subq_x) and for a microbatch model's inputs
 * ({@code (select * from x where et >= start and et < end)}, alias _dbt_et_filter_subq_x). The subquery gets dbt's
 * alias, which PostgreSQL needs, unless the model already names it ("from {{ ref('x') }} c").
 */
final class SubqueryRefs {
    static final SubqueryRefs EMPTY = new SubqueryRefs("empty", "_dbt_limit_subq_");
    static final SubqueryRefs EVENT_TIME = new SubqueryRefs("et", "_dbt_et_filter_subq_");

    /** Words that can follow a relation in FROM without being its alias. */
    private static final Set<String> NOT_ALIAS = Set.of("where", "join", "left", "right", "inner", "full", "cross", "outer",
            "on", "using", "group", "order", "limit", "offset", "union", "except", "intersect", "minus", "having",
            "window", "qualify", "natural", "lateral", "fetch", "for", "select", "from", "when", "then", "else", "end",
            "and", "or", "into", "values", "pivot", "unpivot", "tablesample", "returning", "set");

    private final String mark;
    private final Pattern marked;
    private final String aliasPrefix;

    private SubqueryRefs(String kind, String aliasPrefix) {
        this.mark = "/*engine:" + kind + ":";
        this.marked = Pattern.compile("\\) /\\*engine:" + kind + ":([A-Za-z0-9_]*)\\*/(\\s*)([A-Za-z_][A-Za-z0-9_]*)?");
        this.aliasPrefix = aliasPrefix;
    }

    /** --empty: every row filtered out, the columns kept. */
    static RelationRef empty(RelationRef real) {
        return EMPTY.wrap(real, "where false limit 0");
    }

    /** A microbatch input: the rows of one batch. */
    static RelationRef filtered(RelationRef real, String eventTime, BatchWindow batch) {
        return EVENT_TIME.wrap(real, "where " + batch.condition(eventTime));
    }

    private RelationRef wrap(RelationRef real, String filter) {
        String name = real.relation().identifier() == null ? "x" : real.relation().identifier().replaceAll("[^A-Za-z0-9_]", "_");
        return RelationRef.printingAs(real, "(select * from " + real + " " + filter + ") " + mark + name + "*/");
    }

    /** Replaces each mark by the alias dbt gives, or by nothing where the model gives its own ("c", "as c"). */
    String finish(String sql) {
        if (!sql.contains(mark)) return sql;
        Matcher m = marked.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String next = m.group(3);
            boolean aliased = next != null && !NOT_ALIAS.contains(next.toLowerCase(Locale.ROOT));
            String replacement = aliased ? ")" + m.group(2) + next : ") " + aliasPrefix + m.group(1) + m.group(2) + (next == null ? "" : next);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
