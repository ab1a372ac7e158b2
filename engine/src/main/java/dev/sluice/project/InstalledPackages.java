package dev.sluice.project;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The packages `engine deps` installed into the project's packages-install-path (dbt_packages/), each read
 * from its own project file. A project whose packages.yml names more packages than are installed is refused,
 * as dbt refuses it, with the command that fixes it.
 */
public final class InstalledPackages {
    private final ProjectConfig root;

    public InstalledPackages(ProjectConfig root) {
        this.root = root;
    }

    /** The installed packages' project files, sorted by package name. */
    public List<ProjectConfig> load() {
        PackagesFile wanted = PackagesFile.read(root.root(), s -> s);
        Path dir = root.packagesDir();
        List<Path> folders = folders(dir);
        Map<String, ProjectConfig> byName = new TreeMap<>();
        ProjectConfigLoader loader = new ProjectConfigLoader();
        for (Path f : folders) {
            ProjectConfig pc = loader.load(f);
            if (pc.name().equals(root.name())) {
                throw new ConfigException("the package installed in " + root.root().relativize(f)
                        + " has the project's own name '" + root.name() + "'", SourceLocation.of(root.root().relativize(pc.file())));
            }
            ProjectConfig other = byName.put(pc.name(), pc);
            if (other != null) {
                throw new ConfigException("two installed packages are named '" + pc.name() + "': "
                        + root.root().relativize(other.root()) + " and " + root.root().relativize(f)
                        + "; run `engine deps` again", SourceLocation.of(root.root().relativize(pc.file())));
            }
        }
        int specified = wanted.packages().size();
        if (specified > byName.size()) {
            throw new ConfigException(specified + " package(s) are named here but " + byName.size()
                    + " are installed in " + root.packagesInstallPath() + "/: run `engine deps` to install them",
                    SourceLocation.of(root.root().relativize(wanted.file())));
        }
        return List.copyOf(byName.values());
    }

    /** Folders of dir holding a project file (dbt_project.yml). */
    private static List<Path> folders(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (!Files.isDirectory(p)) continue;
                if (ProjectConfigLoader.FILE_NAMES.stream().anyMatch(n -> Files.isRegularFile(p.resolve(n)))) out.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
