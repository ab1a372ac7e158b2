package dev.sluice.plugin;

import dev.sluice.adapter.AdapterFactory;
import dev.sluice.error.PluginException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Where adapters that are not built in come from: the class path (a plugin module beside the engine, as in
 * tests), then each plugins folder: the install's own (system property sluice.home, set by the release's
 * launcher) and the user's (~/.sluice/plugins). A plugin is a jar, or a folder of jars, providing an
 * {@link AdapterFactory} through META-INF/services; it is named after its type (snowflake.jar), which is where
 * it is looked for first.
 */
public final class Plugins {
    private final List<Path> folders;
    private final ClassLoader engine;

    public Plugins(List<Path> folders, ClassLoader engine) {
        this.folders = List.copyOf(folders);
        this.engine = engine;
    }

    /** The folders of this installation and of this user. */
    public static Plugins standard() {
        List<Path> dirs = new ArrayList<>();
        String home = System.getProperty("sluice.home");
        if (home != null && !home.isBlank()) dirs.add(Path.of(home, "plugins"));
        dirs.add(userFolder());
        return new Plugins(dirs, Plugins.class.getClassLoader());
    }

    /** ~/.sluice/plugins: where `engine plugins install` puts a plugin unless told otherwise. */
    public static Path userFolder() {
        return Path.of(System.getProperty("user.home"), ".sluice", "plugins");
    }

    public List<Path> folders() {
        return folders;
    }

    /** One adapter found: its type, where it was found (a path or "class path") and its factory. */
    public record Found(String type, String origin, AdapterFactory factory) {
    }

    /** The adapter for a type, from the class path or the first plugin that provides it. */
    public Optional<Found> find(String type) {
        for (AdapterFactory f : ServiceLoader.load(AdapterFactory.class, engine)) {
            if (f.type().equals(type)) return Optional.of(new Found(type, "class path", f));
        }
        // The plugin named after the type first: opening every other plugin's jar costs time.
        for (Path dir : folders) {
            for (Path p : List.of(dir.resolve(type + ".jar"), dir.resolve(type))) {
                if (Files.exists(p)) {
                    Optional<Found> f = provided(p).stream().filter(x -> x.type().equals(type)).findFirst();
                    if (f.isPresent()) return f;
                }
            }
        }
        return all().stream().filter(f -> f.type().equals(type)).findFirst();
    }

    /** Every adapter on the class path and in the plugins folders, the first of each type winning. */
    public List<Found> all() {
        Map<String, Found> out = new LinkedHashMap<>();
        for (AdapterFactory f : ServiceLoader.load(AdapterFactory.class, engine)) {
            out.putIfAbsent(f.type(), new Found(f.type(), "class path", f));
        }
        for (Path dir : folders) {
            for (Path p : candidates(dir)) {
                for (Found f : provided(p)) out.putIfAbsent(f.type(), f);
            }
        }
        return List.copyOf(out.values());
    }

    /** The adapters one plugin (a jar or a folder of jars) provides; none when it provides none. */
    public List<Found> provided(Path plugin) {
        PluginClassLoader loader = PluginClassLoader.of(plugin, engine);
        List<Found> out = new ArrayList<>();
        try {
            for (AdapterFactory f : ServiceLoader.load(AdapterFactory.class, loader)) {
                out.add(new Found(f.type(), plugin.toString(), f));
            }
        } catch (java.util.ServiceConfigurationError | LinkageError e) {
            throw new PluginException(plugin + " is not a plugin this engine can load: " + e.getMessage(), e);
        }
        return out;
    }

    private static List<Path> candidates(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            // Hidden entries are installs under way (PluginInstaller's temporary files and folders).
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
