package dev.sluice.adapter;

import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;
import dev.sluice.seed.CsvTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DuckDbAppendTest {
    private static final List<String> COLUMNS = List.of("id", "small", "ratio", "price", "flag", "day", "at", "label");
    private static final List<ColumnType> TYPES = List.of(ColumnType.BIGINT, ColumnType.BIGINT, ColumnType.DOUBLE,
            ColumnType.DECIMAL, ColumnType.BOOLEAN, ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.TEXT);
    private static final Relation TABLE = new Relation(null, "raw", "things");

    @TempDir
    Path dir;
    private DuckDbAdapter adapter;
    private Session session;

    @BeforeEach
    void open() {
        Target target = new Target("p", "dev", "duckdb", null, "raw", 1,
                Map.of("type", "duckdb", "path", dir.resolve("t.duckdb").toString()), null);
        adapter = new DuckDbAdapter(target);
        session = adapter.open();
        session.execute(adapter.createSchemaSql(TABLE));
        StringBuilder ddl = new StringBuilder("create table " + adapter.render(TABLE) + " (");
        for (int i = 0; i < COLUMNS.size(); i++) {
            ddl.append(i > 0 ? ", " : "").append(adapter.quote(COLUMNS.get(i))).append(' ').append(adapter.typeFor(TYPES.get(i)));
        }
        session.execute(ddl.append(')').toString());
    }

    @AfterEach
    void close() {
        session.close();
        adapter.close();
    }

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    // The driver's choice of Java class for temporal values is not what is under test.
    private static LocalDate date(Object v) {
        return v instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) v;
    }

    private static LocalDateTime timestamp(Object v) {
        return v instanceof java.sql.Timestamp t ? t.toLocalDateTime() : (LocalDateTime) v;
    }

    @Test
    void roundTripsEveryValueTypeAndNulls() {
        assertInstanceOf(DuckDbSession.class, session);
        List<List<Object>> rows = List.of(
                row(1L, 7, 0.25, new BigDecimal("1234.56"), true, LocalDate.of(2024, 2, 29),
                        LocalDateTime.of(2024, 2, 29, 13, 45, 6, 123_456_000), "plain"),
                row(2L, Integer.MIN_VALUE, -1e300, new BigDecimal("-0.01"), false, LocalDate.of(1970, 1, 1),
                        LocalDateTime.of(1999, 12, 31, 23, 59, 59), "quote \" comma , newline\n unicode é"),
                row(3L, null, null, null, null, null, null, null),
                row(Long.MAX_VALUE, 0L, 1.5, 10L, true, LocalDate.of(2030, 1, 1), LocalDate.of(2030, 1, 2), ""));
        assertEquals(4, session.append(TABLE, COLUMNS, TYPES, rows.iterator()));

        List<Map<String, Object>> back = session.query("select * from raw.things order by id");
        assertEquals(4, back.size());
        Map<String, Object> a = back.get(0);
        assertEquals(1L, a.get("id"));
        assertEquals(7L, a.get("small"));
        assertEquals(0.25, a.get("ratio"));
        assertEquals(0, new BigDecimal("1234.56").compareTo((BigDecimal) a.get("price")));
        assertEquals(true, a.get("flag"));
        assertEquals(LocalDate.of(2024, 2, 29), date(a.get("day")));
        assertEquals(LocalDateTime.of(2024, 2, 29, 13, 45, 6, 123_456_000), timestamp(a.get("at")));
        assertEquals("plain", a.get("label"));

        Map<String, Object> b = back.get(1);
        assertEquals((long) Integer.MIN_VALUE, b.get("small"));
        assertEquals(-1e300, b.get("ratio"));
        assertEquals(0, new BigDecimal("-0.01").compareTo((BigDecimal) b.get("price")));
        assertEquals(false, b.get("flag"));
        assertEquals("quote \" comma , newline\n unicode é", b.get("label"));

        Map<String, Object> c = back.get(2);
        for (String col : COLUMNS.subList(1, COLUMNS.size())) assertNull(c.get(col), col);

        Map<String, Object> d = back.get(3);
        assertEquals(Long.MAX_VALUE, d.get("id"));
        assertEquals(0, BigDecimal.TEN.compareTo((BigDecimal) d.get("price")));
        assertEquals(LocalDateTime.of(2030, 1, 2, 0, 0), timestamp(d.get("at")));
        assertEquals("", d.get("label"));
    }

    @Test
    void streamsManyRowsWithoutAList() {
        Iterator<List<Object>> rows = new Iterator<>() {
            long i = 0;

            @Override
            public boolean hasNext() {
                return i < 100_000;
            }

            @Override
            public List<Object> next() {
                if (!hasNext()) throw new NoSuchElementException();
                i++;
                return row(i, i % 7, i / 3.0, BigDecimal.valueOf(i, 2), i % 2 == 0, LocalDate.of(2024, 1, 1).plusDays(i % 366),
                        null, "r" + i);
            }
        };
        assertEquals(100_000, session.append(TABLE, COLUMNS, TYPES, rows));
        Map<String, Object> agg = session.query("select count(*) n, sum(id) s, sum(price) p from raw.things").get(0);
        assertEquals(100_000L, agg.get("n"));
        assertEquals(0, new BigDecimal(100_000L * 100_001L / 2).compareTo(new BigDecimal(agg.get("s").toString())));
        assertEquals(0, BigDecimal.valueOf(100_000L * 100_001L / 2, 2).compareTo((BigDecimal) agg.get("p")));
    }

    /**
     * Rows over three batches (the last not a whole number of validity bytes), nulls at positions that fall on
     * every bit of a validity byte, a decimal narrow enough for one long and negative values: each column's count
     * and sum must be what was handed over.
     */
    @Test
    void valuesAndNullsSurviveSeveralBatches() {
        Relation narrow = new Relation(null, "raw", "narrow");
        session.execute("create table " + adapter.render(narrow) + " (id bigint, n bigint, amount decimal(9, 2), d date, label varchar)");
        int rows = 2 * 122_880 + 1_003;
        List<List<Object>> data = new ArrayList<>();
        long nCount = 0, nSum = 0, amountCount = 0, amountCents = 0, labels = 0, days = 0;
        for (int i = 0; i < rows; i++) {
            Long n = i % 11 == 0 ? null : (long) (i % 2 == 0 ? -i : i);
            BigDecimal amount = i % 13 == 0 ? null : BigDecimal.valueOf(i % 3 == 0 ? -i : i, 2);
            LocalDate d = i % 7 == 0 ? null : LocalDate.of(2020, 1, 1).plusDays(i % 1000);
            String label = i % 5 == 0 ? null : "l" + (i % 17);
            if (n != null) { nCount++; nSum += n; }
            if (amount != null) { amountCount++; amountCents += amount.unscaledValue().longValue(); }
            if (d != null) days++;
            if (label != null) labels++;
            data.add(row((long) i, n, amount, d, label));
        }
        assertEquals(rows, session.append(narrow, List.of("id", "n", "amount", "d", "label"),
                List.of(ColumnType.BIGINT, ColumnType.BIGINT, ColumnType.DECIMAL, ColumnType.DATE, ColumnType.TEXT), data.iterator()));
        Map<String, Object> agg = session.query("select count(*) c, sum(id) s, count(n) nc, sum(n) ns, count(amount) ac, "
                + "sum(amount) asum, count(d) dc, count(label) lc, "
                + "count(*) filter (where n is distinct from (case when id % 11 = 0 then null when id % 2 = 0 then -id else id end)) bad_n, "
                + "count(*) filter (where label is distinct from (case when id % 5 = 0 then null else 'l' || (id % 17) end)) bad_label "
                + "from raw.narrow").get(0);
        assertEquals((long) rows, agg.get("c"));
        assertEquals(0, BigDecimal.valueOf((long) rows * (rows - 1) / 2).compareTo(new BigDecimal(agg.get("s").toString())));
        assertEquals(nCount, agg.get("nc"));
        assertEquals(0, BigDecimal.valueOf(nSum).compareTo(new BigDecimal(agg.get("ns").toString())));
        assertEquals(amountCount, agg.get("ac"));
        assertEquals(0, BigDecimal.valueOf(amountCents, 2).compareTo((BigDecimal) agg.get("asum")));
        assertEquals(days, agg.get("dc"));
        assertEquals(labels, agg.get("lc"));
        assertEquals(0L, agg.get("bad_n"));
        assertEquals(0L, agg.get("bad_label"));
    }

    @Test
    void failureMidStreamAppendsNothing() {
        Iterator<List<Object>> rows = new Iterator<>() {
            int i = 0;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public List<Object> next() {
                if (++i > 10) throw new IllegalStateException("source broke");
                return row((long) i, null, null, null, null, null, null, "x");
            }
        };
        assertThrows(IllegalStateException.class, () -> session.append(TABLE, COLUMNS, TYPES, rows));
        assertEquals(0L, session.query("select count(*) n from raw.things").get(0).get("n"));
        // The session is still usable after the rollback.
        assertEquals(1, session.append(TABLE, COLUMNS, TYPES, List.of(row(1L, null, null, null, null, null, null, "y")).iterator()));
    }

    @Test
    void wrongValueTypeIsReportedWithItsColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> session.append(TABLE, COLUMNS, TYPES,
                List.of(row(1L, "seven", null, null, null, null, null, null)).iterator()));
        assertEquals(true, e.getMessage().contains("small"), e.getMessage());
    }

    @Test
    void columnsInAnotherOrderOrASubsetFallBackToInserts() {
        List<String> cols = List.of("label", "id");
        List<ColumnType> types = List.of(ColumnType.TEXT, ColumnType.BIGINT);
        assertEquals(2, session.append(TABLE, cols, types, List.of(row("b", 2L), row("a", 1)).iterator()));
        List<Map<String, Object>> back = session.query("select id, label, price from raw.things order by id");
        assertEquals(List.of(1L, 2L), back.stream().map(m -> m.get("id")).toList());
        assertEquals("a", back.get(0).get("label"));
        assertNull(back.get(0).get("price"));
    }

    @Test
    void seedLoadWithoutOverridesGoesThroughAppend() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(row(5L, 1L, 2.0, new BigDecimal("3.30"), true, LocalDate.of(2020, 5, 5), null, "seed"));
        assertEquals(1, session.load(TABLE, new CsvTable(COLUMNS, TYPES, rows), Map.of()));
        assertEquals("seed", session.query("select label from raw.things").get(0).get("label"));
    }
}
