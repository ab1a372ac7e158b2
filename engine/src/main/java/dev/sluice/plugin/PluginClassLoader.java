package dev.sluice.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class loader of one plugin: its own jar (or a folder of jars), over the engine's classes. The engine's
 * API (dev.sluice) and logging come from the engine, so the plugin's adapter is an engine Adapter and logs where
 * the engine logs; every other class is looked up in the plugin first, because a plugin's libraries may need
 * other versions than the engine's (Spark's Scala module for Jackson accepts only its own minor version).
 */
public final class PluginClassLoader extends URLClassLoader {
    private static final List<String> FROM_ENGINE = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "dev.sluice.", "org.slf4j.", "ch.qos.logback.");

    static {
        registerAsParallelCapable();
    }

    private PluginClassLoader(String name, URL[] urls, ClassLoader engine) {
        super(name, urls, engine);
    }

    /** A loader for a plugin jar, or for every jar in a plugin folder. */
    public static PluginClassLoader of(Path plugin, ClassLoader engine) {
        List<URL> urls = new ArrayList<>();
        try {
            if (Files.isDirectory(plugin)) {
                try (Stream<Path> files = Files.list(plugin)) {
                    for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                        urls.add(p.toUri().toURL());
                    }
                }
            } else {
                urls.add(plugin.toUri().toURL());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PluginClassLoader("plugin " + plugin.getFileName(), urls.toArray(URL[]::new), engine);
    }

    private static boolean fromEngine(String name) {
        for (String prefix : FROM_ENGINE) {
            if (name.startsWith(prefix)) return true;
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (fromEngine(name)) {
                    try {
                        c = getParent().loadClass(name);
                    } catch (ClassNotFoundException e) {
                        c = findClass(name);
                    }
                } else {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = getParent().loadClass(name);
                    }
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    /**
     * The plugin's own resources only for service files: the engine's ServiceLoader entries (its own adapters
     * are not services, but its libraries' are) must not be offered twice, once through each loader.
     */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> out = new ArrayList<>(Collections.list(findResources(name)));
        if (!name.startsWith("META-INF/services/")) out.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(out);
    }
}
