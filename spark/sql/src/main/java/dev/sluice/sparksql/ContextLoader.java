package dev.sluice.sparksql;

import java.util.function.Supplier;

/**
 * Runs a call into Spark with this module's class loader as the thread's context loader. Spark, Hadoop, Hive's
 * metastore and Delta load classes and resources by name through the context loader; installed as a plugin,
 * their jars are seen only by the plugin's own loader, not by the engine's threads' default one. Threads Spark
 * starts inherit the loader current when the session is built.
 */
public final class ContextLoader {
    private ContextLoader() {
    }

    public static <T> T call(Supplier<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(ContextLoader.class.getClassLoader());
        try {
            return work.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    public static void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }
}
