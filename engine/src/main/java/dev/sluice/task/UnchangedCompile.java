package dev.sluice.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.exec.Progress;
import dev.sluice.project.ProjectConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compile of a project in which nothing changed since the last compile, done without compiling again: the
 * last compile's target/ is kept and only manifest.json's invocation id and times are written anew.
 *
 * <p>Why this gives what a compile would: a compile is recorded ({@link #record}) only when it was itself such a
 * compile: every node's parse came from partial_parse.json, no template was rendered at all (no node, hook, YAML
 * value, description or profile value), the warehouse was not asked, the cache file was left as read. Its
 * outputs are then a function of what it read: the files under the project (and packages, profiles.yml), the
 * command line's option values, the whole environment, the engine's build and Java's settings, the UTC date
 * (deprecation warnings) and partial_parse.json. The stamp keeps a digest of all of these, taken before the
 * compile read anything (a file changed during it leaves a digest the next check cannot match), and the
 * identities of its outputs (inode, size, modification time to the nanosecond, as git's index keeps them). When
 * all of them are the same, a compile would read the same cache with the same inputs and write the same bytes:
 * they are kept, and the warnings it printed are printed again. Files over 1 MiB among the inputs (a database
 * file in the project folder) are digested by their identity, not read. Anything that differs, or any doubt (a
 * folder loop, an unreadable file), compiles as usual; `--debug` says why.
 */
public final class UnchangedCompile {
    /** The stamp in the target folder. */
    public static final String STAMP = "unchanged_compile.json";
    private static final int FORMAT = 1;
    /** Files above this size are digested by their identity (see {@link #identity}) rather than read. */
    private static final long LARGE = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** manifest.json's metadata values that differ from one compile to the next, in the order written. */
    private static final List<String> PER_INVOCATION = List.of("generated_at", "invocation_id", "invocation_started_at");

    /**
     * What the last recorded compile read and wrote.
     *
     * @param inputs     digest of everything it read (see {@link #inputs})
     * @param walked     the folders the digest walked, beyond the project's
     * @param manifest   the identity of manifest.json (see {@link #identity})
     * @param outputs    digest of the identities of partial_parse.json and of every file under compiled/
     * @param parsed     the number of nodes parsed (all from the parse cache)
     * @param nodes      the number of nodes compiled
     * @param warnings   the warnings it printed, masked, in order
     * @param header     manifest.json's bytes up to its metadata's per-invocation values, split around them
     */
    record Stamp(int format, String inputs, List<String> walked, String manifest, String outputs, int parsed, int nodes, List<String> warnings,
                 List<Integer> header) {
    }

    /** A digest of a compile's inputs, taken before it reads them; null when they cannot all be read. */
    public record Inputs(String digest, List<Path> walked, Path root, List<Path> skipped) {
        /** Whether path lies in what the digest read: under a walked folder, not in a skipped one. */
        boolean covers(Path path) {
            Path p = path.toAbsolutePath().normalize();
            for (Path s : skipped) if (p.startsWith(s)) return false;
            if (p.startsWith(root)) return true;
            for (Path w : walked) if (p.startsWith(w)) return true;
            return false;
        }
    }

    private UnchangedCompile() {
    }

    /**
     * Whether a compile of this project could be recorded at all. Only one served wholly by the parse cache is,
     * so without partial_parse.json in target/ (a first compile, target/ removed) the digest of every input file
     * would be taken for nothing (at 10,000 models, 10,001 files read before the compile reads them again); and
     * without that file no earlier compile's outputs can be kept either, since their identities include it.
     */
    public static boolean mayRecord(ProjectConfig config) {
        return Files.isRegularFile(config.targetDir().resolve(Workspace.PARSE_CACHE));
    }

    /**
     * The digest of what a compile of this project reads: every file under the project root, its configured
     * folders and package folder (wherever they are), and the profiles.yml candidates; options, environment,
     * build. Skipped: the target and log folders (outputs) and hidden folders that hold none of the configured
     * folders (the loader reads only configured folders). Null when a file cannot be read or folders loop.
     */
    public static Inputs inputs(ProjectConfig config, Path logDir, Path profilesDir, List<String> options) {
        Path root = config.root().toAbsolutePath().normalize();
        List<Path> configured = new ArrayList<>();
        for (List<String> dirs : List.of(config.modelPaths(), config.seedPaths(), config.testPaths(), config.macroPaths(),
                config.snapshotPaths(), config.docsPaths())) {
            for (String d : dirs) configured.add(root.resolve(d).normalize());
        }
        configured.add(config.packagesDir().toAbsolutePath().normalize());
        List<Path> skipped = List.of(config.targetDir().toAbsolutePath().normalize(), logDir.toAbsolutePath().normalize());
        for (Path c : configured) {
            for (Path s : skipped) if (c.startsWith(s)) return null;
        }
        List<Path> walked = new ArrayList<>();
        for (Path c : configured) if (!c.startsWith(root) && !walked.contains(c)) walked.add(c);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            part(md, "format " + FORMAT);
            part(md, dev.sluice.log.Version.current().line());
            Path jar = Path.of(UnchangedCompile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            part(md, jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar));
            for (String p : List.of("java.vm.version", "java.vm.vendor", "java.home", "user.dir", "user.home",
                    "file.encoding", "user.timezone", "user.language", "user.country")) {
                part(md, p + "=" + System.getProperty(p));
            }
            part(md, java.util.TimeZone.getDefault().getID() + " " + java.util.Locale.getDefault());
            part(md, java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
            for (String o : options) part(md, o);
            new TreeMap<>(System.getenv()).forEach((k, v) -> part(md, k + "=" + v));
            List<Path> profiles = new ArrayList<>();
            if (profilesDir != null) profiles.add(profilesDir);
            profiles.add(root);
            profiles.add(Path.of(""));
            profiles.add(Path.of(System.getProperty("user.home"), ".dbt"));
            for (Path d : profiles) file(md, d.resolve("profiles.yml").toAbsolutePath());
            List<Path> roots = new ArrayList<>();
            roots.add(root);
            roots.addAll(walked);
            for (Path r : roots) {
                part(md, "root " + r);
                walk(md, r, configured, skipped);
            }
            return new Inputs(HexFormat.of().formatHex(md.digest()), List.copyOf(walked), root, skipped);
        } catch (IOException | java.io.UncheckedIOException | java.net.URISyntaxException | java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** One entry of a walk: a folder (size -1) or a file with its size and, when large, its identity. */
    private record Entry(Path path, String rel, long size, String identity) {
    }

    private static void walk(MessageDigest md, Path root, List<Path> configured, List<Path> skipped) throws IOException {
        if (!Files.exists(root)) {
            part(md, "absent");
            return;
        }
        List<Entry> entries = new ArrayList<>();
        int prefix = root.toString().length();
        // Links are followed (a package installed as a link, a linked model folder): a loop is an error here.
        // Entries are taken in the order the walk gives them, not sorted: an unchanged folder lists the same
        // names in the same order, and any other order only costs a compile.
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                Path d = dir.toAbsolutePath().normalize();
                if (skipped.contains(d)) return FileVisitResult.SKIP_SUBTREE;
                if (d.getFileName() != null && d.getFileName().toString().startsWith(".")
                        && configured.stream().noneMatch(c -> c.startsWith(d) || d.startsWith(c))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                entries.add(new Entry(dir, dir.toString().substring(prefix), -1, null));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                entries.add(new Entry(file, file.toString().substring(prefix), attrs.size(),
                        attrs.size() > LARGE ? identity(attrs) : null));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw e instanceof FileSystemLoopException ? e : new IOException("cannot read " + file, e);
            }
        });
        // Read and digested on every core, in chunks whose digests are taken in the walk's order.
        List<List<Entry>> chunks = new ArrayList<>();
        for (int i = 0; i < entries.size(); i += 256) chunks.add(entries.subList(i, Math.min(entries.size(), i + 256)));
        List<byte[]> digests = dev.sluice.compile.Parallel.map(chunks, chunk -> {
            try {
                MessageDigest c = MessageDigest.getInstance("SHA-256");
                for (Entry e : chunk) {
                    if (e.size() < 0) {
                        part(c, "dir " + e.rel());
                    } else {
                        part(c, "file " + e.rel());
                        // A large file (a DuckDB database beside the project) is known by its identity, not read.
                        part(c, e.size() > LARGE ? e.identity() : null);
                        if (e.size() <= LARGE) part(c, Files.readAllBytes(e.path()));
                    }
                }
                return c.digest();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        for (byte[] d : digests) part(md, d);
    }

    private static void file(MessageDigest md, Path f) throws IOException {
        part(md, f.toString());
        if (Files.isRegularFile(f) && Files.size(f) > LARGE) part(md, identity(f));
        else if (Files.isRegularFile(f)) part(md, Files.readAllBytes(f));
        else part(md, Files.exists(f) ? "not a file" : "absent");
    }

    private static void part(MessageDigest md, String s) {
        part(md, (s == null ? "\0null" : s).getBytes(StandardCharsets.UTF_8));
    }

    /** Each part length-prefixed, so that parts cannot run into each other. */
    private static void part(MessageDigest md, byte[] b) {
        md.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
        md.update(b);
    }

    /**
     * Keeps target/ as it is when the last recorded compile read the same inputs and its outputs are untouched:
     * writes manifest.json again with this invocation's id and times and prints what that compile printed.
     * Returns false, having changed nothing, when a compile must run.
     */
    public static boolean replay(ProjectConfig config, Inputs inputs, String invocationId, java.time.Instant startedAt,
                                 Progress progress) {
        if (inputs == null) return false;
        Path target = config.targetDir();
        Path stampFile = target.resolve(STAMP);
        Stamp stamp;
        try {
            if (!Files.isRegularFile(stampFile)) return false;
            stamp = JSON.readValue(stampFile.toFile(), Stamp.class);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (stamp.format() != FORMAT || !inputs.digest().equals(stamp.inputs())
                || !stamp.walked().equals(inputs.walked().stream().map(Path::toString).toList())) {
            progress.log().debug("UnchangedCompile", "Compiling: a file, option, environment variable or the engine "
                    + "changed since the last compile", Map.of());
            return false;
        }
        Path manifest = target.resolve("manifest.json");
        String outputs = outputs(target);
        if (outputs == null || !outputs.equals(stamp.outputs()) || !stamp.manifest().equals(identity(manifest))) {
            progress.log().debug("UnchangedCompile", "Compiling: target/ changed since the last compile", Map.of());
            return false;
        }
        List<Integer> h = stamp.header();
        try {
            byte[] old = Files.readAllBytes(manifest);
            if (h.size() != 6 || h.get(5) > old.length) return false;
            List<String> values = List.of(java.time.Instant.now().toString(), invocationId, startedAt.toString());
            Path tmp = manifest.resolveSibling("manifest.json.tmp");
            List<Integer> header = new ArrayList<>();
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                int at = 0;
                int written = 0;
                for (int i = 0; i < 3; i++) {
                    out.write(old, at, h.get(2 * i) - at);
                    written += h.get(2 * i) - at;
                    byte[] value = values.get(i).getBytes(StandardCharsets.UTF_8);
                    out.write(value);
                    header.add(written);
                    written += value.length;
                    header.add(written);
                    at = h.get(2 * i + 1);
                }
                out.write(old, at, old.length - at);
            }
            Files.move(tmp, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // The rewritten manifest is a new file: the stamp follows it, so the next compile can be kept too.
            String now = identity(manifest);
            if (now == null) {
                Files.deleteIfExists(stampFile);
            } else {
                write(stampFile, new Stamp(FORMAT, stamp.inputs(), stamp.walked(), now, outputs, stamp.parsed(),
                        stamp.nodes(), stamp.warnings(), header));
            }
        } catch (IOException e) {
            throw new dev.sluice.error.EngineException("cannot write " + manifest + ": " + e.getMessage());
        }
        progress.log().debug("PartialParse", "Partial parse: reused the cached parse of " + stamp.parsed() + " of "
                + stamp.parsed() + " nodes", Map.of("reused", stamp.parsed(), "parsed", 0));
        progress.log().debug("UnchangedCompile", "Nothing the compile reads changed since the last one: its outputs are kept",
                Map.of("nodes", stamp.nodes()));
        stamp.warnings().forEach(w -> progress.warn("ProjectWarning", w));
        progress.line("Compiled " + stamp.nodes() + " nodes to " + config.root().relativize(target.resolve("compiled")));
        return true;
    }

    /**
     * After a compile: records it when it was one whose outputs depend only on its inputs (see the class comment);
     * otherwise removes any stamp, so that no later compile keeps outputs this one replaced.
     */
    static void record(Workspace ws, Inputs inputs, String impure, Progress progress, int parsed, int nodes,
                       List<String> warnings) {
        Path target = ws.config().targetDir();
        Path stampFile = target.resolve(STAMP);
        try {
            List<Integer> header = null;
            String outputs = null;
            String manifest = null;
            String why = impure;
            if (why == null && !ws.secrets().noneMatch(s -> s.matches("[0-9a-fA-F:.TZ+-]+"))) {
                why = "a secret could occur in an invocation id or time";
            }
            if (why == null && !ws.project().packages().values().stream().allMatch(pc -> coversPackage(inputs, pc))) {
                why = "a package reads folders outside those digested";
            }
            if (why == null) {
                byte[] head = head(target.resolve("manifest.json"));
                header = head == null ? null : header(head, ws.invocationId(), ws.startedAt().toString());
                outputs = header == null ? null : outputs(target);
                manifest = identity(target.resolve("manifest.json"));
                if (outputs == null || manifest == null) why = "manifest.json's metadata or target/ could not be read back";
            }
            if (why != null) {
                progress.log().debug("UnchangedCompile", "This compile is not recorded for the next to keep: " + why,
                        Map.of("reason", why));
                Files.deleteIfExists(stampFile);
                return;
            }
            write(stampFile, new Stamp(FORMAT, inputs.digest(), inputs.walked().stream().map(Path::toString).toList(),
                    manifest, outputs, parsed, nodes, List.copyOf(warnings), header));
        } catch (IOException e) {
            // Without a stamp the next compile compiles: nothing is lost.
            try {
                Files.deleteIfExists(stampFile);
            } catch (IOException ignored) {
                // A stamp that cannot be removed cannot be matched either: its outputs' identities changed.
            }
        }
    }

    /** Whether a package's root and every folder its loading reads were in the digest. */
    private static boolean coversPackage(Inputs inputs, ProjectConfig pc) {
        if (!inputs.covers(pc.root()) || !inputs.covers(pc.file())) return false;
        for (List<String> dirs : List.of(pc.modelPaths(), pc.seedPaths(), pc.testPaths(), pc.macroPaths(),
                pc.snapshotPaths(), pc.docsPaths())) {
            for (String d : dirs) if (!inputs.covers(pc.root().resolve(d))) return false;
        }
        return true;
    }

    private static byte[] head(Path manifest) throws IOException {
        if (!Files.isRegularFile(manifest)) return null;
        try (java.io.InputStream in = Files.newInputStream(manifest)) {
            return in.readNBytes(1 << 16);
        }
    }

    /**
     * Where the per-invocation values of the manifest's metadata start and end, as written with this id and
     * start time; null when they are not found as written (masked, or the metadata is not first).
     */
    private static List<Integer> header(byte[] bytes, String invocationId, String startedAt) {
        String head = new String(bytes, 0, Math.min(bytes.length, 1 << 16), StandardCharsets.ISO_8859_1);
        if (!head.startsWith("{\"metadata\":{")) return null;
        int end = head.indexOf('}');
        List<Integer> out = new ArrayList<>();
        int from = 0;
        for (String key : PER_INVOCATION) {
            String k = "\"" + key + "\":\"";
            int at = head.indexOf(k, from);
            if (at < 0 || at > end) return null;
            int start = at + k.length();
            int stop = head.indexOf('"', start);
            if (stop < 0 || stop > end) return null;
            String value = head.substring(start, stop);
            if (key.equals("invocation_id") && !value.equals(invocationId)) return null;
            if (key.equals("invocation_started_at") && !value.equals(startedAt)) return null;
            if (key.equals("generated_at") && !value.matches("[0-9T:.Z-]+")) return null;
            out.add(start);
            out.add(stop);
            from = stop;
        }
        return out;
    }

    /**
     * The identities of what a compile leaves in target/ beside manifest.json: partial_parse.json and every file
     * and folder under compiled/ (see {@link #identity}). Null when target/ cannot be read.
     */
    private static String outputs(Path target) {
        try {
            List<String> entries = new ArrayList<>();
            Path cache = target.resolve(Workspace.PARSE_CACHE);
            entries.add(Workspace.PARSE_CACHE + "\0" + identity(cache));
            Path compiled = target.resolve("compiled");
            int prefix = target.toString().length();
            if (Files.isDirectory(compiled, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                // One stat per entry (the walk's own); links are not followed, as the compile replaces what it finds.
                Files.walkFileTree(compiled, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        entries.add(dir.toString().substring(prefix) + "\0" + identity(attrs));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        entries.add(file.toString().substring(prefix) + "\0" + identity(attrs));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        throw e;
                    }
                });
            } else {
                entries.add("compiled\0" + (Files.exists(compiled, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "not a folder" : "absent"));
            }
            // In the walk's order, not sorted: an unchanged folder lists the same way, another order only compiles.
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder all = new StringBuilder(entries.size() * 96);
            for (String e : entries) all.append(e).append('\n');
            md.update(all.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.io.UncheckedIOException | java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }

    /**
     * A file's identity: kind, inode, size and modification time (to the nanosecond). Writing a file gives it the
     * time of the write and replacing it another inode, so two equal identities are the same unchanged file, as
     * git's index assumes; only a tool that sets times back to these very nanoseconds could hide a change.
     */
    private static String identity(Path file) {
        try {
            return identity(Files.readAttributes(file, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        } catch (java.nio.file.NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return null;
        }
    }

    private static String identity(BasicFileAttributes a) {
        String kind = a.isRegularFile() ? "f" : a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "o";
        return kind + " " + a.fileKey() + " " + a.size() + " " + a.lastModifiedTime().toInstant();
    }

    private static void write(Path file, Stamp stamp) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), stamp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
