package dev.sluice.deps;

import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.PackageSpec;
import dev.sluice.project.PackagesFile;
import dev.sluice.project.ProjectConfig;
import dev.sluice.project.ProjectConfigLoader;
import dev.sluice.project.VersionRange;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * `engine deps`: installs the packages of packages.yml / dependencies.yml, and the packages those name, into
 * the project's packages-install-path, and records what it installed in package-lock.yml. Local packages are
 * linked (copied where links are not possible), git and hub packages copied from a JGit clone.
 */
public final class PackageInstaller {
    private static final Set<String> UNPINNED = Set.of("HEAD", "main", "master");

    private final ProjectConfig project;
    private final HubRegistry hub;
    private final UnaryOperator<String> render;
    private final UnaryOperator<String> mask;
    private final PrintStream out;

    /** A package fetched for installation: where its files are and how it is pinned. */
    private record Fetched(String name, Path dir, boolean link, LockFile.Entry pin) {
    }

    /** A package to fetch and the folder its relative paths start from. */
    private record Wanted(PackageSpec spec, Path base) {
    }

    public PackageInstaller(ProjectConfig project, HubRegistry hub, UnaryOperator<String> render, PrintStream out) {
        this(project, hub, render, s -> s, out);
    }

    /**
     * @param render renders Jinja in packages.yml values (env_var, secret ones included, as dbt allows there)
     * @param mask   hides secret values (DBT_ENV_SECRET_*) in every line printed and in package-lock.yml
     */
    public PackageInstaller(ProjectConfig project, HubRegistry hub, UnaryOperator<String> render,
                            UnaryOperator<String> mask, PrintStream out) {
        this.project = project;
        this.hub = hub;
        this.render = render;
        this.mask = mask;
        this.out = out;
    }

    private void say(String line) {
        out.println(mask.apply(line));
    }

    /** @param upgrade resolve packages.yml again even when package-lock.yml matches it */
    public void install(boolean upgrade) {
        Path root = project.root();
        PackagesFile file = PackagesFile.read(root, render);
        Path installDir = project.packagesDir();
        if (file.packages().isEmpty()) {
            say("No packages to install: neither packages.yml nor dependencies.yml lists any.");
            return;
        }
        LockFile lock = LockFile.read(root);
        boolean fromLock = !upgrade && lock != null && lock.hash().equals(file.hash());
        if (fromLock && lock.packages().stream().anyMatch(e -> e.source().contains(LockFile.SCRUBBED))) {
            // A url written with a secret in clear was locked scrubbed, so it cannot be cloned from the lock
            // (dbt then fails and asks for --upgrade); resolving packages.yml again is what that would do.
            say("Warning: " + LockFile.NAME + " holds a git url scrubbed of a secret; resolving packages.yml again");
            fromLock = false;
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory("sluice-deps");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<Fetched> fetched = fromLock ? fetchLocked(lock, scratch) : resolve(file, scratch);
            if (fromLock) say("Installing the packages pinned in " + LockFile.NAME);
            createDirectories(installDir);
            Set<String> names = new java.util.HashSet<>();
            for (Fetched f : fetched) {
                names.add(f.name());
                Path dest = installDir.resolve(f.name());
                delete(dest);
                if (f.link() && link(dest, f.dir())) {
                    say("Installed " + f.name() + " (link to " + f.pin().source() + ")");
                } else {
                    copyTree(f.dir(), dest);
                    say("Installed " + f.name() + describe(f.pin()));
                }
            }
            removeStale(installDir, names);
            List<LockFile.Entry> pins = fetched.stream().map(Fetched::pin).toList();
            new LockFile(pins, file.hash()).write(root);
            say("Installed " + fetched.size() + " package(s) into " + project.packagesInstallPath()
                    + "/; wrote " + LockFile.NAME);
        } finally {
            delete(scratch);
        }
    }

    private static String describe(LockFile.Entry pin) {
        return switch (pin.kind()) {
            case "git" -> " from " + pin.source() + " at revision " + pin.revision();
            case "package" -> " " + pin.revision() + " (" + pin.source() + ")";
            default -> " (copy of " + pin.source() + ")";
        };
    }

    // ---- resolving packages.yml ----------------------------------------------------------------

    private List<Fetched> resolve(PackagesFile file, Path scratch) {
        Map<String, Fetched> byName = new LinkedHashMap<>();
        Map<String, String> requestedBy = new LinkedHashMap<>();
        Deque<Wanted> queue = new ArrayDeque<>();
        for (PackageSpec s : file.packages()) queue.add(new Wanted(s, project.root()));
        int n = 0;
        while (!queue.isEmpty()) {
            Wanted w = queue.poll();
            Fetched f = fetch(w, scratch.resolve("p" + (n++)));
            Fetched earlier = byName.get(f.name());
            if (earlier != null) {
                // One version of a package for the whole project, as in dbt: the first one asked for.
                if (!earlier.pin().equals(f.pin()) && !sameSource(earlier.pin(), f.pin())) {
                    say("Warning: package '" + f.name() + "' is asked for twice (" + requestedBy.get(f.name())
                            + " and " + w.spec().location() + "); installing the first");
                }
                continue;
            }
            byName.put(f.name(), f);
            requestedBy.put(f.name(), String.valueOf(w.spec().location()));
            // The package's own packages: local paths in them are relative to the package.
            PackagesFile own = PackagesFile.read(f.dir(), render);
            for (PackageSpec s : own.packages()) queue.add(new Wanted(s, f.dir()));
        }
        return List.copyOf(byName.values());
    }

    private static boolean sameSource(LockFile.Entry a, LockFile.Entry b) {
        return a.kind().equals(b.kind()) && a.source().equals(b.source());
    }

    private Fetched fetch(Wanted w, Path scratch) {
        PackageSpec spec = w.spec();
        if (spec instanceof PackageSpec.Local l) {
            Path dir = w.base().resolve(l.path()).normalize();
            String name = projectName(dir, l.location(), "local package '" + l.path() + "'");
            String shown = w.base().equals(project.root()) ? l.path() : relativeToProject(dir);
            // A folder inside a fetched git package goes away with the scratch folder: copy it, never link.
            boolean link = !dir.startsWith(scratch.getParent());
            return new Fetched(name, dir, link, new LockFile.Entry("local", shown, null, null, name));
        }
        if (spec instanceof PackageSpec.Git g) {
            if (g.warnUnpinned() && (g.revision() == null || UNPINNED.contains(g.revision()))) {
                say("Warning: the git package " + g.url() + " is "
                        + (g.revision() == null || g.revision().equals("HEAD") ? "not pinned (default branch)"
                        : "pinned to the branch '" + g.revision() + "'")
                        + "; it may change under you. Pin a tag or commit with revision:, or set warn-unpinned: false");
            }
            GitRepository repo = new GitRepository(g.url(), g.location());
            String sha = repo.checkout(scratch, g.revision());
            Path dir = subdirectory(scratch, g.subdirectory(), g.location(), g.url());
            String name = projectName(dir, g.location(), "git package " + g.url());
            // The lock keeps the url as written, env_var() calls unrendered, as dbt does; a secret written in
            // clear is scrubbed from it, with dbt's warning.
            String locked = mask.apply(g.written());
            if (!locked.equals(g.written())) {
                say("Warning: the git url of package '" + name + "' (" + g.location() + ") holds a secret in clear; "
                        + LockFile.NAME + " gets it scrubbed (" + locked + "), so later `engine deps` runs resolve it again. "
                        + "Write the secret as {{ env_var('DBT_ENV_SECRET_...') }} instead");
            }
            return new Fetched(name, dir, false, new LockFile.Entry("git", locked, sha, g.subdirectory(), name));
        }
        PackageSpec.Hub h = (PackageSpec.Hub) spec;
        String url = hub.require(h.name(), h.location());
        GitRepository repo = new GitRepository(url, h.location());
        VersionRange range = VersionRange.parse(h.versions());
        Map<VersionRange.Version, String> tags = versionTags(repo.tags());
        Optional<VersionRange.Version> best = range.best(new ArrayList<>(tags.keySet()));
        if (best.isEmpty()) {
            throw new ConfigException("no release of hub package '" + h.name() + "' matches version " + range
                    + " (tags of " + url + ": " + tags.keySet().stream().sorted(Comparator.reverseOrder()).limit(8).toList()
                    + (tags.size() > 8 ? ", ..." : "") + ")", h.location());
        }
        repo.checkout(scratch, tags.get(best.get()));
        String name = projectName(scratch, h.location(), "hub package " + h.name());
        return new Fetched(name, scratch, false, new LockFile.Entry("package", h.name(), best.get().toString(), null, name));
    }

    private String relativeToProject(Path dir) {
        Path rel = project.root().relativize(dir);
        return rel.toString().isEmpty() ? "." : rel.toString();
    }

    /** Release tags by version ("1.3.0" and "v1.3.0" alike); tags that are not versions are left out. */
    private static Map<VersionRange.Version, String> versionTags(List<String> tags) {
        Map<VersionRange.Version, String> out = new LinkedHashMap<>();
        for (String t : tags) VersionRange.Version.tryParse(t).ifPresent(v -> out.putIfAbsent(v, t));
        return out;
    }

    // ---- installing package-lock.yml -------------------------------------------------------------

    private List<Fetched> fetchLocked(LockFile lock, Path scratch) {
        List<Fetched> out = new ArrayList<>();
        int n = 0;
        SourceLocation where = SourceLocation.of(Path.of(LockFile.NAME));
        for (LockFile.Entry e : lock.packages()) {
            Path dir = scratch.resolve("p" + (n++));
            Fetched f;
            switch (e.kind()) {
                case "local" -> {
                    Path src = project.root().resolve(e.source()).normalize();
                    f = new Fetched(projectName(src, where, "local package '" + e.source() + "'"), src, true, e);
                }
                case "git" -> {
                    // Rendered again: the lock has the url as packages.yml wrote it, env_var() calls and all.
                    String url = render.apply(e.source());
                    new GitRepository(url, where).checkout(dir, e.revision());
                    Path src = subdirectory(dir, e.subdirectory(), where, url);
                    f = new Fetched(projectName(src, where, "git package " + url), src, false, e);
                }
                default -> {
                    String url = hub.require(e.source(), where);
                    GitRepository repo = new GitRepository(url, where);
                    VersionRange.Version v = VersionRange.Version.parse(e.revision());
                    String tag = versionTags(repo.tags()).get(v);
                    if (tag == null) {
                        throw new ConfigException("hub package '" + e.source() + "' has no release " + e.revision()
                                + " (tags of " + url + "); run `engine deps --upgrade`", where);
                    }
                    repo.checkout(dir, tag);
                    f = new Fetched(projectName(dir, where, "hub package " + e.source()), dir, false, e);
                }
            }
            out.add(f);
        }
        return out;
    }

    // ---- files ------------------------------------------------------------------------------------

    private static Path subdirectory(Path clone, String sub, SourceLocation where, String url) {
        if (sub == null || sub.isBlank()) return clone;
        Path dir = clone.resolve(sub).normalize();
        if (!dir.startsWith(clone) || !Files.isDirectory(dir)) {
            throw new ConfigException("git package " + url + " has no folder '" + sub + "' (subdirectory:)", where);
        }
        return dir;
    }

    private static String projectName(Path dir, SourceLocation where, String what) {
        if (!Files.isDirectory(dir)) throw new ConfigException(what + ": folder " + dir + " does not exist", where);
        if (ProjectConfigLoader.FILE_NAMES.stream().noneMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
            throw new ConfigException(what + " has no dbt_project.yml (in " + dir + ")", where);
        }
        return new ProjectConfigLoader().load(dir).name();
    }

    /** A symbolic link to a local package, as dbt makes; false where the file system refuses one. */
    private static boolean link(Path dest, Path target) {
        try {
            Files.createSymbolicLink(dest, target.toAbsolutePath());
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void removeStale(Path installDir, Set<String> keep) {
        try (Stream<Path> s = Files.list(installDir)) {
            for (Path p : s.toList()) {
                if (keep.contains(p.getFileName().toString())) continue;
                delete(p);
                say("Removed " + project.packagesInstallPath() + "/" + p.getFileName() + ": no longer asked for");
            }
        } catch (IOException e) {
            throw new EngineException("cannot list " + installDir + ": " + e.getMessage());
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EngineException("cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** Copies a package's files, leaving out its .git folder. */
    private static void copyTree(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (dir.getFileName() != null && dir.getFileName().toString().equals(".git")) return FileVisitResult.SKIP_SUBTREE;
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new EngineException("cannot copy " + from + " to " + to + ": " + e.getMessage());
        }
    }

    /** Deletes a file, folder or link; a link is removed, never what it points to. */
    static void delete(Path p) {
        // JGit may still be writing a clone's gc.log.lock from a background auto-gc: a few tries outlast it.
        for (int attempt = 1; ; attempt++) {
            try {
                deleteOnce(p);
                return;
            } catch (EngineException e) {
                if (attempt == 5) throw e;
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void deleteOnce(Path p) {
        try {
            if (Files.isSymbolicLink(p)) {
                Files.delete(p);
                return;
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof java.nio.file.NoSuchFileException) return FileVisitResult.CONTINUE;
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new EngineException("cannot delete " + p + ": " + e.getMessage());
        }
    }
}
