package dev.sluice.activation;

import dev.sluice.error.ConfigException;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorContext;
import dev.sluice.operator.OperatorResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * export_file: writes the input query's rows to a CSV, JSON Lines or Parquet file. Config: path (relative to
 * target/exports/, default the operator's name), format (csv | jsonl | parquet, default from the path's
 * extension, else csv), hash_columns, and incremental + id_column, which also write
 * {@code <name>.changes.<format>} with an action column (add, update, remove) against the state table output.
 */
public final class ExportFileOperator implements Operator {
    @Override
    public String type() {
        return "export_file";
    }

    @Override
    public java.util.Set<String> configKeys() {
        return ExportConfig.keys("path", "format");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        String configured = ctx.string("path", null);
        ExportFormat format = ctx.string("format", null) != null ? ExportFormat.parse(ctx.string("format", null))
                : configured != null ? formatOf(configured) : ExportFormat.CSV;
        Path file = resolve(ctx, configured == null ? ctx.node().name() + "." + format.extension() : configured);
        boolean incremental = ExportConfig.incremental(ctx);
        String idColumn = ExportConfig.idColumn(ctx, incremental);
        String shown = ctx.projectRoot().toAbsolutePath().normalize().relativize(file).toString();
        ExportRows rows = ExportRows.query(ctx.session(), ctx.inputSql(), ExportConfig.hashColumns(ctx));
        try {
            format.write(rows, file);
            if (!incremental) {
                String message = rows.size() + " rows to " + shown;
                ActivationLog.record(ctx, new ActivationLog.Entry("file", shown, "success", rows.size(), null, message));
                return new OperatorResult(message, rows.size());
            }
            ExportState state = new ExportState(ctx.adapter(), ctx.session(), ExportConfig.stateTable(ctx));
            state.ensureExists();
            List<Change> changes = ChangeSet.diff(rows, idColumn, state.load());
            Path changesFile = file.resolveSibling(baseName(file) + ".changes." + format.extension());
            format.write(changeRows(rows, idColumn, changes), changesFile);
            // The changes file is in place before the state moves on: a crash in between rewrites it next run.
            state.apply(changes, java.time.Instant.now());
            ctx.log(WebhookExport.summary(changes) + " -> " + ctx.projectRoot().toAbsolutePath().normalize().relativize(changesFile));
            String message = rows.size() + " rows to " + shown + ", " + changes.size() + " changes";
            ActivationLog.record(ctx, new ActivationLog.Entry("file", shown, "success", rows.size(), ActivationLog.Counts.of(changes),
                    WebhookExport.summary(changes)));
            return new OperatorResult(message, rows.size());
        } catch (RuntimeException e) {
            recordFailure(ctx, "file", shown, rows.size(), String.valueOf(e.getMessage()), e);
            throw e;
        }
    }

    /** Logs a failed export; a failure to log it too is attached to the export's error, which stays the one reported. */
    static void recordFailure(OperatorContext ctx, String kind, String destination, long audience, String message, RuntimeException cause) {
        try {
            ActivationLog.record(ctx, new ActivationLog.Entry(kind, destination, "failure", audience, null,
                    message.lines().findFirst().orElse("")));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Relative paths live under target/exports/ and may not climb out of the project, neither by ".." nor
     * through a symbolic link: the check compares real paths.
     */
    static Path resolve(OperatorContext ctx, String configured) {
        Path p = Path.of(configured);
        if (p.isAbsolute()) return p.normalize();
        Path root = real(ctx.projectRoot().toAbsolutePath().normalize());
        Path exports = real(ctx.targetDir().toAbsolutePath().normalize().resolve("exports"));
        Path resolved = real(exports.resolve(p).normalize());
        // target-path may itself be outside the project; what is under its exports/ folder is fine too.
        if (!resolved.startsWith(root) && !resolved.startsWith(exports)) {
            throw new ConfigException("path '" + configured + "' of operator '" + ctx.node().name()
                    + "' leads outside the project; use an absolute path to write elsewhere", ctx.where());
        }
        return resolved;
    }

    /** The path with symbolic links followed: the nearest existing ancestor's real path plus the rest. */
    static Path real(Path absolute) {
        Path existing = absolute;
        while (existing != null && !java.nio.file.Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return absolute;
        try {
            Path rest = existing.relativize(absolute);
            return existing.toRealPath().resolve(rest).normalize();
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot resolve " + absolute + ": " + e.getMessage());
        }
    }

    static ExportFormat formatOf(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".parquet")) return ExportFormat.PARQUET;
        if (p.endsWith(".jsonl") || p.endsWith(".ndjson")) return ExportFormat.JSONL;
        return ExportFormat.CSV;
    }

    /** winback.csv -> winback, so the changes file is winback.changes.csv. */
    static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** action, then the row's columns; a remove has only its id (typed like the id column where it can be). */
    static ExportRows changeRows(ExportRows rows, String idColumn, List<Change> changes) {
        List<String> columns = new ArrayList<>();
        columns.add("action");
        columns.addAll(rows.columns());
        List<ExportRows.Kind> kinds = new ArrayList<>();
        kinds.add(ExportRows.Kind.TEXT);
        kinds.addAll(rows.kinds());
        int idIndex = rows.indexOf(idColumn);
        ExportRows.Kind idKind = rows.kinds().get(idIndex);
        List<List<Object>> out = new ArrayList<>();
        for (Change c : changes) {
            List<Object> r = new ArrayList<>();
            r.add(c.action());
            if (c.row() >= 0) {
                r.addAll(rows.rows().get(c.row()));
            } else {
                for (int i = 0; i < rows.columns().size(); i++) r.add(i == idIndex ? idValue(c.id(), idKind) : null);
            }
            out.add(r);
        }
        return new ExportRows(columns, kinds, out);
    }

    private static Object idValue(String id, ExportRows.Kind kind) {
        try {
            return switch (kind) {
                case BIGINT -> Long.parseLong(id);
                case DECIMAL -> new java.math.BigDecimal(id);
                case DOUBLE -> Double.parseDouble(id);
                default -> id;
            };
        } catch (NumberFormatException e) {
            return kind == ExportRows.Kind.TEXT ? id : null;
        }
    }
}
