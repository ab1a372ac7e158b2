package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL sessions bulk-append with COPY FROM STDIN in CSV format: one round trip for the whole stream
 * instead of one per batch, and the server parses text far faster than it executes INSERTs.
 */
public class PostgresSession extends JdbcSession {
    /** Bytes gathered before a write to the server; large enough to amortise the call, small enough to stream. */
    private static final int CHUNK = 1 << 16;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    public PostgresSession(Adapter adapter, Connection connection) {
        super(adapter, connection);
    }

    /** PostgreSQL folds names written without quotes to lower case. */
    @Override
    public String storedName(String name, boolean quoted) {
        return quoted ? name : name.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * dbt-postgres' catalog: pg_catalog rather than information_schema, so types carry their modifiers
     * (character varying(10), numeric(12,2)), comments come from pg_description and the owner is the role
     * owning the relation. Temporary and other sessions' relations are left out, as dbt does.
     */
    @Override
    public Optional<Map<String, CatalogRelation>> catalog(Relation inSchema) {
        return Optional.of(catalogQuery("""
                select tbl.relname,
                       case tbl.relkind when 'v' then 'VIEW' when 'm' then 'MATERIALIZED VIEW' else 'BASE TABLE' end,
                       tbl_desc.description, pg_catalog.pg_get_userbyid(tbl.relowner),
                       col.attname, col.attnum, pg_catalog.format_type(col.atttypid, col.atttypmod), col_desc.description
                from pg_catalog.pg_namespace sch
                join pg_catalog.pg_class tbl on tbl.relnamespace = sch.oid
                join pg_catalog.pg_attribute col on col.attrelid = tbl.oid
                left join pg_catalog.pg_description tbl_desc on tbl_desc.objoid = tbl.oid and tbl_desc.objsubid = 0
                    and tbl_desc.classoid = 'pg_catalog.pg_class'::regclass
                left join pg_catalog.pg_description col_desc on col_desc.objoid = tbl.oid and col_desc.objsubid = col.attnum
                    and col_desc.classoid = 'pg_catalog.pg_class'::regclass
                where sch.nspname = ? and tbl.relpersistence in ('p', 'u') and tbl.relkind in ('r', 'v', 'f', 'p', 'm')
                  and col.attnum > 0 and not col.attisdropped
                order by tbl.relname, col.attnum""", List.of(inSchema.schema())));
    }

    @Override
    public long append(Relation r, List<String> columns, List<ColumnType> types, Iterator<List<Object>> rows) {
        checkShape(columns, types);
        return inTransaction(() -> {
            String copySql = copySql(r, columns);
            SqlLog.sent(adapter.type(), copySql);
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            try {
                StringBuilder buf = new StringBuilder(CHUNK + 1024);
                long n = 0;
                while (rows.hasNext()) {
                    List<Object> row = checkRow(rows.next(), columns.size(), n);
                    csvLine(buf, row, types);
                    n++;
                    if (buf.length() >= CHUNK) write(copy, buf);
                }
                write(copy, buf);
                copy.endCopy();
                return n;
            } finally {
                // An iterator or encoding failure leaves the COPY open; cancelling it keeps the connection usable.
                if (copy.isActive()) copy.cancelCopy();
            }
        });
    }

    private String copySql(Relation r, List<String> columns) {
        StringBuilder sql = new StringBuilder("copy ").append(adapter.render(r)).append(" (");
        for (int i = 0; i < columns.size(); i++) sql.append(i > 0 ? ", " : "").append(adapter.quote(columns.get(i)));
        return sql.append(") from stdin with (format csv)").toString();
    }

    private static void write(CopyIn copy, StringBuilder buf) throws SQLException {
        if (buf.isEmpty()) return;
        byte[] bytes = buf.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buf.setLength(0);
    }

    /**
     * One CSV record in PostgreSQL's COPY dialect: an unquoted empty field is NULL, so every text value is
     * quoted (an empty string stays an empty string) with embedded quotes doubled.
     */
    static void csvLine(StringBuilder out, List<Object> row, List<ColumnType> types) {
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) out.append(',');
            Object v = row.get(i);
            if (v == null) continue;
            if (types.get(i) == ColumnType.TEXT || v instanceof String) {
                quoted(out, v.toString());
            } else if (v instanceof BigDecimal d) {
                out.append(d.toPlainString());
            } else if (v instanceof LocalDateTime t) {
                out.append(TIMESTAMP.format(t));
            } else if (v instanceof LocalDate d) {
                out.append(d);
            } else {
                // Numbers and booleans print in forms the server's input functions accept (incl. NaN, Infinity).
                out.append(v);
            }
        }
        out.append('\n');
    }

    private static void quoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') out.append('"');
            out.append(c);
        }
        out.append('"');
    }
}
