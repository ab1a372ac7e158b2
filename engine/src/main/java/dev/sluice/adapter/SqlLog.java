package dev.sluice.adapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every statement sent to a warehouse, at debug in logs/engine.log (dbt's SQLQuery event); secrets are masked by
 * the log file's layout. Public so that code reaching the JDBC connection directly (exports) logs the same way.
 */
public final class SqlLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.sluice.sql");

    private SqlLog() {
    }

    public static void sent(String warehouse, String sql) {
        sent(warehouse, sql, List.of());
    }

    /** A prepared statement with the values bound to its parameters (names, never data rows). */
    public static void sent(String warehouse, String sql, List<?> bindings) {
        if (!LOG.isDebugEnabled()) return;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conn_name", warehouse);
        data.put("sql", sql);
        if (!bindings.isEmpty()) data.put("bindings", bindings.stream().map(String::valueOf).toList());
        LOG.atDebug().addKeyValue("event", "SQLQuery").addKeyValue("data", data)
                .log(bindings.isEmpty() ? "On {}: {}" : "On {}: {} -- bindings: " + bindings, warehouse, sql);
    }
}
