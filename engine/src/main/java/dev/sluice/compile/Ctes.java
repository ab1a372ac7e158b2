package dev.sluice.compile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Inlines ephemeral models as CTEs in front of a statement, merging with a WITH it already has. */
public final class Ctes {
    /** Leading comments and whitespace, then WITH [RECURSIVE]. */
    private static final Pattern LEADING_WITH = Pattern.compile(
            "^((?:\\s+|--[^\\n]*\\n|/\\*.*?\\*/)*)with(\\s+recursive)?\\s", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private Ctes() {
    }

    /** @param ctes "name as (...),\n" repeated, ending with a comma */
    public static String prepend(String sql, String ctes) {
        Matcher m = LEADING_WITH.matcher(sql);
        if (m.find()) {
            return sql.substring(0, m.end()) + ctes + sql.substring(m.end());
        }
        String trimmed = ctes.substring(0, ctes.lastIndexOf(','));
        return "with " + trimmed + "\n" + sql;
    }
}
