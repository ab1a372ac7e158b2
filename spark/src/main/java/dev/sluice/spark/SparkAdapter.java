package dev.sluice.spark;

import dev.sluice.adapter.DatabricksDialect;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.error.ConfigException;
import dev.sluice.project.Target;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Databricks SQL run for real on an in-process Spark (profile: type spark, method local, warehouse_dir):
 * Delta tables under the warehouse folder, and a Hive metastore in embedded Derby beside them, so the
 * catalog outlives the process as a warehouse's would.
 *
 * <p>Spark allows one SparkContext per JVM; the session is Spark's own per-process one (getOrCreate), shared
 * by the adapters of one process and stopped by Spark's shutdown hook. A second warehouse folder in the same
 * process is refused rather than silently ignored.
 */
public final class SparkAdapter extends DatabricksDialect {
    private final SparkSession spark;
    private final String warehouse;

    public SparkAdapter(Target target) {
        String dir = target.setting("warehouse_dir") == null ? "spark-warehouse" : target.setting("warehouse_dir");
        Path wh = Path.of(dir).toAbsolutePath().normalize();
        this.warehouse = wh.toString();
        this.spark = ContextLoader.call(() -> SparkSession.builder()
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
                .getOrCreate());
        // The session state (catalog, file systems) is built on first use, which this is: inside too.
        String inUse = ContextLoader.call(() -> spark.conf().get("spark.sql.warehouse.dir"));
        // Spark reports the folder as a file: URI.
        if (!Path.of(inUse.replaceFirst("^file:/*", "/")).equals(wh.resolve("tables"))) {
            throw new ConfigException("this process already runs local Spark on warehouse " + inUse
                    + "; one warehouse_dir per process (target '" + target.name() + "')");
        }
    }

    @Override
    public String type() {
        return "spark";
    }

    @Override
    public Session open() {
        return new SparkSqlSession(this, spark);
    }

    /** Local Spark has no privileges; grants are a no-op, as on DuckDB. */
    @Override
    public Optional<String> grantSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.empty();
    }

    /** Nothing granted, so nothing to list or revoke. */
    @Override
    public Optional<String> showGrantsSql(Relation r, RelationKind kind) {
        return Optional.empty();
    }

    @Override
    public Optional<String> revokeSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.empty();
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
