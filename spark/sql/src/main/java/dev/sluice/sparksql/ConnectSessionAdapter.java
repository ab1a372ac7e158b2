package dev.sluice.sparksql;

/**
 * The dialect on a Spark Connect session (type spark's method connect, a self-run cluster; type databricks'
 * method connect, a Databricks cluster): the adapter owns the server-side session it opened, describes itself by
 * where it sends the work and the version the server reported, and ends the session on close.
 */
public abstract class ConnectSessionAdapter extends SparkSessionAdapter {
    private final String where;
    private final String version;

    /**
     * @param where      for messages: the kind of target and its endpoint, never the token
     * @param privileges whether the catalog grants privileges
     */
    protected ConnectSessionAdapter(ConnectEndpoint.Connected connected, String where, boolean privileges) {
        super(connected.spark(), privileges);
        this.where = where;
        this.version = connected.version();
    }

    @Override
    public String describe() {
        return where + ", spark " + version;
    }

    @Override
    public void close() {
        ConnectEndpoint.closeQuietly(spark);
    }
}
