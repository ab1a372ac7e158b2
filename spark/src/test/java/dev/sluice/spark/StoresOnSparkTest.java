package dev.sluice.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Seed 004's store clustering on local Spark against DuckDB: external Parquet and CSV files read by Spark itself
 * (a view over the file, a Delta table of its rows), the models on them, the clusterings. See RetailComparison.
 */
class StoresOnSparkTest {
    @TempDir
    static Path tmp;

    @Test
    void storePipelineGivesTheSameResultsOnSparkAsOnDuckDb() throws Exception {
        RetailComparison.compareStores(tmp, """
                      type: spark
                      method: local
                      warehouse_dir: %s
                      schema: main
                      threads: 2
                """.formatted(tmp.resolve("warehouse")),
                sql -> SparkSession.builder().getOrCreate().sql(sql).collectAsList());
    }
}
