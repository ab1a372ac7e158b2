package dev.sluice.seed;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Configs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** A seed's file and column configs (delimiter, quote_columns), read and checked the way dbt reads them. */
public final class SeedOptions {
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private SeedOptions() {
    }

    /** The field separator: the 'delimiter' config, one character, ',' by default. */
    public static char delimiter(Map<String, Object> config, Path file) {
        Object d = config.get("delimiter");
        if (d == null) return ',';
        String s = String.valueOf(d);
        if (s.equals("\\t")) return '\t';
        if (s.length() != 1 || s.charAt(0) == '"' || s.charAt(0) == '\n' || s.charAt(0) == '\r') {
            throw new ConfigException("seed delimiter must be one character other than a quote or line break, not '"
                    + s + "'", SourceLocation.of(file));
        }
        return s.charAt(0);
    }

    /** A reader for this seed's file. */
    public static CsvReader reader(Map<String, Object> config, Path file) {
        return new CsvReader(delimiter(config, file));
    }

    /** dbt quotes seed column names unless quote_columns is false. */
    public static boolean quoteColumns(Map<String, Object> config) {
        return Configs.bool(config.get("quote_columns"), true);
    }

    /**
     * The column names the warehouse will hold. Unquoted names (quote_columns: false) are folded as the warehouse
     * folds unquoted identifiers, and must be plain identifiers, as they are written into the SQL as they are.
     */
    public static List<String> columnNames(Map<String, Object> config, List<String> header, UnaryOperator<String> fold, Path file) {
        if (quoteColumns(config)) return header;
        List<String> out = new ArrayList<>();
        for (String c : header) {
            if (!PLAIN_IDENTIFIER.matcher(c).matches()) {
                throw new ConfigException("column '" + c + "' is not a plain identifier, so it cannot be written "
                        + "unquoted (quote_columns: false); rename it or quote the columns", SourceLocation.of(file, 1));
            }
            out.add(fold.apply(c));
        }
        return out;
    }
}
