package dev.sluice.compile;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * --empty as dbt does it: ref() and source() render as {@code (select * from x where false limit 0)}, so a
 * build creates every relation with its columns and no rows. The subquery gets dbt's alias
 * (_dbt_limit_subq_x), which PostgreSQL needs, unless the model already names it ("from {{ ref('x') }} c").
 */
final class EmptyRefs {
    private static final String MARK = "/*engine:empty:";
    private static final Pattern MARKED = Pattern.compile("\\) /\\*engine:empty:([A-Za-z0-9_]*)\\*/(\\s*)([A-Za-z_][A-Za-z0-9_]*)?");
    /** Words that can follow a relation in FROM without being its alias. */
    private static final Set<String> NOT_ALIAS = Set.of("where", "join", "left", "right", "inner", "full", "cross", "outer",
            "on", "using", "group", "order", "limit", "offset", "union", "except", "intersect", "minus", "having",
            "window", "qualify", "natural", "lateral", "fetch", "for", "select", "from", "when", "then", "else", "end",
            "and", "or", "into", "values", "pivot", "unpivot", "tablesample", "returning", "set");

    private EmptyRefs() {
    }

    static RelationRef of(RelationRef real) {
        String name = real.relation().identifier() == null ? "x" : real.relation().identifier().replaceAll("[^A-Za-z0-9_]", "_");
        return RelationRef.printingAs(real, "(select * from " + real + " where false limit 0) " + MARK + name + "*/");
    }

    /** Replaces each mark by the alias dbt gives, or by nothing where the model gives its own. */
    static String finish(String sql) {
        if (!sql.contains(MARK)) return sql;
        Matcher m = MARKED.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String next = m.group(3);
            boolean aliased = next != null && !NOT_ALIAS.contains(next.toLowerCase(Locale.ROOT));
            String replacement = aliased ? ")" + m.group(2) + next : ") _dbt_limit_subq_" + m.group(1) + m.group(2) + (next == null ? "" : next);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
