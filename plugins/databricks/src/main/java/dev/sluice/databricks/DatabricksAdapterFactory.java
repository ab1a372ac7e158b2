package dev.sluice.databricks;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.AdapterFactory;
import dev.sluice.error.ConfigException;
import dev.sluice.sparksql.ConnectProfile;
import dev.sluice.project.Target;

/**
 * Registers type 'databricks' with the engine (META-INF/services), from the plugins folder or the class path:
 * method jdbc (SQL warehouses and clusters through the JDBC driver, the default) or connect (a cluster through
 * Databricks Connect).
 */
public final class DatabricksAdapterFactory implements AdapterFactory {
    @Override
    public String type() {
        return "databricks";
    }

    @Override
    public Adapter create(Target target) {
        String method = target.setting("method") == null ? "jdbc" : target.setting("method");
        return switch (method) {
            case "jdbc" -> new DatabricksAdapter(target);
            case "connect" -> new DatabricksConnectAdapter(target);
            default -> throw new ConfigException("target '" + target.name() + "' of type databricks has method '" + method
                    + "'; supported: jdbc (SQL warehouses, http_path), connect (a cluster through Databricks Connect, cluster_id)",
                    ConnectProfile.at(target));
        };
    }
}
