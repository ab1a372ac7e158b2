package dev.sluice.quality;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A warn_if / error_if condition such as "!=0" or ">10", applied to a test's failure count. */
public record Threshold(String operator, long value) {
    private static final Pattern FORM = Pattern.compile("^\\s*(!=|<>|>=|<=|==|=|>|<)\\s*(-?\\d+)\\s*$");

    public static Threshold parse(Object raw, String what, SourceLocation where) {
        String s = raw == null ? "!=0" : raw.toString();
        Matcher m = FORM.matcher(s);
        if (!m.matches()) {
            throw new ConfigException(what + " must be a comparison with a number such as '!=0' or '>10', got '" + s + "'", where);
        }
        return new Threshold(m.group(1), Long.parseLong(m.group(2)));
    }

    public boolean holds(long n) {
        return switch (operator) {
            case "!=", "<>" -> n != value;
            case ">=" -> n >= value;
            case "<=" -> n <= value;
            case "==", "=" -> n == value;
            case ">" -> n > value;
            case "<" -> n < value;
            default -> throw new IllegalStateException(operator);
        };
    }

    @Override
    public String toString() {
        return operator + " " + value;
    }
}
