package dev.sluice.generate;

import dev.sluice.adapter.Relation;
import dev.sluice.error.ConfigException;
import dev.sluice.ml.ResultTable;
import dev.sluice.ml.TableWriter;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorContext;
import dev.sluice.operator.OperatorResult;
import dev.sluice.seed.ColumnType;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * store_data_generator: writes seed 004's input files (see {@link StoreFiles}) into {@code path} under the project
 * folder, and its one output table lists them (file, rows, sha256), so the models that read the files as external
 * sources can depend on it and run after it. Config: path (default data/raw), stores, weeks, seed, end_date.
 */
public final class StoreDataOperator implements Operator {
    @Override
    public String type() {
        return "store_data_generator";
    }

    @Override
    public java.util.Set<String> configKeys() {
        return java.util.Set.of("path", "stores", "weeks", "seed", "end_date");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        if (ctx.outputs().size() != 1) {
            throw new ConfigException("operator '" + ctx.node().name() + "' of type store_data_generator writes one table, "
                    + "the list of files it wrote: list it under outputs", ctx.where());
        }
        Path root = ctx.projectRoot().toAbsolutePath().normalize();
        Path dir = root.resolve(ctx.string("path", "data/raw")).normalize();
        if (!dir.startsWith(root)) {
            throw new ConfigException("path of operator '" + ctx.node().name() + "' must stay inside the project folder", ctx.where());
        }
        StoreData data;
        try {
            data = new StoreData((int) ctx.number("stores", 60), (int) ctx.number("weeks", 52), ctx.number("seed", 42),
                    LocalDate.parse(ctx.string("end_date", "2025-06-30")));
        } catch (DateTimeParseException e) {
            throw new ConfigException("end_date of operator '" + ctx.node().name() + "' must be a date like 2025-06-30", ctx.where());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("operator '" + ctx.node().name() + "': " + e.getMessage(), ctx.where());
        }
        Map<String, Long> written = StoreFiles.write(data, dir);
        List<List<Object>> rows = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Long> e : written.entrySet()) {
            Path f = dir.resolve(e.getKey());
            rows.add(List.of(root.relativize(f).toString(), e.getValue(), sha256(f)));
            total += e.getValue();
        }
        Relation out = ctx.outputs().values().iterator().next();
        new TableWriter(ctx.adapter()).write(ctx.session(), out, new ResultTable(List.of("file", "row_count", "sha256"),
                List.of(ColumnType.TEXT, ColumnType.BIGINT, ColumnType.TEXT), rows));
        ctx.log("wrote " + written.size() + " files for " + data.stores() + " stores to " + root.relativize(dir));
        return new OperatorResult(written.size() + " files, " + total + " rows", total);
    }

    private static String sha256(Path f) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(f)));
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
