package dev.sluice.deps;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Yaml;
import org.yaml.snakeyaml.DumperOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * package-lock.yml: every package `engine deps` installed (those the project names and theirs), pinned to the
 * commit or version installed, and a digest of packages.yml; a later run installs exactly these while the
 * digest matches, as dbt does.
 */
record LockFile(List<Entry> packages, String hash) {
    static final String NAME = "package-lock.yml";
    /** What a secret written in clear in a git url becomes in the lock (dbt's scrub_secrets mark). */
    static final String SCRUBBED = "*****";

    /**
     * One installed package.
     *
     * @param kind     local, git or package (hub)
     * @param source   folder, URL or hub name
     * @param revision the commit (git) or version (hub); null for local
     */
    record Entry(String kind, String source, String revision, String subdirectory, String name) {
    }

    static LockFile read(Path projectDir) {
        Path file = projectDir.resolve(NAME);
        if (!Files.isRegularFile(file)) return null;
        Yaml y = Yaml.load(file, Path.of(NAME));
        if (!y.isMap()) throw y.error("package-lock.yml must be a mapping with packages: and sha1_hash:; delete it and run `engine deps`");
        List<Entry> out = new ArrayList<>();
        for (Yaml item : y.get("packages").items("packages")) {
            String kind = item.has("local") ? "local" : item.has("git") ? "git" : item.has("package") ? "package" : null;
            if (kind == null) throw item.error("a package-lock.yml entry needs local:, git: or package:");
            String revision = kind.equals("git") ? item.get("revision").string("revision")
                    : kind.equals("package") ? item.get("version").string("version") : null;
            if (!kind.equals("local") && revision == null) throw item.error("a locked " + kind + " package needs its "
                    + (kind.equals("git") ? "revision" : "version"));
            out.add(new Entry(kind, item.get(kind).string(kind), revision, item.get("subdirectory").string("subdirectory"),
                    item.get("name").string("name")));
        }
        return new LockFile(List.copyOf(out), y.get("sha1_hash").string("sha1_hash", ""));
    }

    void write(Path projectDir) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Entry e : packages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(e.kind(), e.source());
            if (e.kind().equals("git")) m.put("revision", e.revision());
            if (e.kind().equals("package")) m.put("version", e.revision());
            if (e.subdirectory() != null) m.put("subdirectory", e.subdirectory());
            m.put("name", e.name());
            list.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("packages", list);
        doc.put("sha1_hash", hash);
        DumperOptions opts = new DumperOptions();
        opts.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        opts.setIndent(2);
        opts.setIndicatorIndent(2);
        opts.setIndentWithIndicator(true);
        String text = new org.yaml.snakeyaml.Yaml(opts).dump(doc);
        try {
            Files.writeString(projectDir.resolve(NAME), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + NAME + ": " + e.getMessage(), SourceLocation.of(Path.of(NAME)), e);
        }
    }
}
