package dev.sluice.adapter;

import dev.sluice.generate.RetailGenerator;
import dev.sluice.generate.RetailLoader;
import dev.sluice.generate.RetailSpec;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;
import org.junit.jupiter.api.Test;
import dev.sluice.testing.PostgresServer;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** On the test PostgreSQL server (see dev.sluice.testing.PostgresServer). */
class PostgresAppendTest {
    private static final List<String> COLUMNS = List.of("id", "ratio", "price", "flag", "day", "at", "label");
    private static final List<ColumnType> TYPES = List.of(ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.DECIMAL,
            ColumnType.BOOLEAN, ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.TEXT);
    private static final Relation TABLE = new Relation(null, "sluice_append_test", "things");

    private static PostgresAdapter adapter() {
        PostgresServer server = PostgresServer.require();
        String db = server.databaseFor("PostgresAppendTest");
        server.recreate(db);
        return new PostgresAdapter(new Target("p", "pg", "postgres", null, "public", 1, server.settings(db), null));
    }

    @Test
    void copyRoundTripsValuesAndRollsBackOnFailure() {
        try (PostgresAdapter a = adapter(); Session s = a.open()) {
            assertInstanceOf(PostgresSession.class, s);
            s.execute("drop schema if exists sluice_append_test cascade");
            s.execute("create schema sluice_append_test");
            s.execute("create table sluice_append_test.things (id bigint, ratio double precision, price numeric,"
                    + " flag boolean, day date, at timestamp, label text)");
            List<List<Object>> rows = List.of(
                    Arrays.asList(1L, 0.25, new BigDecimal("1234.56"), true, LocalDate.of(2024, 2, 29),
                            LocalDateTime.of(2024, 2, 29, 13, 45, 6, 123_456_000), "quote \" comma , newline\n \\. end"),
                    Arrays.asList(2, Double.NaN, 7L, false, LocalDate.of(1970, 1, 1), LocalDateTime.of(1999, 12, 31, 23, 59), ""),
                    Arrays.asList(3L, null, null, null, null, null, null));
            assertEquals(3, s.append(TABLE, COLUMNS, TYPES, rows.iterator()));
            List<Map<String, Object>> back = s.query("select * from sluice_append_test.things order by id");
            assertEquals("quote \" comma , newline\n \\. end", back.get(0).get("label"));
            assertEquals(0, new BigDecimal("1234.56").compareTo((BigDecimal) back.get(0).get("price")));
            assertEquals(java.sql.Timestamp.valueOf(LocalDateTime.of(2024, 2, 29, 13, 45, 6, 123_456_000)), back.get(0).get("at"));
            assertEquals("", back.get(1).get("label"));
            assertEquals(Double.NaN, back.get(1).get("ratio"));
            assertNull(back.get(2).get("label"));
            assertNull(back.get(2).get("ratio"));

            Iterator<List<Object>> broken = new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public List<Object> next() {
                    if (++i > 5) throw new IllegalStateException("source broke");
                    return Arrays.asList((long) i + 10, null, null, null, null, null, "x");
                }
            };
            assertThrows(IllegalStateException.class, () -> s.append(TABLE, COLUMNS, TYPES, broken));
            assertEquals(3L, s.query("select count(*) n from sluice_append_test.things").get(0).get("n"));
            s.execute("drop schema sluice_append_test cascade");
        }
    }

    @Test
    void loadsARetailSet() {
        RetailSpec spec = new RetailSpec(300, 2, 5L, LocalDate.of(2025, 2, 28));
        try (PostgresAdapter a = adapter()) {
            RetailLoader.Result r = new RetailLoader(a, null, "sluice_retail_test", 1).load(spec, (p, d, t) -> {
            });
            assertEquals(new RetailGenerator(spec).transactionCount(), r.transactionRows());
            try (Session s = a.open()) {
                assertEquals(r.transactionRows(), s.query("select count(*) n from sluice_retail_test.raw_transactions").get(0).get("n"));
                assertEquals(r.customerRows(), s.query("select count(*) n from sluice_retail_test.raw_customers").get(0).get("n"));
                s.execute("drop schema sluice_retail_test cascade");
            }
        }
    }
}
