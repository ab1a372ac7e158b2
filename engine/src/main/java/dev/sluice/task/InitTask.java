package dev.sluice.task;

import dev.sluice.error.ConfigException;
import dev.sluice.project.ProjectConfigLoader;
import dev.sluice.project.Yaml;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * init: a starter project that builds as it is (a seed, a staging model on it, a mart with a ref, tests) and its
 * profiles.yml entry, without prompts so scripts can call it. Everything is checked before the first file is
 * written, so a refused init leaves nothing behind.
 */
public final class InitTask {
    /** dbt's rule for project names: a letter or underscore, then letters, digits and underscores. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    public static final List<String> ADAPTERS = List.of("duckdb", "postgres");

    /**
     * What to create.
     *
     * @param name        the new project's name and folder; null when setting up the profile of an existing project
     * @param parent      the folder the project folder goes in, or the existing project's folder
     * @param profilesDir the folder of profiles.yml
     * @param profile     an existing profile to use (dbt's --profile): no profile is written
     * @param skipProfile write no profile (dbt's --skip-profile-setup)
     * @param connection  the output's settings besides type (host, port, user, password, dbname, schema, path, threads)
     */
    public record Request(String name, Path parent, Path profilesDir, String profile, boolean skipProfile,
                          String adapter, String target, Map<String, Object> connection) {
    }

    private final Request req;

    public InitTask(Request req) {
        this.req = req;
    }

    public void execute(PrintStream out) {
        if (!ADAPTERS.contains(req.adapter())) {
            throw new ConfigException("--adapter must be one of " + String.join(", ", ADAPTERS) + "; got '" + req.adapter() + "'");
        }
        boolean inProject = ProjectConfigLoader.FILE_NAMES.stream().anyMatch(f -> Files.isRegularFile(req.parent().resolve(f)));
        Path profiles = req.profilesDir().resolve("profiles.yml");
        if (inProject && req.name() == null) {
            // dbt's init inside a project: only the profile is set up.
            if (req.profile() != null) {
                throw new ConfigException("init in an existing project cannot take --profile; edit the profile: line of its project file instead");
            }
            if (req.skipProfile()) {
                out.println("Nothing to do: " + req.parent() + " is already a project and --skip-profile-setup was given");
                return;
            }
            String profileName = new ProjectConfigLoader().load(req.parent()).profile();
            refuseExistingProfile(profiles, profileName);
            writeProfile(out, profiles, profileName);
            return;
        }
        String name = req.name();
        if (name == null) throw new ConfigException("init needs a PROJECT_NAME (letters, digits and underscores), e.g. engine init my_project");
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("'" + name + "' is not a valid project name: use letters, digits and underscores, starting with a letter");
        }
        Path dir = req.parent().resolve(name);
        if (Files.exists(dir)) {
            throw new ConfigException("a project called " + name + " already exists here: " + dir.toAbsolutePath().normalize()
                    + " (nothing was changed)");
        }
        String profileName = req.profile() != null ? req.profile() : name;
        if (req.profile() != null) {
            if (!hasProfile(profiles, req.profile())) {
                throw new ConfigException("could not find profile named '" + req.profile() + "' in " + profiles.toAbsolutePath());
            }
        } else if (!req.skipProfile()) {
            refuseExistingProfile(profiles, profileName);
        }
        writeProject(dir, name, profileName);
        out.println("Created project " + name + " in " + dir.toAbsolutePath().normalize());
        if (req.profile() == null && !req.skipProfile()) writeProfile(out, profiles, profileName);
        out.println("Next: cd " + name + " && engine build"
                + (req.profile() == null && !req.skipProfile() && !req.profilesDir().toAbsolutePath().normalize().equals(defaultProfilesDir())
                ? " --profiles-dir " + req.profilesDir().toAbsolutePath().normalize() : ""));
    }

    /** Where dbt keeps profiles.yml, and where init writes it unless told otherwise. */
    public static Path defaultProfilesDir() {
        return Path.of(System.getProperty("user.home"), ".dbt").toAbsolutePath().normalize();
    }

    private static boolean hasProfile(Path profiles, String name) {
        return Files.isRegularFile(profiles) && Yaml.load(profiles).get(name).isMap();
    }

    private static void refuseExistingProfile(Path profiles, String name) {
        if (hasProfile(profiles, name)) {
            throw new ConfigException("profile '" + name + "' already exists in " + profiles.toAbsolutePath()
                    + ": pass --profile " + name + " to use it, or --skip-profile-setup");
        }
    }

    /** Appends the profile as text, so the comments and layout of an existing profiles.yml stay as they are. */
    private void writeProfile(PrintStream out, Path profiles, String profileName) {
        StringBuilder y = new StringBuilder();
        y.append(profileName).append(":\n  target: ").append(req.target()).append("\n  outputs:\n    ")
                .append(req.target()).append(":\n      type: ").append(req.adapter()).append('\n');
        for (Map.Entry<String, Object> e : settings().entrySet()) {
            y.append("      ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        try {
            Files.createDirectories(profiles.getParent());
            String before = Files.isRegularFile(profiles) ? Files.readString(profiles) : "";
            String sep = before.isEmpty() || before.endsWith("\n") ? "" : "\n";
            Files.writeString(profiles, sep + (before.isBlank() ? "" : "\n") + y, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("Profile " + profileName + " (" + req.adapter() + ", target " + req.target() + ") written to "
                + profiles.toAbsolutePath().normalize());
    }

    /** The output's settings with defaults for what was not given; a password not given is read from the environment. */
    private Map<String, Object> settings() {
        Map<String, Object> c = new LinkedHashMap<>();
        Map<String, Object> given = req.connection();
        if (req.adapter().equals("duckdb")) {
            c.put("path", quote(String.valueOf(given.getOrDefault("path", req.name() != null ? req.name() + ".duckdb" : "dev.duckdb"))));
            c.put("schema", quote(String.valueOf(given.getOrDefault("schema", "main"))));
        } else {
            c.put("host", quote(String.valueOf(given.getOrDefault("host", "localhost"))));
            c.put("port", given.getOrDefault("port", 5432));
            c.put("user", quote(String.valueOf(given.getOrDefault("user", System.getProperty("user.name")))));
            c.put("password", given.containsKey("password") ? quote(String.valueOf(given.get("password")))
                    : quote("{{ env_var('DBT_ENV_SECRET_PASSWORD') }}"));
            c.put("dbname", quote(String.valueOf(given.getOrDefault("dbname", "postgres"))));
            c.put("schema", quote(String.valueOf(given.getOrDefault("schema", "public"))));
        }
        c.put("threads", given.getOrDefault("threads", 4));
        return c;
    }

    /** A YAML double-quoted scalar, so any password or path reads back as the same string. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void writeProject(Path dir, String name, String profile) {
        try {
            for (Map.Entry<String, String> f : StarterProject.files(name, profile).entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
