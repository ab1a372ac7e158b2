package dev.sluice.seed;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a seed CSV with type inference. */
public final class CsvReader {
    private static final char BOM = '\uFEFF';
    private final char separator;

    /** A reader of comma-separated files. */
    public CsvReader() {
        this(',');
    }

    /** @param separator the field separator (a seed's delimiter config) */
    public CsvReader(char separator) {
        this.separator = separator;
    }

    /**
     * @param overrides column name to a warehouse type from column_types; such columns are kept as text values
     *                  (String) for the warehouse to cast, and reported as TEXT in types.
     */
    public CsvTable read(Path file, Map<String, String> overrides) {
        return parse(file, parser -> read(parser, file, overrides == null ? Map.of() : overrides));
    }

    /**
     * Rows of CSV text written inside another file (a unit test's csv fixture), as text keyed by the header's
     * names; errors name that file.
     */
    public static List<Map<String, String>> rows(String text, dev.sluice.error.SourceLocation where) {
        try (CharInput in = new CharInput(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
            CsvParser parser = new CsvParser(in, where.file(), ',');
            CsvParser.Record header = parser.next();
            if (header == null || header.blank()) throw new ConfigException("csv rows need a header line", where);
            List<String> names = columnNames(header, where.file());
            List<Map<String, String>> out = new ArrayList<>();
            for (CsvParser.Record r = parser.next(); r != null; r = parser.next()) {
                if (r.blank()) continue;
                if (r.fields().size() != names.size()) {
                    throw new ConfigException("csv row " + r.line() + " has " + r.fields().size() + " fields but the header has "
                            + names.size(), where);
                }
                Map<String, String> row = new java.util.LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) row.put(names.get(i), r.fields().get(i).trim());
                out.add(row);
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException("cannot read csv rows: " + e.getMessage(), where, e);
        }
    }

    /** The header names of CSV text written inside another file. */
    public static List<String> header(String text, dev.sluice.error.SourceLocation where) {
        try (CharInput in = new CharInput(new java.io.ByteArrayInputStream(text.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
            CsvParser.Record header = new CsvParser(in, where.file(), ',').next();
            return header == null || header.blank() ? List.of() : columnNames(header, where.file());
        } catch (IOException e) {
            throw new ConfigException("cannot read csv rows: " + e.getMessage(), where, e);
        }
    }

    /** Only the header's column names, for the manifest; reading stops after the first record. */
    public List<String> columns(Path file) {
        return parse(file, parser -> {
            CsvParser.Record header = parser.next();
            return header == null || header.blank() ? List.<String>of() : columnNames(header, file);
        });
    }

    private interface ParserWork<T> {
        T apply(CsvParser parser) throws IOException;
    }

    private <T> T parse(Path file, ParserWork<T> work) {
        try (CharInput in = new CharInput(Files.newInputStream(file))) {
            if (in.peek() == BOM) in.read();
            return work.apply(new CsvParser(in, file, separator));
        } catch (CharacterCodingException e) {
            // Only the byte-order-mark check reads outside the parser, which reports its own line numbers.
            throw new ConfigException("the file is not valid UTF-8 (seeds must be UTF-8 encoded)",
                    SourceLocation.of(file, 1), e);
        } catch (NoSuchFileException e) {
            throw new ConfigException("seed file does not exist", SourceLocation.of(file), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read seed file: " + e, SourceLocation.of(file), e);
        }
    }

    private static CsvTable read(CsvParser parser, Path file, Map<String, String> overrides) throws IOException {
        CsvParser.Record header = parser.next();
        if (header == null) {
            throw new ConfigException("seed file is empty; the first row must be a header", SourceLocation.of(file, 1));
        }
        if (header.blank()) {
            throw new ConfigException("the first line is blank; it must be the header", SourceLocation.of(file, 1));
        }
        List<String> columns = columnNames(header, file);
        int width = columns.size();
        boolean[] overridden = overriddenColumns(columns, overrides, file);

        TypeInference[] inference = new TypeInference[width];
        for (int i = 0; i < width; i++) inference[i] = new TypeInference();
        List<Object[]> rows = new ArrayList<>();
        // Blank lines are only allowed at the end, so they are held back until a data row follows them.
        int pendingBlank = 0;
        int firstBlankLine = 0;
        for (CsvParser.Record record = parser.next(); record != null; record = parser.next()) {
            if (record.blank()) {
                if (pendingBlank++ == 0) firstBlankLine = record.line();
                continue;
            }
            if (pendingBlank > 0) {
                if (width != 1) {
                    throw new ConfigException("blank line inside the data, but the header has " + width + " fields",
                            SourceLocation.of(file, firstBlankLine));
                }
                // With a single column an empty line is simply a null value.
                for (; pendingBlank > 0; pendingBlank--) rows.add(new Object[1]);
            }
            List<String> fields = record.fields();
            if (fields.size() != width) {
                throw new ConfigException("row has " + fields.size() + (fields.size() == 1 ? " field" : " fields")
                        + " but the header has " + width, SourceLocation.of(file, record.line()));
            }
            Object[] row = new Object[width];
            for (int i = 0; i < width; i++) {
                String value = fields.get(i);
                if (value.isEmpty()) continue;
                row[i] = value;
                if (!overridden[i]) inference[i].accept(value);
            }
            rows.add(row);
        }

        List<ColumnType> types = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            types.add(overridden[i] ? ColumnType.TEXT : inference[i].type());
        }
        return new CsvTable(List.copyOf(columns), List.copyOf(types), typedRows(rows, types));
    }

    private static List<String> columnNames(CsvParser.Record header, Path file) {
        List<String> columns = new ArrayList<>();
        // Warehouse identifiers are case-insensitive, so "ID" and "id" would collide as columns.
        Map<String, Integer> seen = new HashMap<>();
        for (String raw : header.fields()) {
            String name = raw.trim();
            int position = columns.size() + 1;
            if (name.isEmpty()) {
                throw new ConfigException("header column " + position + " has an empty name",
                        SourceLocation.of(file, header.line()));
            }
            Integer earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), position);
            if (earlier != null) {
                throw new ConfigException("duplicate column name '" + name + "' in the header (columns " + earlier
                        + " and " + position + ")", SourceLocation.of(file, header.line()));
            }
            columns.add(name);
        }
        return columns;
    }

    private static boolean[] overriddenColumns(List<String> columns, Map<String, String> overrides, Path file) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) index.put(columns.get(i).toLowerCase(Locale.ROOT), i);
        boolean[] overridden = new boolean[columns.size()];
        for (String name : overrides.keySet()) {
            Integer i = index.get(name.trim().toLowerCase(Locale.ROOT));
            if (i == null) {
                throw new ConfigException("column_types names column '" + name + "', which is not in the seed header "
                        + columns, SourceLocation.of(file));
            }
            overridden[i] = true;
        }
        return overridden;
    }

    /** Replaces the strings in place so the raw text is released column by column. */
    private static List<List<Object>> typedRows(List<Object[]> rows, List<ColumnType> types) {
        for (int i = 0; i < types.size(); i++) {
            ColumnType type = types.get(i);
            if (type == ColumnType.TEXT) continue;
            for (Object[] row : rows) {
                if (row[i] != null) row[i] = TypeInference.convert((String) row[i], type);
            }
        }
        List<List<Object>> result = new ArrayList<>(rows.size());
        // Arrays.asList rather than List.of: rows contain nulls.
        for (Object[] row : rows) result.add(Collections.unmodifiableList(Arrays.asList(row)));
        return Collections.unmodifiableList(result);
    }
}
