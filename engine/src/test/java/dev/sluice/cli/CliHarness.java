package dev.sluice.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A project in a temporary folder, driven through the CLI entry point as a user would, with its own
 * DuckDB file and profiles.yml.
 */
final class CliHarness {
    final Path dir;
    final Warehouse warehouse;

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private CliHarness(Path dir, Warehouse warehouse) {
        this.dir = dir;
        this.warehouse = warehouse;
    }

    static CliHarness copyOf(String fixture, Path tmp) {
        return copyOf(fixture, tmp, Warehouse.DUCKDB);
    }

    /** Copies a project from test resources and gives it a profile for the warehouse. */
    static CliHarness copyOf(String fixture, Path tmp, Warehouse warehouse) {
        try {
            return copyOf(Path.of(CliHarness.class.getResource("/projects/" + fixture).toURI()), fixture, tmp, warehouse);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a project folder (its target/ left out) and gives it a profile for the warehouse. */
    static CliHarness copyOf(Path src, String name, Path tmp, Warehouse warehouse) {
        try {
            Path dst = tmp.resolve(name);
            try (Stream<Path> walk = Files.walk(src)) {
                for (Path p : walk.toList()) {
                    if (src.relativize(p).startsWith("target")) continue;
                    Path t = dst.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(t);
                    else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            CliHarness h = new CliHarness(dst, warehouse);
            String profile = readProfileName(dst);
            warehouse.prepare(dst);
            h.write("profiles.yml", profile + ":\n  target: dev\n  outputs:\n    dev:\n" + warehouse.output(dst));
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readProfileName(Path dir) throws IOException {
        Path f = Files.exists(dir.resolve("dbt_project.yml")) ? dir.resolve("dbt_project.yml") : dir.resolve("project.yml");
        for (String line : Files.readAllLines(f)) {
            if (line.startsWith("profile:")) return line.substring(8).trim().replace("'", "").replace("\"", "");
        }
        for (String line : Files.readAllLines(f)) {
            if (line.startsWith("name:")) return line.substring(5).trim().replace("'", "").replace("\"", "");
        }
        throw new IllegalStateException("no profile in " + f);
    }

    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--project-dir");
        all.add(dir.toString());
        if (!all.contains("--profiles-dir")) {
            all.add("--profiles-dir");
            all.add(dir.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(all.toArray(String[]::new), o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    void write(String relative, String content) {
        try {
            Path p = dir.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String relative) {
        try {
            return Files.readString(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete(String relative) {
        try {
            Files.deleteIfExists(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of a query against the project's warehouse (the DuckDB file is opened after the CLI closed it). */
    List<Map<String, Object>> query(String sql) {
        try (Connection c = warehouse.connect(dir);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A statement against the project's warehouse, as a user at a console would run it. */
    void execute(String sql) {
        try (Connection c = warehouse.connect(dir); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    Object scalar(String sql) {
        return query(sql).get(0).values().iterator().next();
    }

    long count(String relation) {
        return ((Number) scalar("select count(*) from " + relation)).longValue();
    }

    String dataType(String table, String column) {
        return scalar("select data_type from information_schema.columns where table_name = '" + table
                + "' and column_name = '" + column + "'").toString().toUpperCase(java.util.Locale.ROOT);
    }

    /** "table", "view" or null. */
    String relationType(String schema, String name) {
        List<Map<String, Object>> r = query("select table_type from information_schema.tables where table_schema = '"
                + schema + "' and table_name = '" + name + "'");
        if (r.isEmpty()) return null;
        return r.get(0).get("table_type").toString().contains("VIEW") ? "view" : "table";
    }
}
