package dev.sluice.sparksql;

import dev.sluice.adapter.DatabricksDialect;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import org.apache.spark.sql.SparkSession;

import java.util.Optional;

/**
 * The Databricks dialect run on a SparkSession (local Spark, a Spark cluster through Spark Connect, or a
 * Databricks cluster through Databricks Connect): what differs between them is how the session is made and
 * whether the catalog knows privileges.
 */
public abstract class SparkSessionAdapter extends DatabricksDialect {
    protected final SparkSession spark;
    private final boolean privileges;

    /** @param privileges whether the catalog grants privileges (Unity Catalog does; Spark's own catalog has none) */
    protected SparkSessionAdapter(SparkSession spark, boolean privileges) {
        this.spark = spark;
        this.privileges = privileges;
    }

    @Override
    public Session open() {
        return new SparkSqlSession(this, spark);
    }

    /** Without privileges in the catalog, grants are a no-op, as on DuckDB. */
    @Override
    public Optional<String> grantSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return privileges ? super.grantSql(r, kind, privilege, grantee) : Optional.empty();
    }

    /** Nothing granted, so nothing to list or revoke. */
    @Override
    public Optional<String> showGrantsSql(Relation r, RelationKind kind) {
        return privileges ? super.showGrantsSql(r, kind) : Optional.empty();
    }

    @Override
    public Optional<String> revokeSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return privileges ? super.revokeSql(r, kind, privilege, grantee) : Optional.empty();
    }
}
