package dev.sluice.project;

import dev.sluice.error.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Finds profiles.yml (dbt's format) and picks the target. Looked up in --profiles-dir, the project dir,
 * the current dir and ~/.dbt. With no profiles.yml anywhere, the project runs on an embedded DuckDB file
 * under its target folder, so a new project needs no set-up at all.
 */
public final class ProfileLoader {
    private final UnaryOperator<String> render;

    /** @param render renders {{ env_var(...) }} and similar in string values */
    public ProfileLoader(UnaryOperator<String> render) {
        this.render = render;
    }

    public List<Path> searchPath(Path profilesDir, ProjectConfig project) {
        List<Path> dirs = new ArrayList<>();
        if (profilesDir != null) {
            dirs.add(profilesDir);
            return dirs;
        }
        String env = System.getenv("DBT_PROFILES_DIR");
        if (env != null && !env.isBlank()) dirs.add(Path.of(env));
        dirs.add(project.root());
        dirs.add(Path.of("").toAbsolutePath());
        dirs.add(Path.of(System.getProperty("user.home"), ".dbt"));
        return dirs;
    }

    public Target load(Path profilesDir, ProjectConfig project, String targetName) {
        if (profilesDir != null && !Files.isRegularFile(profilesDir.resolve("profiles.yml"))) {
            throw new ConfigException("no profiles.yml in --profiles-dir " + profilesDir.toAbsolutePath());
        }
        Path file = searchPath(profilesDir, project).stream().map(d -> d.resolve("profiles.yml"))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        if (file == null) {
            // The built-in default has one output, dev: any other name is a mistake, not a request for DuckDB.
            if (targetName != null && !targetName.equals("dev")) {
                throw new ConfigException("target '" + targetName + "' is not defined: no profiles.yml found (looked in "
                        + searchPath(profilesDir, project).stream().map(Path::toString).toList()
                        + "); without one only the built-in DuckDB target 'dev' exists");
            }
            return embeddedDefault(project, targetName);
        }

        Yaml root = Yaml.load(file);
        Yaml profile = root.get(project.profile());
        if (profile.isNull()) {
            throw new ConfigException("profile '" + project.profile() + "' (named in " + project.file().getFileName()
                    + ") is not in " + file + "; profiles there: " + root.entries("profiles.yml").keySet());
        }
        String chosen = targetName != null ? targetName : render.apply(profile.get("target").string("target", "dev"));
        Yaml outputs = profile.get("outputs");
        if (!outputs.isMap()) throw profile.error("profile '" + project.profile() + "' needs an 'outputs' mapping");
        Yaml output = outputs.get(chosen);
        if (output.isNull()) {
            throw outputs.error("target '" + chosen + "' is not an output of profile '" + project.profile()
                    + "'; outputs: " + outputs.entries("outputs").keySet());
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        for (Map.Entry<String, Yaml> e : output.entries("output '" + chosen + "'").entrySet()) {
            Object v = e.getValue().value();
            settings.put(e.getKey(), v instanceof String s ? render.apply(s) : v);
        }
        String type = str(settings.get("type"));
        if (type == null) throw output.error("output '" + chosen + "' needs a 'type' (duckdb, postgres, ...)");
        if (type.equals("duckdb") && settings.containsKey("settings")) {
            settings.put("settings", duckDbSettings(output.get("settings"), chosen, render));
        }
        String schema = str(settings.getOrDefault("schema", type.equals("duckdb") ? "main" : null));
        if (schema == null) throw output.error("output '" + chosen + "' needs a 'schema'");
        // dbt-databricks names the Unity Catalog 'catalog'; it plays the part of the database.
        String database = str(settings.get("database") != null ? settings.get("database")
                : settings.get("dbname") != null ? settings.get("dbname") : settings.get("catalog"));
        int threads = 1;
        Object t = settings.get("threads");
        if (t != null) {
            try {
                threads = Integer.parseInt(t.toString().trim());
            } catch (NumberFormatException e) {
                throw output.get("threads").error("threads must be a whole number, got '" + t + "'");
            }
            if (threads < 1) throw output.get("threads").error("threads must be at least 1");
        }
        // Relative local paths (a DuckDB file, a local Spark warehouse) are taken from the project folder, so
        // the same files are used from any cwd.
        String pathKey = type.equals("duckdb") ? "path" : type.equals("spark") ? "warehouse_dir" : null;
        if (pathKey != null && settings.get(pathKey) != null) {
            Path p = Path.of(settings.get(pathKey).toString());
            if (!p.isAbsolute() && !settings.get(pathKey).toString().equals(":memory:")) {
                settings.put(pathKey, project.root().resolve(p).normalize().toString());
            }
        }
        if (database == null && type.equals("duckdb")) database = duckDbCatalog(str(settings.get("path")));
        return new Target(project.profile(), chosen, type, database, schema, threads, java.util.Collections.unmodifiableMap(settings), file);
    }

    /**
     * dbt-duckdb's {@code settings:}: DuckDB options (memory_limit, temp_directory, threads ...) given to the
     * database when it opens. Each value a scalar, rendered like the output's other strings.
     */
    private static Map<String, String> duckDbSettings(Yaml node, String output,
                                                      UnaryOperator<String> render) {
        if (!node.isMap()) throw node.error("'settings' of output '" + output + "' must be a mapping of DuckDB options to values");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Yaml> e : node.entries("settings").entrySet()) {
            Object v = e.getValue().value();
            if (v == null || v instanceof Map || v instanceof List) {
                throw e.getValue().error("DuckDB setting '" + e.getKey() + "' of output '" + output + "' needs one value");
            }
            out.put(e.getKey(), v instanceof String s ? render.apply(s) : v.toString());
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Keys of an output that the engine reads whatever the warehouse. */
    private static final Set<String> COMMON_KEYS = Set.of("type", "schema", "threads", "database");

    /**
     * The further keys each built-in adapter reads from its output. dbt's adapters accept more (keepalives,
     * retries, search_path ...); the engine does not apply those, so they are reported rather than dropped.
     */
    private static final Map<String, Set<String>> KEYS_BY_TYPE = Map.of(
            "duckdb", Set.of("path", "settings"),
            "postgres", Set.of("host", "port", "user", "password", "dbname", "sslmode", "connect_timeout"),
            "postgresql", Set.of("host", "port", "user", "password", "dbname", "sslmode", "connect_timeout"),
            "snowflake", Set.of("account", "user", "password", "authenticator", "private_key_path",
                    "private_key_passphrase", "token", "role", "warehouse", "query_tag"),
            // method jdbc reads http_path; method connect (Databricks Connect) cluster_id, port, use_ssl and
            // server_side_parameters, and refuses the other method's keys itself.
            "databricks", Set.of("host", "http_path", "token", "catalog", "method", "cluster_id", "port", "use_ssl",
                    "server_side_parameters"));

    /** "profiles.yml:LINE" of a key of the target's output, for messages about it (the file alone if it moved). */
    public static String keyAt(Target target, String key) {
        if (target.source() == null) return "profiles.yml";
        return where(target, keyLocations(target), key);
    }

    private static String where(Target target, Map<String, dev.sluice.error.SourceLocation> lines, String key) {
        dev.sluice.error.SourceLocation at = lines.get(key);
        return at == null ? target.source().toString() : target.source() + ":" + at.line();
    }

    private static Map<String, dev.sluice.error.SourceLocation> keyLocations(Target target) {
        try {
            return Yaml.load(target.source()).get(target.profile()).get("outputs").get(target.name()).keyLocations();
        } catch (dev.sluice.error.EngineException e) {
            // Read a moment ago; if it changed since, messages name the file without a line.
            return Map.of();
        }
    }

    /**
     * Warnings for keys of the chosen output that the engine does not read, at their line in profiles.yml, with
     * a "did you mean" for a close one: a misspelt 'pasword' would otherwise only show as a failed login. Types
     * served by a plug-in adapter are not checked (the plug-in reads what it likes).
     */
    public static List<String> unknownKeys(Target target) {
        List<String> out = new ArrayList<>();
        Set<String> own = KEYS_BY_TYPE.get(target.type());
        if (own == null || target.source() == null) return out;
        Set<String> known = new java.util.TreeSet<>(own);
        known.addAll(COMMON_KEYS);
        Map<String, dev.sluice.error.SourceLocation> lines = keyLocations(target);
        for (String key : target.settings().keySet()) {
            if (known.contains(key)) continue;
            out.add(where(target, lines, key) + ": unknown key '"
                    + key + "' in output '" + target.name() + "' of profile '" + target.profile() + "' ("
                    + target.type() + "), ignored" + KnownKeys.didYouMean(key, known));
        }
        return out;
    }

    private Target embeddedDefault(ProjectConfig project, String targetName) {
        String name = targetName == null ? "dev" : targetName;
        Path db = project.targetDir().resolve(project.name() + ".duckdb");
        Map<String, Object> settings = Map.of("type", "duckdb", "path", db.toString(), "schema", "main");
        return new Target(project.profile(), name, "duckdb", duckDbCatalog(db.toString()), "main", 4, settings, null);
    }

    /**
     * The catalog name DuckDB gives the database it opens, which dbt-duckdb reports as target.database: the file
     * name without its extension, or 'memory'. Packages build names such as {{ target.database }}.information_schema.
     */
    static String duckDbCatalog(String path) {
        if (path == null || path.isBlank() || path.equals(":memory:")) return "memory";
        String file = Path.of(path).getFileName().toString();
        int dot = file.indexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
