package dev.sluice.compile;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A microbatch model's inputs as dbt gives them to each batch: a ref() or source() of a node with an event_time
 * renders as {@code (select * from x where et >= start and et < end)}, aliased _dbt_et_filter_subq_x unless the
 * model gives the relation an alias of its own.
 */
final class EventTimeRefs {
    private static final String MARK = "/*engine:et:";
    private static final Pattern MARKED = Pattern.compile("\\) /\\*engine:et:([A-Za-z0-9_]*)\\*/(\\s*)([A-Za-z_][A-Za-z0-9_]*)?");
    private static final Set<String> NOT_ALIAS = Set.of("where", "join", "left", "right", "inner", "full", "cross", "outer",
            "on", "using", "group", "order", "limit", "offset", "union", "except", "intersect", "minus", "having",
            "window", "qualify", "natural", "lateral", "fetch", "for", "select", "from", "when", "then", "else", "end",
            "and", "or", "into", "values", "pivot", "unpivot", "tablesample", "returning", "set");

    private EventTimeRefs() {
    }

    static RelationRef filtered(RelationRef real, String eventTime, BatchWindow batch) {
        String name = real.relation().identifier() == null ? "x" : real.relation().identifier().replaceAll("[^A-Za-z0-9_]", "_");
        return RelationRef.printingAs(real, "(select * from " + real + " where " + batch.condition(eventTime) + ") "
                + MARK + name + "*/");
    }

    static String finish(String sql) {
        if (!sql.contains(MARK)) return sql;
        Matcher m = MARKED.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String next = m.group(3);
            boolean aliased = next != null && !NOT_ALIAS.contains(next.toLowerCase(Locale.ROOT))
                    && !next.equalsIgnoreCase("as");
            String replacement = aliased || "as".equalsIgnoreCase(next) ? ")" + m.group(2) + next
                    : ") _dbt_et_filter_subq_" + m.group(1) + m.group(2) + (next == null ? "" : next);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
