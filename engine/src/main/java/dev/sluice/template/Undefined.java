package dev.sluice.template;

/**
 * Jinja's Undefined: what a name the template assigns only on some paths ({% if execute %}{% set x = ... %})
 * reads as on the others. Like Jinja's, it is falsy, prints empty, iterates as nothing, has length 0 and can be
 * passed to macros and filters; `is defined` is false and `default` replaces it. It behaves as an empty string
 * wherever a string is expected, which gives all of that through the existing filters. A name the template never
 * assigns is still an error (see JinjaTranslator), so typos are caught.
 *
 * <p>A missing attribute or key ({@code node.raw_sql}, {@code column.fields}) is Undefined too, as in Jinja, so
 * that {@code a.x or a.y}, {@code a.x is defined} and {@code a.x | length} work as packages expect; but printing
 * one is the error it would have been ({@link #error}), so a misspelt attribute never renders as empty SQL. While
 * parsing (execute is false) it prints empty, as dbt's parse does: macros print query results that only exist
 * when the node runs.
 *
 * @param name  the name that was read, for messages
 * @param error for a missing attribute, the error printing it gives; null for a name, which prints empty
 */
record Undefined(String name, String error) implements CharSequence {

    Undefined(String name) {
        this(name, null);
    }

    @Override
    public int length() {
        return 0;
    }

    @Override
    public char charAt(int index) {
        throw new IndexOutOfBoundsException("'" + name + "' is undefined");
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start != 0 || end != 0) throw new IndexOutOfBoundsException("'" + name + "' is undefined");
        return this;
    }

    @Override
    public String toString() {
        return "";
    }
}
