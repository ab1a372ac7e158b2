package dev.sluice.spark;

import dev.sluice.adapter.DatabricksDialect;
import dev.sluice.adapter.DatabricksSessionBase;
import dev.sluice.error.DatabaseException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs statements with spark.sql; commands (DDL, INSERT, MERGE) execute eagerly there. The same for a local
 * SparkSession and a Spark Connect one: since Spark 4 both implement the one SparkSession API.
 */
final class SparkSqlSession extends DatabricksSessionBase {
    private final SparkSession spark;

    SparkSqlSession(DatabricksDialect adapter, SparkSession spark) {
        super(adapter);
        this.spark = spark;
    }

    @Override
    public void execute(String sql) {
        try {
            ContextLoader.run(() -> spark.sql(sql));
        } catch (Exception e) {
            // Scala throws AnalysisException, a checked exception, without declaring it.
            throw error(e);
        }
    }

    @Override
    public List<Map<String, Object>> query(String sql) {
        try {
            return ContextLoader.call(() -> {
                var ds = spark.sql(sql);
                StructField[] fields = ds.schema().fields();
                List<Map<String, Object>> out = new ArrayList<>();
                for (Row r : ds.collectAsList()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < fields.length; i++) row.put(fields[i].name(), r.get(i));
                    out.add(row);
                }
                return out;
            });
        } catch (Exception e) {
            throw error(e);
        }
    }

    /** From the analysed plan: nothing is run. */
    @Override
    public List<String> resultColumns(String sql) {
        try {
            return ContextLoader.call(() -> List.of(spark.sql(sql).schema().fieldNames()));
        } catch (Exception e) {
            throw error(e);
        }
    }

    /** Spark's messages carry the query plan after the first line; the first line says what is wrong. */
    private static DatabaseException error(Exception e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        return new DatabaseException(msg.lines().findFirst().orElse(msg), e);
    }

    @Override
    public void close() {
        // Statements hold nothing open between calls.
    }
}
