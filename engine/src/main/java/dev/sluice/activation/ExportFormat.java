package dev.sluice.activation;

import dev.sluice.error.ConfigException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/** The file formats export_file writes. Each writes to a temporary file that is then moved into place. */
public enum ExportFormat {
    CSV, JSONL, PARQUET;

    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExportFormat parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("format must be csv, jsonl or parquet, got '" + s + "'");
        }
    }

    /** Writes rows to file atomically: readers see the previous file or the whole new one, never a part. */
    public void write(ExportRows rows, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            removeLeftovers(dir, file.getFileName().toString());
            Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            try {
                switch (this) {
                    case CSV -> writeCsv(rows, tmp);
                    case JSONL -> writeJsonl(rows, tmp);
                    case PARQUET -> writeParquet(rows, tmp);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ExportException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Temporary files the way write() names them: ".<file name>.<random digits>.tmp". */
    private static final java.util.regex.Pattern TEMP = java.util.regex.Pattern.compile("\\.(.+)\\.-?\\d+\\.tmp");

    /**
     * Deletes temporary files a killed run left beside an export (they may hold part of an audience). Only
     * called while this run holds the target's run lock, so no live writer owns them.
     */
    static void removeLeftovers(Path dir, String fileName) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                java.util.regex.Matcher m = TEMP.matcher(p.getFileName().toString());
                if (m.matches() && (fileName == null || m.group(1).equals(fileName)) && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Removes every export temporary file under a folder (target/exports/ at the start of a run). */
    public static int removeAllLeftovers(Path exportsDir) {
        if (!Files.isDirectory(exportsDir)) return 0;
        int[] removed = {0};
        try (var walk = Files.walk(exportsDir)) {
            for (Path p : walk.toList()) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && TEMP.matcher(p.getFileName().toString()).matches()) {
                    Files.deleteIfExists(p);
                    removed[0]++;
                }
            }
        } catch (IOException e) {
            throw new ExportException("cannot clean " + exportsDir + ": " + e.getMessage(), e);
        }
        return removed[0];
    }

    /** RFC 4180: a header line, fields quoted when they hold a comma, quote or line break; null is empty. */
    private static void writeCsv(ExportRows rows, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(csvLine(List.copyOf(rows.columns())));
            for (List<Object> r : rows.rows()) w.write(csvLine(r));
        }
    }

    private static String csvLine(List<?> values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) s.append(',');
            String v = ExportRows.text(values.get(i));
            if (v == null) continue;
            boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
            s.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
        }
        return s.append("\r\n").toString();
    }

    private static void writeJsonl(ExportRows rows, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < rows.size(); i++) {
                w.write(ExportRows.json(rows.payload(i)));
                w.write('\n');
            }
        }
    }

    /**
     * Through a private in-memory DuckDB, whatever the warehouse is: rows go in with the appender and out
     * with COPY ... (FORMAT parquet), which writes typed columns (dates, decimals) rather than text.
     */
    private static void writeParquet(ExportRows rows, Path file) throws IOException {
        try (DuckDBConnection duck = dev.sluice.adapter.DuckDbAdapter.inMemory();
             Statement st = duck.createStatement()) {
            StringBuilder ddl = new StringBuilder("create table export_rows (");
            int[] scales = new int[rows.columns().size()];
            for (int c = 0; c < rows.columns().size(); c++) {
                scales[c] = rows.decimalScale(c);
                ddl.append(c == 0 ? "" : ", ").append('"').append(rows.columns().get(c).replace("\"", "\"\"")).append("\" ")
                        .append(duckType(rows.kinds().get(c), scales[c]));
            }
            // A private in-process DuckDB, not the warehouse: logged under its own name.
            dev.sluice.adapter.SqlLog.sent("duckdb (parquet export)", ddl.append(')').toString());
            st.execute(ddl.toString());
            try (DuckDBAppender app = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "export_rows")) {
                for (List<Object> r : rows.rows()) {
                    app.beginRow();
                    for (int c = 0; c < r.size(); c++) append(app, rows.kinds().get(c), r.get(c), scales[c]);
                    app.endRow();
                }
                app.flush();
            }
            Files.deleteIfExists(file);
            String copy = "copy export_rows to '" + file.toAbsolutePath().toString().replace("'", "''") + "' (format parquet)";
            dev.sluice.adapter.SqlLog.sent("duckdb (parquet export)", copy);
            st.execute(copy);
        } catch (SQLException e) {
            throw new ExportException("cannot write Parquet " + file + ": " + e.getMessage(), e);
        }
    }

    private static String duckType(ExportRows.Kind kind, int scale) {
        return switch (kind) {
            case BIGINT -> "bigint";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal(38, " + scale + ")";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case TEXT -> "varchar";
        };
    }

    private static void append(DuckDBAppender app, ExportRows.Kind kind, Object v, int scale) throws SQLException {
        if (v == null) {
            app.appendNull();
            return;
        }
        switch (kind) {
            case BIGINT -> app.append(((Number) v).longValue());
            case DOUBLE -> app.append(((Number) v).doubleValue());
            // The appender wants the column's exact scale.
            case DECIMAL -> app.append(((BigDecimal) v).setScale(scale, RoundingMode.HALF_UP));
            case BOOLEAN -> app.append(((Boolean) v).booleanValue());
            case DATE -> app.append((LocalDate) v);
            case TIMESTAMP -> app.append((LocalDateTime) v);
            case TEXT -> app.append(v.toString());
        }
    }
}
