package dev.sluice.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The retail project on local Spark (method local) against DuckDB: see RetailComparison. */
class RetailOnSparkTest {
    @TempDir
    static Path tmp;

    @Test
    void retailProjectGivesTheSameResultsOnSparkAsOnDuckDb() throws Exception {
        RetailComparison.compare(tmp, """
                      type: spark
                      method: local
                      warehouse_dir: %s
                      schema: main
                      threads: 2
                """.formatted(tmp.resolve("warehouse")),
                sql -> SparkSession.builder().getOrCreate().sql(sql).collectAsList());
    }
}
