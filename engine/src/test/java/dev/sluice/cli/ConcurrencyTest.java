package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many models built at once on 8 threads, twice (a rebuild swaps every table while others read them): no
 * row is lost or duplicated, and every model sees complete upstream tables.
 */
class ConcurrencyTest extends ProjectTest {
    private static final int WIDE = 24;

    @Test
    void eightThreadsBuildEveryRowOnce() {
        CliHarness p = copy("shop");
        p.write("models/wide/base.sql", "{{ config(materialized='table') }}\n"
                + "select i as id, i % 7 as bucket from (select " + (warehouse().isDuckDb() ? "range" : "generate_series(0, 9999)")
                + (warehouse().isDuckDb() ? " as i from range(10000)" : " as i") + ") g\n");
        StringBuilder union = new StringBuilder();
        for (int k = 0; k < WIDE; k++) {
            String mat = k % 2 == 0 ? "table" : "view";
            p.write("models/wide/part_" + k + ".sql", "{{ config(materialized='" + mat + "') }}\n"
                    + "select id, bucket, " + k + " as part from {{ ref('base') }} where id % " + WIDE + " = " + k + "\n");
            union.append(k == 0 ? "" : "\nunion all\n").append("select * from {{ ref('part_").append(k).append("') }}");
        }
        p.write("models/wide/combined.sql", "{{ config(materialized='table') }}\n" + union + "\n");
        for (int run = 0; run < 2; run++) {
            CliHarness.Result r = p.run("run", "-s", "path:models/wide", "--threads", "8");
            assertEquals(0, r.exitCode(), r.all());
            assertTrue(r.out().contains("Concurrency: 8 threads"), r.out());
            assertEquals(10000L, p.count("main.combined"));
            assertEquals(10000L, ((Number) p.scalar("select count(distinct id) from main.combined")).longValue());
            assertEquals(49995000L, ((Number) p.scalar("select sum(id) from main.combined")).longValue());
            for (int k = 0; k < WIDE; k += 5) {
                long expected = (10000 - k + WIDE - 1) / WIDE;
                assertEquals(expected, p.count("main.part_" + k), "part " + k);
            }
        }
    }
}
