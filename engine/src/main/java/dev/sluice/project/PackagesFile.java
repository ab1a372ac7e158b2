package dev.sluice.project;

import dev.sluice.error.ConfigException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The packages a project asks for: packages.yml or dependencies.yml (one of them may list packages), as dbt
 * reads them. {@code projects:} of dependencies.yml (cross-project refs of dbt Mesh) is refused by name.
 *
 * @param file     the file read, or null when the project names no packages
 * @param packages its entries, in order
 * @param hash     a digest of the entries, stored in package-lock.yml to notice a changed file
 */
public record PackagesFile(Path file, List<PackageSpec> packages, String hash) {

    private static final Set<String> ENTRY_KEYS = Set.of("local", "git", "revision", "subdirectory", "warn-unpinned",
            "package", "version", "install-prerelease", "name");

    public static PackagesFile none() {
        return new PackagesFile(null, List.of(), "");
    }

    /**
     * @param projectDir the project (or package) folder
     * @param render     renders Jinja in values ({{ env_var('GIT_TOKEN') }} in a git URL, as dbt allows)
     */
    public static PackagesFile read(Path projectDir, UnaryOperator<String> render) {
        Path packagesYml = projectDir.resolve("packages.yml");
        Path dependenciesYml = projectDir.resolve("dependencies.yml");
        PackagesFile fromPackages = Files.isRegularFile(packagesYml) ? parse(packagesYml, projectDir, render, false) : none();
        PackagesFile fromDependencies = Files.isRegularFile(dependenciesYml)
                ? parse(dependenciesYml, projectDir, render, true) : none();
        if (!fromPackages.packages().isEmpty() && !fromDependencies.packages().isEmpty()) {
            throw new ConfigException("both packages.yml and dependencies.yml list packages; dbt accepts them in only "
                    + "one of the two files", dev.sluice.error.SourceLocation.of(projectDir.relativize(dependenciesYml)));
        }
        return fromPackages.packages().isEmpty() ? fromDependencies : fromPackages;
    }

    private static PackagesFile parse(Path file, Path projectDir, UnaryOperator<String> render, boolean dependencies) {
        Yaml y = Yaml.load(file, projectDir.relativize(file));
        if (y.isNull()) return none();
        if (!y.isMap()) throw y.error("expected a mapping with a 'packages:' list");
        for (String key : y.entries(file.getFileName().toString()).keySet()) {
            if (key.equals("packages")) continue;
            if (dependencies && key.equals("projects")) {
                throw y.get("projects").error("'projects:' (cross-project ref() of dbt Mesh) is not supported; "
                        + "install the other project as a package instead");
            }
            throw y.get(key).error("unknown key '" + key + "' in " + file.getFileName() + "; expected 'packages:'");
        }
        List<PackageSpec> out = new ArrayList<>();
        StringBuilder digest = new StringBuilder();
        for (Yaml item : y.get("packages").items("packages")) {
            if (!item.isMap()) throw item.error("each package must be a mapping such as {local: ../my_package}");
            for (String key : item.entries("package").keySet()) {
                if (key.equals("tarball") || key.equals("private")) {
                    throw item.get(key).error("'" + key + ":' packages are not supported; use git: or local:");
                }
                if (!ENTRY_KEYS.contains(key)) throw item.get(key).error("unknown key '" + key + "' in a package entry");
            }
            PackageSpec spec = entry(item, render);
            out.add(spec);
            digest.append(spec.getClass().getSimpleName()).append('|').append(describe(spec)).append('\n');
        }
        return new PackagesFile(file, List.copyOf(out), sha1(digest.toString()));
    }

    private static PackageSpec entry(Yaml item, UnaryOperator<String> render) {
        int kinds = (item.has("local") ? 1 : 0) + (item.has("git") ? 1 : 0) + (item.has("package") ? 1 : 0);
        if (kinds != 1) throw item.error("a package entry needs exactly one of local:, git: or package:");
        if (item.has("local")) {
            return new PackageSpec.Local(render.apply(item.get("local").string("local")), item.location());
        }
        if (item.has("git")) {
            Yaml rev = item.get("revision");
            String revision = rev.isNull() ? null : render.apply(rev.string("revision"));
            boolean warn = !"false".equalsIgnoreCase(item.get("warn-unpinned").string("warn-unpinned", "true"));
            String written = item.get("git").string("git");
            return new PackageSpec.Git(render.apply(written), written, revision,
                    item.get("subdirectory").string("subdirectory"), warn, item.location());
        }
        String name = item.get("package").string("package");
        if (!name.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw item.get("package").error("a hub package is named owner/name, like dbt-labs/dbt_utils; got '" + name + "'");
        }
        Yaml v = item.get("version");
        if (v.isNull()) throw item.error("hub package '" + name + "' needs a version (a version or a range like [\">=1.0.0\", \"<2.0.0\"])");
        List<String> versions = ProjectConfigLoader.strings(v, "version", List.of()).stream().map(render).toList();
        try {
            VersionRange.parse(versions);
        } catch (IllegalArgumentException e) {
            throw v.error("version of '" + name + "': " + e.getMessage());
        }
        return new PackageSpec.Hub(name, versions, item.location());
    }

    private static String describe(PackageSpec spec) {
        if (spec instanceof PackageSpec.Local l) return l.path();
        // The url as written: a secret rendered into it stays out of the digest written to package-lock.yml.
        if (spec instanceof PackageSpec.Git g) return g.written() + "@" + g.revision() + "/" + g.subdirectory();
        PackageSpec.Hub h = (PackageSpec.Hub) spec;
        return h.name() + "@" + h.versions();
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
