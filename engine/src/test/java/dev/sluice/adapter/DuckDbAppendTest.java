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
    /** Rows of a table without booleans or timestamps, so a long append stages (see DuckDbColumnStage). */
    private static final List<String> STAGED = List.of("id", "ratio", "price", "day", "label", "name");
    private static final List<ColumnType> STAGED_TYPES = List.of(ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.DECIMAL,
            ColumnType.DATE, ColumnType.TEXT, ColumnType.TEXT);

    private Relation stagedTable(String name) {
        Relation r = new Relation(null, "raw", name);
        StringBuilder ddl = new StringBuilder("create table " + adapter.render(r) + " (");
        for (int i = 0; i < STAGED.size(); i++) {
            ddl.append(i > 0 ? ", " : "").append(STAGED.get(i)).append(' ').append(adapter.typeFor(STAGED_TYPES.get(i)));
        }
        session.execute(ddl.append(')').toString());
        return r;
    }

    /** Row i: a few distinct labels (with nulls and a quote), names distinct from row 6,000 on (past the stage's dictionary). */
    private static List<Object> stagedRow(int i) {
        String label = i % 11 == 0 ? null : i % 5 == 0 ? "o'clock" : "label " + (i % 7);
        return row(i % 3 == 0 ? (Object) (long) i : (Object) i, i % 13 == 0 ? null : i / 7.0,
                i % 17 == 0 ? null : i % 2 == 0 ? BigDecimal.valueOf(-i * 37L, 2) : (Object) (long) i,
                i % 19 == 0 ? null : LocalDate.of(2020, 1, 1).plusDays(i % 2_000 - 700), label,
                i < 6_000 ? "name " + (i % 50) : "name " + i);
    }

    /**
     * A long append stages compact columns and expands them in SQL, and falls back to the appender once a text column
     * has too many distinct values: the table then holds exactly the rows, in order, that one INSERT per row gives.
     */
    @Test
    void longAppendsGiveTheRowsInOrderThatInsertsGive() {
        Relation staged = stagedTable("staged"), inserted = stagedTable("inserted");
        int n = 9_000;
        assertEquals(n, session.append(staged, STAGED, STAGED_TYPES,
                java.util.stream.IntStream.range(0, n).mapToObj(DuckDbAppendTest::stagedRow).iterator()));
        // Columns named in another order take the INSERT path, which binds each value.
        List<String> reversed = new ArrayList<>(STAGED);
        java.util.Collections.reverse(reversed);
        List<ColumnType> reversedTypes = new ArrayList<>(STAGED_TYPES);
        java.util.Collections.reverse(reversedTypes);
        assertEquals(n, session.append(inserted, reversed, reversedTypes, java.util.stream.IntStream.range(0, n).mapToObj(i -> {
            List<Object> r = new ArrayList<>(stagedRow(i));
            java.util.Collections.reverse(r);
            return r;
        }).iterator()));
        String ordered = "select count(*) as n, count(label) as labelled, count(distinct name) as named, sum(price) as total, "
                + "hash(list(hash(id, ratio, price, day, label, name) order by rowid)) as h from raw.%s";
        Map<String, Object> a = session.query(ordered.formatted("staged")).get(0);
        assertEquals(session.query(ordered.formatted("inserted")).get(0), a);
        assertEquals((long) n, a.get("n"));
        assertEquals(3_000L + 50, a.get("named"));
        Map<String, Object> first = session.query("select * from raw.staged where id = 10").get(0);
        assertEquals(0, new BigDecimal("-3.70").compareTo((BigDecimal) first.get("price")));
        assertEquals("o'clock", first.get("label"));
        assertEquals(LocalDate.of(2020, 1, 1).plusDays(10 - 700), date(first.get("day")));
        // The stage is a temporary table of the session, gone after the append.
        assertEquals(0L, session.query("select count(*) n from duckdb_tables() where temporary").get(0).get("n"));
    }

    /** A long append that fails after rows were staged appends nothing, and leaves no stage behind. */
    @Test
    void aLongAppendThatFailsAppendsNothing() {
        Relation staged = stagedTable("staged");
        Iterator<List<Object>> rows = java.util.stream.IntStream.range(0, 50_000).mapToObj(i -> {
            if (i == 40_000) throw new IllegalStateException("source broke");
            return stagedRow(i % 5_000);
        }).iterator();
        assertThrows(IllegalStateException.class, () -> session.append(staged, STAGED, STAGED_TYPES, rows));
        assertEquals(0L, session.query("select count(*) n from raw.staged").get(0).get("n"));
        assertEquals(0L, session.query("select count(*) n from duckdb_tables() where temporary").get(0).get("n"));
        assertEquals(3_000, session.append(staged, STAGED, STAGED_TYPES,
                java.util.stream.IntStream.range(0, 3_000).mapToObj(DuckDbAppendTest::stagedRow).iterator()));
    }

    /** beforeCommit runs once every row is written and before another session can see them. */
    @Test
    void beforeCommitRunsAfterTheRowsAndBeforeTheyCommit() {
        Relation staged = stagedTable("staged");
        List<Long> seenByOthers = new ArrayList<>();
        try (Session other = adapter.open()) {
            assertEquals(5_000, session.append(staged, STAGED, STAGED_TYPES,
                    java.util.stream.IntStream.range(0, 5_000).mapToObj(DuckDbAppendTest::stagedRow).iterator(),
                    () -> seenByOthers.add((Long) other.query("select count(*) n from raw.staged").get(0).get("n"))));
            assertEquals(List.of(0L), seenByOthers);
            assertEquals(5_000L, other.query("select count(*) n from raw.staged").get(0).get("n"));
        }
    }
}
