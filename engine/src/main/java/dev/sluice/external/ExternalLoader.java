package dev.sluice.external;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.error.ConfigException;
import dev.sluice.error.DataValidationException;
import dev.sluice.materialize.Swap;
import dev.sluice.project.ColumnSpec;
import dev.sluice.project.ExternalSpec;
import dev.sluice.project.SchemaMap;
import dev.sluice.project.SourceTable;
import dev.sluice.seed.ColumnType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Loads external sources (a Parquet or CSV file declared under a source table's {@code external:}) into the
 * source's table: DuckDB in memory reads the file (read_parquet / read_csv), the rows go through the session's
 * bulk path (COPY on PostgreSQL, the appender on DuckDB); a warehouse that reads this machine's files itself
 * (local Spark) is given the file instead. Either way the table is built under a temporary name and swapped in,
 * so a failed load leaves the previous table. A ledger table keeps each load's file hash; a
 * file whose content was loaded already is not loaded again.
 */
public final class ExternalLoader {
    public static final String LEDGER = "sluice_external_loads";
    private final Adapter adapter;
    private final Relation ledger;

    public ExternalLoader(Adapter adapter, String database, String targetSchema) {
        this.adapter = adapter;
        this.ledger = new Relation(database, targetSchema, LEDGER);
    }

    /**
     * Loaded (or already there): what was done, for the node's log line. One load at a time: PostgreSQL fails two
     * concurrent creations of the same ledger or schema (its catalog's unique index), and loads share the ledger.
     */
    public String ensureLoaded(Session s, String sourceId, SourceTable t) {
        synchronized (this) {
            ExternalSpec ext = t.external();
            Relation target = new Relation(t.database(), t.schema(), t.identifier());
            if (!Files.isRegularFile(ext.file())) {
                throw new DataValidationException("external source " + t.sourceName() + "." + t.name() + ": file "
                        + ext.location() + " does not exist", ext.at());
            }
            String hash = sha256(ext);
            s.execute(adapter.createSchemaSql(ledger));
            s.execute("create table if not exists " + adapter.render(ledger) + " (source_id " + adapter.typeFor(ColumnType.TEXT)
                    + ", file_sha256 " + adapter.typeFor(ColumnType.TEXT) + ", row_count " + adapter.typeFor(ColumnType.BIGINT)
                    + ", loaded_at " + adapter.typeFor(ColumnType.TIMESTAMP) + ")");
            List<Map<String, Object>> last = s.query("select file_sha256 from " + adapter.render(ledger) + " where source_id = "
                    + adapter.stringLiteral(sourceId) + " order by loaded_at desc limit 1");
            if (!last.isEmpty() && hash.equals(String.valueOf(last.get(0).values().iterator().next()))
                    && s.relationKind(target).isPresent()) {
                return null;
            }
            long rows = load(s, t, target);
            s.append(ledger, List.of("source_id", "file_sha256", "row_count", "loaded_at"),
                    List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.BIGINT, ColumnType.TIMESTAMP),
                    List.<List<Object>>of(List.of(sourceId, hash, rows, LocalDateTime.now(java.time.ZoneOffset.UTC))).iterator());
            return "loaded " + rows + " rows of " + ext.location() + " into " + target.display();
        }
    }

    private long load(Session s, SourceTable t, Relation target) {
        ExternalSpec ext = t.external();
        String what = "external source " + t.sourceName() + "." + t.name();
        String path = ext.file().toAbsolutePath().toString().replace("'", "''");
        String reader = ext.format().equals("parquet") ? "read_parquet('" + path + "')" : "read_csv('" + path + "', header = true)";
        List<ColumnSpec> declared = t.columns();
        StringBuilder select = new StringBuilder("select ");
        List<String> names = new ArrayList<>();
        List<ColumnType> types = new ArrayList<>();
        if (declared.isEmpty()) {
            select.append("*");
        } else {
            for (ColumnSpec c : declared) {
                if (c.dataType() == null) {
                    throw new ConfigException(what + ": column " + c.name() + " needs a data_type (string, integer, "
                            + "decimal, double, date, timestamp, boolean) to be loaded", ext.at());
                }
                ColumnType type = columnType(SchemaMap.Type.parse(c.dataType(), ext.at()).family());
                names.add(c.name());
                types.add(type);
                select.append(names.size() > 1 ? ", " : "").append("cast(\"").append(c.name().replace("\"", "\"\""))
                        .append("\" as ").append(duckType(type)).append(") as \"").append(c.name().replace("\"", "\"\"")).append('"');
            }
        }
        select.append(" from ").append(reader);
        if (adapter.createTableFromFileSql(target, ext.file(), ext.format(), names, types).isPresent()) {
            // The warehouse reads the file itself (local Spark): no rows pass through here.
            long[] n = new long[1];
            try {
                s.execute(adapter.createSchemaSql(target));
                new Swap(adapter).replace(s, target, RelationKind.TABLE, tmp -> {
                    for (String sql : adapter.createTableFromFileSql(tmp, ext.file(), ext.format(), names, types).orElseThrow()) {
                        s.execute(sql);
                    }
                    n[0] = ((Number) s.query("select count(*) as n from " + adapter.render(tmp)).get(0).values().iterator().next()).longValue();
                });
            } catch (dev.sluice.error.DatabaseException e) {
                throw new DataValidationException(what + ": " + ext.location() + " could not be read as " + ext.format() + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), ext.at());
            }
            return n[0];
        }
        try (Connection duck = dev.sluice.adapter.DuckDbAdapter.inMemory();
             Statement st = duck.createStatement();
             ResultSet rs = st.executeQuery(select.toString())) {
            ResultSetMetaData md = rs.getMetaData();
            if (declared.isEmpty()) {
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    names.add(md.getColumnLabel(i));
                    types.add(inferred(md.getColumnTypeName(i), what, md.getColumnLabel(i), ext));
                }
            }
            long[] n = new long[1];
            s.execute(adapter.createSchemaSql(target));
            new Swap(adapter).replace(s, target, RelationKind.TABLE, tmp -> {
                List<String> defs = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) defs.add(adapter.quote(names.get(i)) + " " + adapter.typeFor(types.get(i)));
                s.execute(adapter.createTableColumnsSql(tmp, defs));
                n[0] = s.append(tmp, names, types, rows(rs, types));
            });
            return n[0];
        } catch (SQLException e) {
            throw new DataValidationException(what + ": " + ext.location() + " could not be read as " + ext.format() + ": "
                    + e.getMessage().lines().findFirst().orElse(""), ext.at());
        }
    }

    private static Iterator<List<Object>> rows(ResultSet rs, List<ColumnType> types) {
        return new Iterator<>() {
            private Boolean ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    try {
                        ahead = rs.next();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                }
                return ahead;
            }

            @Override
            public List<Object> next() {
                if (!hasNext()) throw new NoSuchElementException();
                ahead = null;
                List<Object> row = new ArrayList<>(types.size());
                try {
                    for (int i = 0; i < types.size(); i++) {
                        Object v = switch (types.get(i)) {
                            case DATE -> rs.getObject(i + 1, LocalDate.class);
                            case TIMESTAMP -> rs.getObject(i + 1, LocalDateTime.class);
                            case BIGINT -> rs.getObject(i + 1) == null ? null : rs.getLong(i + 1);
                            case DOUBLE -> rs.getObject(i + 1) == null ? null : rs.getDouble(i + 1);
                            case DECIMAL -> rs.getBigDecimal(i + 1);
                            case BOOLEAN -> rs.getObject(i + 1) == null ? null : rs.getBoolean(i + 1);
                            case TEXT -> rs.getString(i + 1);
                        };
                        row.add(v);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                return row;
            }
        };
    }

    static ColumnType columnType(String family) {
        return switch (family) {
            case "integer" -> ColumnType.BIGINT;
            case "decimal" -> ColumnType.DECIMAL;
            case "double" -> ColumnType.DOUBLE;
            case "date" -> ColumnType.DATE;
            case "timestamp" -> ColumnType.TIMESTAMP;
            case "boolean" -> ColumnType.BOOLEAN;
            default -> ColumnType.TEXT;
        };
    }

    private static String duckType(ColumnType t) {
        return switch (t) {
            case BIGINT -> "bigint";
            case DECIMAL -> "decimal(38, 10)";
            case DOUBLE -> "double";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case BOOLEAN -> "boolean";
            case TEXT -> "varchar";
        };
    }

    private static ColumnType inferred(String duckType, String what, String column, ExternalSpec ext) {
        String t = duckType.toUpperCase(Locale.ROOT);
        if (t.matches("(U?)(TINYINT|SMALLINT|INTEGER|BIGINT)")) return ColumnType.BIGINT;
        if (t.startsWith("DECIMAL")) return ColumnType.DECIMAL;
        if (t.equals("DOUBLE") || t.equals("FLOAT")) return ColumnType.DOUBLE;
        if (t.equals("VARCHAR")) return ColumnType.TEXT;
        if (t.equals("DATE")) return ColumnType.DATE;
        if (t.startsWith("TIMESTAMP")) return ColumnType.TIMESTAMP;
        if (t.equals("BOOLEAN")) return ColumnType.BOOLEAN;
        throw new ConfigException(what + ": column " + column + " of " + ext.location() + " is " + duckType
                + ", which is not loaded; declare the column with a data_type to cast it", ext.at());
    }

    /** The file's content hash: part of the source's data version, so a new file with as many rows still counts. */
    public static String sha256(ExternalSpec ext) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(ext.file()), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new DataValidationException("external file " + ext.location() + " could not be read: " + e.getMessage(), ext.at());
        }
    }
}
