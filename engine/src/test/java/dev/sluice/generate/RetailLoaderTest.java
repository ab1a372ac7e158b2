package dev.sluice.generate;

import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetailLoaderTest {
    @TempDir
    Path dir;

    /**
     * A table is loaded in several transactions (memory must not grow with the customer count), and on DuckDB by two
     * sessions each appending blocks of people: the rows are those of one pass in one transaction, in the same order
     * (rowid), none lost or doubled at the boundaries.
     */
    @Test
    void loadingInBlocksOnTwoSessionsGivesTheSameRowsInTheSameOrder() {
        RetailSpec spec = new RetailSpec(300, 3, 5L, LocalDate.of(2025, 3, 31));
        Target target = new Target("p", "dev", "duckdb", null, "raw", 1,
                Map.of("type", "duckdb", "path", dir.resolve("chunks.duckdb").toString()), null);
        try (DuckDbAdapter adapter = new DuckDbAdapter(target)) {
            RetailLoader one = new RetailLoader(adapter, null, "whole", 0);
            RetailLoader two = new RetailLoader(adapter, null, "blocks", 1, 997);
            RetailLoader.Result whole = one.load(spec, ProgressListener.NONE);
            List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
            // Counted ahead on a thread of its own (as the node does), the progress totals are the rows loaded.
            RetailLoader.Counts ahead = RetailLoader.countAhead(spec, true);
            RetailLoader.Result blocks = two.load(spec, new Relation(null, "blocks", RetailLoader.CUSTOMERS_TABLE),
                    new Relation(null, "blocks", RetailLoader.TRANSACTIONS_TABLE),
                    (phase, done, total) -> events.add(phase + " " + done + "/" + total), ahead.transactions());
            long[] e1 = one.loadEngagement(spec, new Relation(null, "whole", "e"), new Relation(null, "whole", "s"), ProgressListener.NONE);
            List<String> engagementEvents = java.util.Collections.synchronizedList(new ArrayList<>());
            long[] e2 = two.loadEngagement(spec, new Relation(null, "blocks", "e"), new Relation(null, "blocks", "s"),
                    (phase, done, total) -> engagementEvents.add(phase + " " + done + "/" + total),
                    ahead.engagement());
            assertTrue(engagementEvents.contains("e-mails " + e2[0] + "/" + e2[0]), engagementEvents.toString());
            assertEquals("sessions " + e2[1] + "/" + e2[1], engagementEvents.get(engagementEvents.size() - 1));
            assertTrue(whole.transactionRows() > 10 * 997, "several transactions: " + whole.transactionRows());
            assertEquals(whole.transactionRows(), blocks.transactionRows());
            assertEquals(whole.customerRows(), blocks.customerRows());
            assertArrayEquals(e1, e2);
            assertEquals("transactions " + blocks.transactionRows() + "/" + blocks.transactionRows(), events.get(events.size() - 1));
            try (Session s = adapter.open()) {
                for (String table : List.of("raw_transactions", "raw_customers", "e", "s")) {
                    // Every row's hash, in rowid order, hashed again: equal only for the same rows in the same order.
                    String rows = "select count(*) n, hash(list(hash(t) order by rowid)) h from %s." + table + " t";
                    Map<String, Object> a = s.query(rows.formatted("whole")).get(0);
                    assertTrue(((Number) a.get("n")).longValue() > 300, table);
                    assertEquals(a, s.query(rows.formatted("blocks")).get(0), table);
                }
            }
        }
    }

    /**
     * A constant column (the raw zone's batch id) is declared last and written with every row, on one session or on
     * two appending blocks; the other columns hold the same rows in the same order as a load without it.
     */
    @Test
    void aConstantColumnIsWrittenLastOnEveryRowBesideTheSameRows() {
        RetailSpec spec = new RetailSpec(300, 3, 5L, LocalDate.of(2025, 3, 31));
        Target target = new Target("p", "dev", "duckdb", null, "raw", 1,
                Map.of("type", "duckdb", "path", dir.resolve("constant.duckdb").toString()), null);
        RetailLoader.ConstantColumn batch = new RetailLoader.ConstantColumn("batch_id", "c300-m3-s5-e2025-03-31");
        try (DuckDbAdapter adapter = new DuckDbAdapter(target)) {
            new RetailLoader(adapter, null, "plain", 0).load(spec, ProgressListener.NONE);
            new RetailLoader(adapter, null, "plain", 0).loadEngagement(spec, new Relation(null, "plain", "e"),
                    new Relation(null, "plain", "s"), ProgressListener.NONE);
            for (String schema : List.of("one", "two")) {
                RetailLoader loader = (schema.equals("one") ? new RetailLoader(adapter, null, schema, 0)
                        : new RetailLoader(adapter, null, schema, 1, 997)).withConstantColumn(batch);
                loader.load(spec, ProgressListener.NONE);
                loader.loadEngagement(spec, new Relation(null, schema, "e"), new Relation(null, schema, "s"), ProgressListener.NONE);
            }
            Map<String, List<String>> tables = Map.of("raw_customers", RetailGenerator.CUSTOMER_COLUMNS,
                    "raw_transactions", RetailGenerator.TRANSACTION_COLUMNS, "e", RetailGenerator.EMAIL_EVENT_COLUMNS,
                    "s", RetailGenerator.SESSION_COLUMNS);
            try (Session s = adapter.open()) {
                for (var t : tables.entrySet()) {
                    String rows = "select count(*) n, hash(list(hash(" + String.join(", ", t.getValue())
                            + ") order by rowid)) h from %s." + t.getKey();
                    Map<String, Object> plain = s.query(rows.formatted("plain")).get(0);
                    assertTrue(((Number) plain.get("n")).longValue() > 300, t.getKey());
                    for (String schema : List.of("one", "two")) {
                        assertEquals(plain, s.query(rows.formatted(schema)).get(0), schema + "." + t.getKey());
                        assertEquals(List.of(Map.of("batch_id", batch.value())), s.query("select distinct batch_id from "
                                + schema + "." + t.getKey()), schema + "." + t.getKey());
                        List<String> columns = new ArrayList<>(t.getValue());
                        columns.add("batch_id");
                        assertEquals(columns, s.query("select column_name from information_schema.columns where "
                                + "table_schema = '" + schema + "' and table_name = '" + t.getKey() + "' order by ordinal_position")
                                .stream().map(r -> (String) r.get("column_name")).toList());
                    }
                }
            }
        }
    }

    /** When one session's block fails, the load fails with that block's error (not the others' "stopped"). */
    @Test
    void aFailedBlockFailsTheLoadWithItsOwnError() {
        Target target = new Target("p", "dev", "duckdb", null, "raw", 1,
                Map.of("type", "duckdb", "path", dir.resolve("fail.duckdb").toString()), null);
        try (DuckDbAdapter adapter = new DuckDbAdapter(target); Session s = adapter.open()) {
            s.execute("create schema raw");
            s.execute("create table raw.t (id bigint)");
            RetailLoader loader = new RetailLoader(adapter, null, "raw", 1, 50);
            ParallelRows.RangeSource source = (from, to) -> {
                if (from <= 500 && 500 < to) throw new IllegalStateException("person 500 cannot be generated");
                return java.util.stream.IntStream.range(from, to).<List<Object>>mapToObj(i -> List.of((long) i)).iterator();
            };
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loader.append(s,
                    new Relation(null, "raw", "t"), List.of("id"), List.of(dev.sluice.seed.ColumnType.BIGINT), "ids", 1_000,
                    source, 1_000, ProgressListener.NONE));
            assertEquals("person 500 cannot be generated", e.getMessage());
            // What committed is a prefix of the people before the failed block, in order: blocks commit one after
            // the other, and none after the failed one can.
            Map<String, Object> loaded = s.query("select count(*) = coalesce(max(id) + 1, 0) and count(*) <= 500 "
                    + "and coalesce(bool_and(id = rowid), true) as prefix from raw.t").get(0);
            assertEquals(Boolean.TRUE, loaded.get("prefix"));
        }
    }

    @Test
    void generatesAndLoadsIntoDuckDb() {
        RetailSpec spec = new RetailSpec(2_000, 3, 11L, LocalDate.of(2025, 3, 31));
        RetailGenerator gen = new RetailGenerator(spec);
        Target target = new Target("p", "dev", "duckdb", null, "raw", 1,
                Map.of("type", "duckdb", "path", dir.resolve("retail.duckdb").toString()), null);
        try (DuckDbAdapter adapter = new DuckDbAdapter(target)) {
            List<String> events = new ArrayList<>();
            RetailLoader loader = new RetailLoader(adapter, null, "raw", 1);
            RetailLoader.Result result = loader.load(spec, (phase, done, total) -> events.add(phase + " " + done + "/" + total));
            assertEquals(gen.customerRowCount(), result.customerRows());
            assertEquals(gen.transactionCount(), result.transactionRows());
            assertTrue(events.contains("customers " + result.customerRows() + "/" + result.customerRows()), events.toString());
            assertTrue(events.get(events.size() - 1).equals("transactions " + result.transactionRows() + "/" + result.transactionRows()));

            // Loading again replaces the tables rather than adding to them.
            loader.load(spec, ProgressListener.NONE);
            try (Session s = adapter.open()) {
                Map<String, Object> counts = s.query("select (select count(*) from raw.raw_customers) c, "
                        + "(select count(*) from raw.raw_transactions) t, "
                        + "(select count(distinct customer_id) from raw.raw_transactions) tc, "
                        + "(select min(transaction_date) from raw.raw_transactions) lo, "
                        + "(select max(transaction_date) from raw.raw_transactions) hi").get(0);
                assertEquals(result.customerRows(), counts.get("c"));
                assertEquals(result.transactionRows(), counts.get("t"));
                assertEquals(result.customerRows(), counts.get("tc"));
                assertEquals("2025-01-01", counts.get("lo").toString());
                assertEquals("2025-03-31", counts.get("hi").toString());
                // Values arrive as generated: compare one row with the generator's first customer.
                List<Object> first = gen.customers().next();
                Map<String, Object> row = s.query("select * from raw.raw_customers where customer_id = 1").get(0);
                assertEquals(first.get(3), row.get("email"));
                assertEquals(0, ((java.math.BigDecimal) first.get(10)).compareTo((java.math.BigDecimal) row.get("credit_limit")));
                assertEquals(((Integer) first.get(5)).longValue(), row.get("age"));
                // Amounts land in the generator's declared decimal(9, 2), exactly: the sum and the extremes are
                // those of the generated values (a 2-decimal scale would round any third decimal away).
                java.math.BigDecimal sum = java.math.BigDecimal.ZERO, lo = null, hi = null;
                for (java.util.Iterator<List<Object>> it = gen.transactions(); it.hasNext(); ) {
                    java.math.BigDecimal a = (java.math.BigDecimal) it.next().get(3);
                    sum = sum.add(a);
                    lo = lo == null || a.compareTo(lo) < 0 ? a : lo;
                    hi = hi == null || a.compareTo(hi) > 0 ? a : hi;
                }
                Map<String, Object> amounts = s.query("select any_value(typeof(amount)) as type, sum(amount) as total, "
                        + "min(amount) as lo, max(amount) as hi from raw.raw_transactions").get(0);
                assertEquals("DECIMAL(9,2)", amounts.get("type"));
                assertEquals(0, sum.compareTo((java.math.BigDecimal) amounts.get("total")), amounts.toString());
                assertEquals(0, lo.compareTo((java.math.BigDecimal) amounts.get("lo")), amounts.toString());
                assertEquals(0, hi.compareTo((java.math.BigDecimal) amounts.get("hi")), amounts.toString());
                // The text columns of a few values are stored as dictionaries, as DuckDB chose for them anyway.
                s.execute("checkpoint");
                List<Map<String, Object>> storage = s.query("select distinct column_name as c, compression as k from "
                        + "pragma_storage_info('raw.raw_transactions') where segment_type = 'VARCHAR' order by 1");
                assertEquals(List.of("channel Dictionary", "merchant Dictionary", "merchant_category Dictionary",
                        "status Dictionary"), storage.stream().map(m -> m.get("c") + " " + m.get("k")).toList());
            }
        }
    }
}
