package dev.sluice.spark;

import dev.sluice.cli.Main;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tree models scored as SQL on local Spark equal the JVM's scores: the same labelled rows (a seed) train the
 * boosted trees and the forest on Spark, which score every row in Spark SQL (score_in_warehouse), and on DuckDB,
 * where the JVM scores them; probabilities agree to 1e-9 and labels exactly, under the same model version.
 */
class ChurnScoringOnSparkTest {
    @TempDir
    static Path tmp;

    @Test
    void treeScoresInSparkSqlEqualTheJvmScores() throws Exception {
        Path spark = project("on_spark", true, """
                      type: spark
                      method: local
                      warehouse_dir: %s
                      schema: main
                      threads: 2
                """.formatted(tmp.resolve("warehouse")));
        Path duck = project("on_duckdb", false, """
                      type: duckdb
                      path: %s
                      schema: main
                      threads: 2
                """.formatted(tmp.resolve("churn.duckdb")));
        String sparkOut = run(spark);
        assertTrue(sparkOut.contains("scoring 400 rows in the warehouse with the boosted trees"), sparkOut);
        assertTrue(sparkOut.contains("scoring 400 rows in the warehouse with the random forest"), sparkOut);
        run(duck);
        for (String table : List.of("boosted_predictions", "forest_predictions")) {
            Map<Long, List<Object>> jvm = new HashMap<>();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp.resolve("churn.duckdb"));
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select id, churn_probability, label, model_version from main_ml." + table)) {
                while (rs.next()) jvm.put(rs.getLong(1), List.of(rs.getDouble(2), rs.getLong(3), rs.getString(4)));
            }
            List<Row> inSql = SparkSession.builder().getOrCreate()
                    .sql("select id, churn_probability, label, model_version from main_ml." + table).collectAsList();
            assertEquals(400, jvm.size(), table);
            assertEquals(400, inSql.size(), table);
            int positives = 0;
            for (Row r : inSql) {
                List<Object> expected = jvm.get(((Number) r.get(0)).longValue());
                assertEquals((Double) expected.get(0), ((Number) r.get(1)).doubleValue(), 1e-9, table + " id " + r.get(0));
                assertEquals(expected.get(1), ((Number) r.get(2)).longValue(), table + " id " + r.get(0));
                assertEquals(expected.get(2), r.get(3).toString(), table + ": the same data trains the same model version");
                positives += ((Number) r.get(2)).intValue();
            }
            assertTrue(positives > 0 && positives < 400, table + ": the threshold splits the rows, " + positives + " positive");
        }
    }

    private static String run(Path project) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.run(new String[] {"build", "--project-dir", project.toString(), "--profiles-dir", project.toString()}, ps, ps);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    /** Labelled rows with a few nulls (imputed), two churn operators (boosted trees, forest) and the given output. */
    private static Path project(String name, boolean scoreInWarehouse, String output) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir.resolve("models"));
        Files.createDirectories(dir.resolve("seeds"));
        Files.writeString(dir.resolve("dbt_project.yml"), """
                name: churn_spark
                version: '1.0.0'
                config-version: 2
                profile: churn_spark
                model-paths: ["models"]
                seed-paths: ["seeds"]
                """);
        Files.writeString(dir.resolve("profiles.yml"), """
                churn_spark:
                  target: dev
                  outputs:
                    dev:
                """ + output);
        StringBuilder csv = new StringBuilder("customer_id,recency,spend_drop,tenure,churned\n");
        Random rnd = new Random(11);
        for (int i = 1; i <= 400; i++) {
            double recency = Math.round(rnd.nextDouble() * 1000) / 1000.0;
            double drop = Math.round(rnd.nextDouble() * 1000) / 1000.0;
            double tenure = Math.round(rnd.nextDouble() * 1000) / 1000.0;
            int churned = recency + 0.6 * drop + 0.5 * rnd.nextDouble() > 1.1 ? 1 : 0;
            csv.append(i).append(',').append(i % 37 == 0 ? "" : String.valueOf(recency)).append(',').append(drop)
                    .append(',').append(tenure).append(',').append(churned).append('\n');
        }
        Files.writeString(dir.resolve("seeds/churn_rows.csv"), csv.toString());
        StringBuilder yml = new StringBuilder("version: 2\n\noperators:\n");
        for (String[] m : new String[][] {{"boosted", "boosted_trees"}, {"forest", "random_forest"}}) {
            yml.append("""
                      - name: churn_%1$s
                        type: churn_classifier
                        sql: "select * from {{ ref('churn_rows') }}"
                        config:
                          schema: ml
                          label: churned
                          seed: 7
                          models: [%2$s]
                          score_in_warehouse: %3$s
                        outputs: [%1$s_predictions, %1$s_metrics, %1$s_parameters]
                    """.formatted(m[0], m[1], scoreInWarehouse));
        }
        Files.writeString(dir.resolve("models/_ml.yml"), yml.toString());
        return dir;
    }
}
