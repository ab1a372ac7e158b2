package dev.sluice.generate;

import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetailLoaderTest {
    @TempDir
    Path dir;

    /**
     * A table is loaded in several transactions (memory must not grow with the customer count): the rows are the
     * same as in one transaction, none lost or doubled at the boundaries.
     */
    @Test
    void loadingInManyTransactionsGivesTheSameRows() {
        RetailSpec spec = new RetailSpec(300, 3, 5L, LocalDate.of(2025, 3, 31));
        Target target = new Target("p", "dev", "duckdb", null, "raw", 1,
                Map.of("type", "duckdb", "path", dir.resolve("chunks.duckdb").toString()), null);
        try (DuckDbAdapter adapter = new DuckDbAdapter(target)) {
            RetailLoader.Result whole = new RetailLoader(adapter, null, "whole", 1).load(spec, ProgressListener.NONE);
            RetailLoader.Result chunked = new RetailLoader(adapter, null, "chunked", 1, 997).load(spec, ProgressListener.NONE);
            assertTrue(whole.transactionRows() > 10 * 997, "several transactions: " + whole.transactionRows());
            assertEquals(whole.transactionRows(), chunked.transactionRows());
            assertEquals(whole.customerRows(), chunked.customerRows());
            try (Session s = adapter.open()) {
                for (String table : List.of("raw_transactions", "raw_customers")) {
                    String sums = "select count(*) n, sum(hash(t)) h from %s." + table + " t";
                    Map<String, Object> a = s.query(sums.formatted("whole")).get(0);
                    Map<String, Object> b = s.query(sums.formatted("chunked")).get(0);
                    assertEquals(a, b, table);
                }
            }
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
            }
        }
    }
}
