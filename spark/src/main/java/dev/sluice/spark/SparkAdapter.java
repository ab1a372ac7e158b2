package dev.sluice.spark;

import dev.sluice.adapter.Relation;
import dev.sluice.error.ConfigException;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;
import dev.sluice.sparksql.ContextLoader;
import dev.sluice.sparksql.SparkSessionAdapter;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Databricks SQL run for real on an in-process Spark (profile: type spark, method local, warehouse_dir):
 * Delta tables under the warehouse folder, and a Hive metastore in embedded Derby beside them, so the
 * catalog outlives the process as a warehouse's would. Spark's own catalog has no privileges to grant.
 *
 * <p>Spark allows one SparkContext per JVM; the session is Spark's own per-process one (getOrCreate), shared
 * by the adapters of one process and stopped by Spark's shutdown hook. A second warehouse folder in the same
 * process is refused rather than silently ignored.
 */
public final class SparkAdapter extends SparkSessionAdapter {
    private final String warehouse;

    public SparkAdapter(Target target) {
        super(session(target), false);
        this.warehouse = warehouse(target).toString();
    }

    private static Path warehouse(Target target) {
        String dir = target.setting("warehouse_dir") == null ? "spark-warehouse" : target.setting("warehouse_dir");
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /** Built, and first used, with the plugin's loader as context loader (see ContextLoader). */
    private static SparkSession session(Target target) {
        return ContextLoader.call(() -> build(target));
    }

    private static SparkSession build(Target target) {
        Path wh = warehouse(target);
        SparkSession spark = SparkSession.builder()
                .master("local[" + Math.max(2, target.threads()) + "]")
                .appName("sluice")
                .config("spark.sql.warehouse.dir", wh.resolve("tables").toString())
                .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                        "jdbc:derby:;databaseName=" + wh.resolve("metastore_db") + ";create=true")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.catalogImplementation", "hive")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                // Small data: a handful of shuffle partitions instead of 200 keeps each statement fast.
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .getOrCreate();
        String inUse = spark.conf().get("spark.sql.warehouse.dir");
        // Spark reports the folder as a file: URI.
        if (!Path.of(inUse.replaceFirst("^file:/*", "/")).equals(wh.resolve("tables"))) {
            throw new ConfigException("this process already runs local Spark on warehouse " + inUse
                    + "; one warehouse_dir per process (target '" + target.name() + "')");
        }
        return spark;
    }

    @Override
    public String type() {
        return "spark";
    }

    /**
     * Local Spark runs in this process and reads the file where it lies: a temporary view over the file, a Delta
     * table of its rows cast to the declared types. CSV columns are read as text (no inference) and cast.
     */
    @Override
    public Optional<List<String>> createTableFromFileSql(Relation r, Path file, String format, List<String> columns,
                                                         List<ColumnType> types) {
        String view = quote("sluice_file_" + r.identifier());
        String path = file.toAbsolutePath().normalize().toString().replace("\\", "\\\\").replace("'", "\\'");
        List<String> select = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            select.add("cast(" + quote(columns.get(i)) + " as " + typeFor(types.get(i)) + ") as " + quote(columns.get(i)));
        }
        return Optional.of(List.of(
                "create or replace temporary view " + view + " using " + format + " options (path '" + path + "'"
                        + (format.equals("csv") ? ", header 'true', inferSchema '" + columns.isEmpty() + "'" : "") + ")",
                createTableSql(r, "select " + (select.isEmpty() ? "*" : String.join(", ", select)) + " from " + view),
                "drop view if exists " + view));
    }

    @Override
    public String describe() {
        return "local spark " + spark.version() + " on " + warehouse;
    }

    @Override
    public void close() {
        // The SparkSession belongs to the process (see the class comment); Spark stops it at exit.
    }
}
