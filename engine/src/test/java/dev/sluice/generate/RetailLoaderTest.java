package dev.sluice.generate;

import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetailLoaderTest {
    @TempDir
    Path dir;

    /** A value as text, decimals without the column's trailing zeros. */
    private static String text(Object v) {
        return v instanceof java.math.BigDecimal d ? d.stripTrailingZeros().toPlainString() : String.valueOf(v);
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

            // With a generator thread, DuckDB's load appends on two connections, each a half of the people; the table
            // still holds exactly the rows of one pass, in its order.
            try (Session s = adapter.open()) {
                List<Map<String, Object>> loaded = s.query("select * from raw.raw_transactions order by rowid");
                Iterator<List<Object>> expected = gen.transactions();
                for (Map<String, Object> row : loaded) {
                    List<Object> want = expected.next();
                    assertEquals(want.stream().map(RetailLoaderTest::text).toList(), row.values().stream().map(RetailLoaderTest::text).toList());
                }
                assertFalse(expected.hasNext());
            }

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
