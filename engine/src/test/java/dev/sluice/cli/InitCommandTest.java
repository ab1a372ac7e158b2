package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** engine init: a starter project and its profile that build as they are, and refusals that change nothing. */
class InitCommandTest extends ProjectTest {

    private static CliHarness.Result engine(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
        return new CliHarness.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private CliHarness.Result init(String... args) {
        List<String> all = new ArrayList<>(List.of("init"));
        all.addAll(List.of(args));
        all.addAll(List.of("--project-dir", tmp.toString(), "--profiles-dir", tmp.resolve("profiles").toString()));
        return engine(all);
    }

    @Test
    void initThenBuildPasses() throws Exception {
        Path project = tmp.resolve("demo");
        warehouse().prepare(project);
        CliHarness.Result r = init(concat(List.of("demo"), warehouse().initFlags(project)));
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Created project demo"), r.out());
        String profiles = Files.readString(tmp.resolve("profiles/profiles.yml"));
        assertTrue(profiles.startsWith("demo:\n  target: dev\n"), profiles);
        assertTrue(Files.readString(project.resolve("dbt_project.yml")).contains("profile: 'demo'"));

        CliHarness.Result build = engine(List.of("build", "--project-dir", project.toString(),
                "--profiles-dir", tmp.resolve("profiles").toString()));
        assertEquals(0, build.exitCode(), build.all());
        // A seed, two models and five tests (four generic, one singular).
        assertTrue(build.out().contains("PASS=8") || build.out().contains("OK=3"), build.out());

        // The mart, recomputed from the seed's CSV.
        Map<String, Integer> expected = new TreeMap<>();
        for (String line : Files.readAllLines(project.resolve("seeds/countries.csv")).subList(1, 6)) {
            expected.merge(line.split(",")[2], 1, Integer::sum);
        }
        Map<String, Integer> actual = new TreeMap<>();
        try (Connection c = warehouse().connect(project); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select continent, country_count from main.continents")) {
            while (rs.next()) actual.put(rs.getString(1), rs.getInt(2));
        }
        assertEquals(expected, actual);
    }

    @Test
    void refusesAnExistingProjectFolderAndChangesNothing() throws IOException {
        assertEquals(0, init("demo", "--skip-profile-setup").exitCode());
        assertFalse(Files.exists(tmp.resolve("profiles/profiles.yml")), "no profile with --skip-profile-setup");
        Path model = tmp.resolve("demo/models/marts/continents.sql");
        Files.writeString(model, "select 1 as mine\n");
        CliHarness.Result again = init("demo");
        assertEquals(2, again.exitCode(), again.all());
        assertEquals(1, again.err().strip().lines().count(), again.err());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals("select 1 as mine\n", Files.readString(model));
        assertFalse(Files.exists(tmp.resolve("profiles/profiles.yml")), "a refused init writes no profile");
    }

    @Test
    void usesAnExistingProfileOrRefusesToOverwriteOne() throws IOException {
        Files.createDirectories(tmp.resolve("profiles"));
        String existing = "# my profiles\nshared:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: shared.duckdb\n";
        Files.writeString(tmp.resolve("profiles/profiles.yml"), existing);

        CliHarness.Result r = init("first", "--profile", "shared");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(Files.readString(tmp.resolve("first/dbt_project.yml")).contains("profile: 'shared'"));
        assertEquals(existing, Files.readString(tmp.resolve("profiles/profiles.yml")), "--profile writes no profile");

        r = init("second", "--profile", "missing");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("could not find profile named 'missing'"), r.err());
        assertFalse(Files.exists(tmp.resolve("second")), "nothing created");

        // A project named like an existing profile: refused before anything is written.
        r = init("shared");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("profile 'shared' already exists"), r.err());
        assertFalse(Files.exists(tmp.resolve("shared")));

        // A new profile is appended; the user's comments and profiles stay.
        r = init("third", "--adapter", "postgres", "--host", "db.example.com", "--port", "6543", "--user", "ana",
                "--dbname", "analytics", "--schema", "dbt_ana", "--threads", "8", "-t", "ci");
        assertEquals(0, r.exitCode(), r.all());
        String profiles = Files.readString(tmp.resolve("profiles/profiles.yml"));
        assertTrue(profiles.startsWith(existing), profiles);
        Map<?, ?> third = (Map<?, ?>) ((Map<?, ?>) new org.yaml.snakeyaml.Yaml().<Map<?, ?>>load(profiles).get("third"));
        assertEquals("ci", third.get("target"));
        Map<?, ?> ci = (Map<?, ?>) ((Map<?, ?>) third.get("outputs")).get("ci");
        assertEquals(Map.of("type", "postgres", "host", "db.example.com", "port", 6543, "user", "ana",
                "password", "{{ env_var('DBT_ENV_SECRET_PASSWORD') }}", "dbname", "analytics", "schema", "dbt_ana", "threads", 8), ci);
    }

    @Test
    void mistakesExitTwoWithOneLine() {
        for (List<String> args : List.<List<String>>of(List.of("demo", "--adapter", "oracle"), List.of("demo", "--host", "x"),
                List.of("9lives"), List.of(), List.of("demo", "--profile", "x", "--skip-profile-setup"),
                List.of("demo", "--vars", "{a: 1}"))) {
            CliHarness.Result r = init(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + ": " + r.all());
            assertEquals(1, r.err().strip().lines().count(), args + ": " + r.err());
            assertFalse(Files.exists(tmp.resolve("demo")), args + " created nothing");
        }
    }

    @Test
    void inAnExistingProjectSetsUpItsProfileOnly() throws IOException {
        assertEquals(0, init("demo", "--skip-profile-setup").exitCode());
        CliHarness.Result r = engine(List.of("init", "--project-dir", tmp.resolve("demo").toString(),
                "--profiles-dir", tmp.resolve("profiles").toString()));
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(Files.readString(tmp.resolve("profiles/profiles.yml")).startsWith("demo:\n"));
        assertFalse(Files.exists(tmp.resolve("demo/demo")));
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
