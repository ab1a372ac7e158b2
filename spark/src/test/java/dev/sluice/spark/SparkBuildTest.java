package dev.sluice.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;

/** The shop fixture's builds on local Spark (method local), in this test's process. */
class SparkBuildTest extends ShopOnSpark {
    @Override
    String output(String schema) {
        return """
                      type: spark
                      method: local
                      warehouse_dir: %s
                      schema: %s
                      threads: 2
                """.formatted(tmp.resolve("warehouse"), schema);
    }

    @Override
    List<Row> rows(String sql) {
        return SparkSession.builder().getOrCreate().sql(sql).collectAsList();
    }
}
