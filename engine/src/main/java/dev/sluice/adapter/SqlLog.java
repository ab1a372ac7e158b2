package dev.sluice.adapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Every statement sent to a warehouse, at debug in logs/engine.log (dbt's SQLQuery event); secrets masked there. */
final class SqlLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.sluice.sql");

    private SqlLog() {
    }

    static void sent(String warehouse, String sql) {
        if (!LOG.isDebugEnabled()) return;
        LOG.atDebug().addKeyValue("event", "SQLQuery").addKeyValue("data", Map.of("conn_name", warehouse, "sql", sql))
                .log("On {}: {}", warehouse, sql);
    }
}
