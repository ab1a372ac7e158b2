package dev.sluice.cli;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.AdapterFactory;
import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.log.LogSetup;
import dev.sluice.project.Target;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A plugin adapter for tests (type {@code duckdb_warning}, on the tests' class path): DuckDB, but every session it
 * opens warns through the console-warnings logger, as the Spark Connect endpoint does when a server refuses a setting.
 */
public final class WarningDuckDbFactory implements AdapterFactory {
    static final String TYPE = "duckdb_warning";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Adapter create(Target target) {
        DuckDbAdapter duckDb = new DuckDbAdapter(target);
        return (Adapter) Proxy.newProxyInstance(Adapter.class.getClassLoader(), new Class<?>[]{Adapter.class}, (proxy, method, args) -> {
            if (method.getName().equals("open") && method.getParameterCount() == 0) {
                LoggerFactory.getLogger(LogSetup.WARNINGS).warn("target '{}': the warehouse refused the setting {}", target.name(), "x=1");
            }
            try {
                return method.invoke(duckDb, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
