package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Helpers shared by the ports of dbt-tests-adapter suites: a project written from a map of files (as dbt's
 * fixtures write theirs), the run results a command left, and dbt's check_relations_equal.
 */
abstract class AdapterSuite extends ProjectTest {
    /** The target schema, not DuckDB's main, which cannot be dropped (dbt's tests each get a schema of their own). */
    static final String S = "dbt_test";

    /** A project named name with the given files (paths relative to the project root) on this class's warehouse. */
    CliHarness project(String name, Map<String, String> files) {
        return project(name, "", files);
    }

    /** As project(name, files), with extra lines for dbt_project.yml. */
    CliHarness project(String name, String projectYml, Map<String, String> files) {
        try {
            Path src = tmp.resolve("src-" + name);
            Files.createDirectories(src);
            Files.writeString(src.resolve("dbt_project.yml"), "name: " + name + "\nprofile: " + name
                    + "\nversion: '1.0'\nconfig-version: 2\n" + projectYml);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = src.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
            CliHarness h = CliHarness.copyOf(src, name, tmp, warehouse());
            h.write("profiles.yml", h.read("profiles.yml").replace("schema: main", "schema: " + S));
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> files(String... pathsAndContents) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) m.put(pathsAndContents[i], pathsAndContents[i + 1]);
        return m;
    }

    /** Runs a command and asserts its exit code. */
    static CliHarness.Result expect(int code, CliHarness p, String... args) {
        CliHarness.Result r = p.run(args);
        assertEquals(code, r.exitCode(), String.join(" ", args) + "\n" + r.all());
        return r;
    }

    /** name -> status of each result in target/run_results.json (the last command's). */
    static Map<String, String> results(CliHarness p) {
        try {
            JsonNode res = new ObjectMapper().readTree(p.read("target/run_results.json")).path("results");
            Map<String, String> m = new LinkedHashMap<>();
            for (JsonNode r : res) {
                String id = r.path("unique_id").asText();
                String[] parts = id.split("\\.");
                m.put(parts[2], r.path("status").asText());
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(CliHarness p, String relative) {
        try {
            return new ObjectMapper().readTree(p.read(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** name -> [status, failures] of each result in target/run_results.json. */
    static Map<String, List<Object>> resultsWithFailures(CliHarness p) {
        Map<String, List<Object>> m = new LinkedHashMap<>();
        for (JsonNode r : json(p, "target/run_results.json").path("results")) {
            String[] parts = r.path("unique_id").asText().split("\\.");
            m.put(parts[2], List.of(r.path("status").asText(), r.path("failures").asLong()));
        }
        return m;
    }

    /** dbt's check_relations_equal: same columns, and the same rows both ways, counted. */
    static void relationsEqual(CliHarness p, String... relations) {
        String first = relations[0];
        List<String> cols = columns(p, first);
        String list = String.join(", ", cols.stream().map(c -> "\"" + c + "\"").toList());
        for (int i = 1; i < relations.length; i++) {
            String other = relations[i];
            // By name, in any order and case, as dbt's check_relations_equal compares them.
            assertEquals(lowerSorted(cols), lowerSorted(columns(p, other)), "columns of " + first + " and " + other);
            long diff = ((Number) p.scalar("select count(*) from ((select " + list + " from " + qualified(first) + " except all select "
                    + list + " from " + qualified(other) + ") union all (select " + list + " from " + qualified(other)
                    + " except all select " + list + " from " + qualified(first) + ")) d")).longValue();
            assertEquals(0L, diff, first + " and " + other + " differ");
        }
    }

    private static List<String> lowerSorted(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).sorted().toList();
    }

    /** A relation name, in the target schema unless it names its schema (schema.name). */
    static String qualified(String relation) {
        return relation.contains(".") ? relation : S + "." + relation;
    }

    static List<String> columns(CliHarness p, String relation) {
        List<String> out = new ArrayList<>();
        String[] parts = qualified(relation).split("\\.");
        for (Map<String, Object> r : p.query("select column_name from information_schema.columns where table_schema = '" + parts[0] + "'"
                + " and table_name = '" + parts[1] + "' order by ordinal_position")) {
            out.add(r.get("column_name").toString());
        }
        return out;
    }

    static void execute(CliHarness p, String sql) {
        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
