package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command answers --help and `engine help CMD`; every documented flag does what its help says. */
class HelpAndFlagsTest extends ProjectTest {

    /** Every command's path below `engine` (docs generate = [docs, generate]), walked from the CLI's model. */
    static List<List<String>> commandPaths() {
        List<List<String>> out = new ArrayList<>();
        walk(Main.commandLine(), new ArrayList<>(), out, new IdentityHashMap<>());
        return out;
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> out, Map<CommandLine, Boolean> seen) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (seen.put(sub, true) != null) continue;
            List<String> p = new ArrayList<>(path);
            p.add(sub.getCommandName());
            out.add(p);
            walk(sub, p, out, seen);
        }
    }

    /** Every option name of every command. */
    static Set<String> allFlags() {
        Set<String> names = new TreeSet<>();
        collect(Main.commandLine(), names);
        return names;
    }

    private static void collect(CommandLine cl, Set<String> names) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            names.addAll(List.of(o.names()));
            if (o.negatable()) {
                for (String n : o.names()) if (n.startsWith("--")) names.add("--no-" + n.substring(2));
            }
        }
        cl.getSubcommands().values().forEach(sub -> collect(sub, names));
    }

    private static CliHarness.Result engine(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliHarness.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandHasHelp() {
        List<List<String>> paths = commandPaths();
        assertTrue(paths.size() >= 14, paths.toString());
        for (List<String> path : paths) {
            String name = "engine " + String.join(" ", path);
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                CliHarness.Result r = engine(args.toArray(String[]::new));
                assertEquals(0, r.exitCode(), name + " " + flag + ": " + r.all());
                // picocli's own help command puts its description above the usage line.
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Usage: " + name)), name + ": " + r.out());
            }
            if (path.size() == 1 && !path.get(0).equals("help")) {
                CliHarness.Result r = engine("help", path.get(0));
                assertEquals(0, r.exitCode(), "help " + name + ": " + r.all());
                assertTrue(r.out().startsWith("Usage: " + name), r.out());
            }
        }
        CliHarness.Result top = engine("--help");
        assertEquals(0, top.exitCode());
        for (List<String> path : paths) {
            if (path.size() == 1) assertTrue(top.out().contains("  " + path.get(0)), "listed in engine --help: " + path);
        }
        // The command line is built with only the commands an invocation names, but the root's usage lists all.
        CliHarness.Result topBeforeCommand = engine("--help", "run");
        assertEquals(0, topBeforeCommand.exitCode());
        assertTrue(topBeforeCommand.out().startsWith("Usage: engine ") && topBeforeCommand.out().contains("  ls"), topBeforeCommand.out());
        CliHarness.Result version = engine("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().matches("engine \\S+ \\(commit [0-9a-f]{7,}.*\\)\\s*|engine \\S+ \\(commit unknown\\)\\s*"), version.out());
    }

    @Test
    void readmeDocumentsEveryCommandAndFlag() throws IOException {
        Path readme = Path.of("../README.md");
        if (!Files.exists(readme)) readme = Path.of("README.md");
        String text = Files.readString(readme);
        for (List<String> path : commandPaths()) {
            assertTrue(text.contains(path.get(path.size() - 1)), "README names command " + path);
        }
        for (String flag : allFlags()) {
            assertTrue(java.util.regex.Pattern.compile("(?<![\\w-])" + java.util.regex.Pattern.quote(flag) + "(?![\\w-])").matcher(text).find(),
                    "README documents " + flag);
        }
    }

    /** One case per flag: the arguments, the exit code, and what one line of the output (or a check) shows. */
    private record Case(List<String> flags, List<String> args, int exit, Predicate<CliHarness.Result> check, String expect) {
    }

    @Test
    void everyDocumentedFlagWorks() throws IOException {
        CliHarness p = copy("shop");
        p.write("models/printing.sql", "{{ print('hello from print') }}\nselect 1 as one\n");
        p.write("macros/greet.sql", "{% macro greet(who) %}{{ log('hello ' ~ who, info=True) }}{% endmacro %}\n");
        p.write("selectors.yml", "selectors:\n  - name: marts\n    definition: {method: tag, value: marts}\n");
        Path logs = tmp.resolve("other-logs");
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(List.of("-h", "--help"), List.of("ls", "--help"), 0, r -> r.out().startsWith("Usage: engine ls"), "usage"));
        cases.add(new Case(List.of("-V", "--version"), List.of("ls", "-V"), 0, r -> r.out().startsWith("engine "), "version"));
        cases.add(new Case(List.of("--project-dir", "--profiles-dir", "-t", "--target"), List.of("ls", "-t", "dev", "-s", "customers", "--resource-type", "model"), 0,
                r -> r.out().contains("shop.marts.customers"), "customers listed"));
        cases.add(new Case(List.of("-s", "--select", "-o", "--output", "--resource-type"),
                List.of("ls", "--select", "customers", "--output", "name", "--resource-type", "model"), 0, r -> r.out().strip().equals("customers"), "customers"));
        cases.add(new Case(List.of("-m", "--models", "--exclude"), List.of("ls", "-m", "staging", "--exclude", "stg_orders", "stg_payments", "-o", "name", "--resource-type", "model"), 0,
                r -> r.out().strip().equals("stg_customers"), "stg_customers"));
        cases.add(new Case(List.of("--resource-types"), List.of("ls", "--resource-types", "seed", "model", "-s", "raw_orders", "stg_orders", "-o", "name"), 0,
                r -> r.out().lines().sorted().toList().equals(List.of("raw_orders", "stg_orders")), "seed and model"));
        cases.add(new Case(List.of("--output-keys"), List.of("ls", "-s", "customers", "--resource-type", "model", "-o", "json", "--output-keys", "name,resource_type"), 0,
                r -> r.out().strip().equals("{\"resource_type\":\"model\",\"name\":\"customers\"}"), "json with two keys"));
        cases.add(new Case(List.of("--vars"), List.of("ls", "--vars", "{valid_statuses: [placed]}", "-s", "customers", "--resource-type", "model"), 0,
                r -> r.out().contains("customers"), "customers"));
        cases.add(new Case(List.of("--indirect-selection"), List.of("ls", "-s", "customers", "--indirect-selection", "empty", "-o", "name"), 0,
                r -> r.out().strip().equals("customers"), "no tests with empty"));
        cases.add(new Case(List.of("--warn-error"), List.of("ls", "--warn-error", "-s", "nothere"), 2,
                r -> r.err().contains("does not match any enabled nodes"), "warning as error"));
        cases.add(new Case(List.of("--warn-error-options"), List.of("ls", "--warn-error-options", "{error: all, warn: [NoNodesForSelectionCriteria]}", "-s", "nothere"), 0,
                r -> r.out().contains("[WARNING]: The selection criterion 'nothere'"), "still a warning"));
        cases.add(new Case(List.of("--log-format"), List.of("ls", "--log-format", "json", "-s", "nothere"), 0,
                r -> r.out().contains("\"name\":\"NoNodesForSelectionCriteria\""), "json event"));
        cases.add(new Case(List.of("--log-path", "--log-format-file"), List.of("ls", "--log-path", logs.toString(), "--log-format-file", "json", "-s", "customers"), 0,
                r -> firstLine(logs.resolve("engine.log")).startsWith("{\"info\":"), "json log file"));
        cases.add(new Case(List.of("--log-level"), List.of("ls", "--log-level", "error", "-s", "nothere"), 0,
                r -> r.out().isEmpty(), "no warning shown"));
        cases.add(new Case(List.of("-d", "--debug"), List.of("ls", "--debug", "-s", "customers"), 0,
                r -> r.out().contains("running engine"), "debug lines"));
        Path warnLogs = tmp.resolve("warn-logs");
        cases.add(new Case(List.of("--log-level-file"), List.of("ls", "--log-path", warnLogs.toString(), "--log-level-file", "warn", "-s", "nothere"), 0,
                r -> read(warnLogs.resolve("engine.log")).contains("[warn]") && !read(warnLogs.resolve("engine.log")).contains("[debug]"), "warn only in file"));
        cases.add(new Case(List.of("-q", "--quiet"), List.of("seed", "--quiet"), 0,
                r -> r.out().lines().noneMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d .*")), "no progress lines (print() output stays, as in dbt)"));
        cases.add(new Case(List.of("--use-colors"), List.of("ls", "--use-colors", "-s", "nothere"), 0, r -> r.out().contains("\u001B[33m"), "yellow warning"));
        cases.add(new Case(List.of("--no-use-colors"), List.of("ls", "--no-use-colors", "-s", "nothere"), 0, r -> !r.out().contains("\u001B["), "no colour"));
        cases.add(new Case(List.of("--target-path"), List.of("compile", "--target-path", "elsewhere", "-s", "customers"), 0,
                r -> Files.exists(p.dir.resolve("elsewhere/manifest.json")) && r.out().contains("Compiled"), "manifest elsewhere"));
        cases.add(new Case(List.of("--state"), List.of("ls", "--state", "elsewhere", "-s", "state:unmodified,customers"), 0,
                r -> r.out().lines().anyMatch(l -> l.endsWith(".customers")), "customers unchanged since the elsewhere run"));
        cases.add(new Case(List.of("--defer", "--favor-state"), List.of("compile", "--state", "elsewhere", "--defer", "--favor-state", "-s", "customers"), 0,
                r -> r.out().contains("Compiled node 'customers' is:"), "compiled against the state"));
        cases.add(new Case(List.of("--inline"), List.of("compile", "--inline", "select * from {{ ref('customers') }}"), 0,
                r -> r.out().contains("Compiled node 'inline' is:") && r.out().contains("\"customers\""), "inline SQL printed"));
        cases.add(new Case(List.of("--limit"), List.of("show", "--inline", "select 1 as a union all select 2", "--limit", "1"), 0,
                r -> r.out().contains("Previewing node 'inline':") && r.out().lines().filter(l -> l.startsWith("| ")).count() == 2, "one row under the header"));
        cases.add(new Case(List.of("--threads", "--full-refresh"), List.of("seed", "--threads", "1", "--full-refresh"), 0,
                r -> r.out().contains("Concurrency: 1 threads"), "one thread"));
        cases.add(new Case(List.of("-x", "--fail-fast", "--store-failures"), List.of("test", "-x", "--store-failures", "-s", "stg_customers"), 1,
                r -> r.out().contains("skipped") || r.out().contains("SKIP") || r.out().contains("ERROR"), "stops at first failure"));
        cases.add(new Case(List.of("--empty"), List.of("run", "--empty", "-s", "stg_customers"), 0,
                r -> r.out().contains("Completed successfully"), "schema-only build"));
        cases.add(new Case(List.of("--no-skip-unchanged"), List.of("run", "--no-skip-unchanged", "-s", "stg_customers"), 0,
                r -> r.out().contains("OK created sql view model main.stg_customers"), "rebuilt although unchanged"));
        cases.add(new Case(List.of("--skip-unchanged"), List.of("run", "--skip-unchanged", "-s", "stg_customers"), 0,
                r -> r.out().contains("SKIP (unchanged) sql view model main.stg_customers"), "not rebuilt"));
        cases.add(new Case(List.of("--print"), List.of("run", "--print", "-s", "printing"), 0,
                r -> r.out().lines().anyMatch(l -> l.equals("hello from print")), "print() output"));
        cases.add(new Case(List.of("--no-print"), List.of("run", "--no-print", "-s", "printing"), 0,
                r -> !r.out().contains("hello from print") && r.out().contains("Completed successfully"), "no print() output"));
        cases.add(new Case(List.of("--partial-parse"), List.of("ls", "--partial-parse", "--debug", "-s", "customers"), 0,
                r -> r.out().contains("Partial parse: reused the cached parse of"), "parse cache used"));
        cases.add(new Case(List.of("--no-partial-parse"), List.of("ls", "--no-partial-parse", "--debug", "-s", "customers"), 0,
                r -> !r.out().contains("Partial parse:") && !Files.exists(p.dir.resolve("target/partial_parse.json")), "no parse cache"));
        cases.add(new Case(List.of("--event-time-start", "--event-time-end"), List.of("run", "-s", "stg_customers",
                "--event-time-start", "2020-01-02", "--event-time-end", "2020-01-01"), 2,
                r -> r.all().contains("must be before --event-time-end"), "start after end refused"));
        cases.add(new Case(List.of("--tag"), List.of("seed", "--tag", "run_type=test"), 0,
                r -> r.out().contains("Run tags: run_type=test"), "tags printed"));
        cases.add(new Case(List.of("--show"), List.of("seed", "--show", "--no-skip-unchanged"), 0,
                r -> r.out().contains("Random sample of table: main.") && r.out().contains("|--"), "rows printed"));
        cases.add(new Case(List.of("--lock-timeout"), List.of("seed", "--lock-timeout", "5"), 0, r -> r.out().contains("Completed successfully"), "seeded"));
        p.write("models/fresh_sources.yml", "version: 2\nsources:\n  - name: shop_raw\n    schema: main\n"
                + "    loaded_at_field: cast(order_date as timestamp)\n    freshness: {warn_after: {count: 1, period: hour}}\n"
                + "    tables:\n      - name: raw_orders\n");
        Path sourcesJson = tmp.resolve("fresh/sources.json");
        cases.add(new Case(List.of("-o", "--output", "--threads"), List.of("source", "freshness", "-s", "source:shop_raw.raw_orders",
                "--threads", "1", "--output", sourcesJson.toString()), 0,
                r -> r.out().contains("1 of 1 WARN freshness of shop_raw.raw_orders") && Files.exists(sourcesJson), "stale orders only warn"));
        p.write("jobs.yml", "jobs:\n  - name: adhoc\n    command: run\n    select: [stg_customers]\n"
                + "    trigger: {source: shop_raw.raw_orders}\n");
        cases.add(new Case(List.of("--force"), List.of("job", "run", "adhoc", "--force"), 0,
                r -> r.out().contains("job adhoc succeeded"), "the job ran"));
        cases.add(new Case(List.of("--host", "--show-pii", "--no-schedule"), List.of("serve", "--host", "0.0.0.0", "--show-pii", "--no-schedule"), 2,
                r -> r.err().contains("needs SLUICE_SERVE_TOKEN"), "refused: no credentials for a public address"));
        // diff: a second output naming the same warehouse, so the seeded table is compared with itself.
        String profile = p.read("profiles.yml");
        p.write("profiles.yml", profile + "    prod:\n" + profile.substring(profile.indexOf("    dev:\n") + 9));
        cases.add(new Case(List.of("--against", "--key"), List.of("diff", "-s", "raw_orders", "--against", "prod", "--key", "id"), 0,
                r -> r.out().contains("key id") && r.out().contains("Identical."), "identical on key id"));
        cases.add(new Case(List.of("--against-state"), List.of("diff", "-s", "raw_orders", "--against-state", p.dir.resolve("elsewhere").toString(), "--key", "id"), 2,
                r -> r.err().contains("the relation of the current target itself"), "the state's relation is the current one"));
        cases.add(new Case(List.of("--args"), List.of("run-operation", "greet", "--args", "{who: ops}"), 0,
                r -> r.out().contains("hello ops"), "the macro's log line"));
        cases.add(new Case(List.of("--upgrade"), List.of("deps", "--upgrade"), 0, r -> r.out().contains("No packages to install"), "nothing to install"));
        cases.add(new Case(List.of("--no-compile"), List.of("docs", "generate", "--no-compile"), 0,
                r -> r.out().contains("Documentation of"), "docs from last manifest"));
        cases.add(new Case(List.of("--empty-catalog"), List.of("docs", "generate", "--empty-catalog"), 0,
                r -> r.out().contains("Catalog of 0 nodes and 0 sources"), "a catalog without warehouse queries"));
        cases.add(new Case(List.of("--customers", "--months", "--seed", "--end-date", "--schema"),
                List.of("generate", "retail", "--customers", "20", "--months", "1", "--seed", "7", "--end-date", "2025-01-31", "--schema", "raw"), 0,
                r -> r.out().contains("customers into raw.raw_customers"), "customers loaded"));
        cases.add(new Case(List.of("--selector"), List.of("ls", "--selector", "marts", "-o", "name", "--resource-type", "model"), 0,
                r -> r.out().lines().sorted().toList().equals(List.of("customers", "orders")), "the marts models"));
        cases.add(new Case(List.of("--skip-profile-setup"), List.of("init", "starter", "--skip-profile-setup"), 0,
                r -> r.out().contains("Created project starter") && !r.out().contains("Profile "), "project without profile"));
        cases.add(new Case(List.of("--profile"), List.of("init", "reuses", "--profile", "shop"), 0,
                r -> r.out().contains("Created project reuses") && p.read("reuses/dbt_project.yml").contains("profile: 'shop'"), "uses profile shop"));
        cases.add(new Case(List.of("--adapter", "--path"), List.of("init", "ducky", "--adapter", "duckdb", "--path", "ducky.duckdb"), 0,
                r -> p.read("profiles.yml").contains("path: \"ducky.duckdb\""), "duckdb profile written"));
        cases.add(new Case(List.of("--host", "--user", "--password", "--dbname"), List.of("init", "pg", "--adapter", "postgres",
                "--host", "db.example.com", "--port", "6543", "--user", "ana", "--password", "pw", "--dbname", "analytics", "--schema", "dbt_ana"), 0,
                r -> r.out().contains("Profile pg (postgres, target dev) written") && p.read("profiles.yml").contains("host: \"db.example.com\""), "postgres profile written"));
        Path noJar = tmp.resolve("no-such-plugin.jar");
        cases.add(new Case(List.of("--file", "--sha256", "--plugin-dir"), List.of("plugins", "install", "snowflake", "--file", noJar.toString(),
                "--sha256", "00", "--plugin-dir", tmp.resolve("plugins").toString()), 2,
                r -> r.err().contains("no plugin jar at " + noJar), "missing jar named"));
        cases.add(new Case(List.of("--repository"), List.of("plugins", "install", "snowflake", "--repository", tmp.resolve("no-repo").toUri().toString(),
                "--plugin-dir", tmp.resolve("plugins").toString()), 2,
                r -> r.err().contains("no plugin sluice-snowflake "), "nothing in that repository"));
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            cases.add(new Case(List.of("--port"), List.of("docs", "serve", "--port", String.valueOf(busy.getLocalPort())), 2,
                    r -> r.err().strip().lines().count() == 1 && r.err().contains("--port") && !r.all().contains("Exception"), "one line naming --port"));
            Set<String> covered = new TreeSet<>();
            for (Case c : cases) {
                CliHarness.Result r = p.run(c.args().toArray(String[]::new));
                String what = String.join(" ", c.args()) + " -> " + r.all();
                assertEquals(c.exit(), r.exitCode(), what);
                assertTrue(c.check().test(r), c.expect() + ": " + what);
                covered.addAll(c.flags());
            }
            Set<String> missing = new TreeSet<>(allFlags());
            missing.removeAll(covered);
            assertEquals(Set.of(), missing, "flags without a case");
        }
    }

    @Test
    void environmentVariablesSetFlags() {
        CliHarness p = copy("shop");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DBT_LOG_FORMAT", "json");
        env.put("ENGINE_WARN_ERROR", "false");
        env.put("DBT_PROFILES_DIR", p.dir.toString());
        CliHarness.Result r = run(env, "ls", "--project-dir", p.dir.toString(), "-s", "nothere");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().startsWith("{\"info\":"), r.out());
        env.put("ENGINE_LOG_FORMAT", "text");
        env.put("DBT_WARN_ERROR", "1");
        env.remove("ENGINE_WARN_ERROR");
        r = run(env, "ls", "--project-dir", p.dir.toString(), "-s", "nothere");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("does not match"), r.all());
        env.put("DBT_TARGET", "prod");
        env.remove("DBT_WARN_ERROR");
        r = run(env, "ls", "--project-dir", p.dir.toString(), "-s", "customers");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("target 'prod'"), r.all());
    }

    @Test
    void jsonLogOfABuildHasEveryNodesStartAndEnd() throws IOException {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("build", "--log-format", "json");
        assertEquals(0, r.exitCode(), r.all());
        ObjectMapper json = new ObjectMapper();
        Set<String> consoleStarted = new TreeSet<>();
        for (String line : r.out().lines().toList()) {
            JsonNode e = json.readTree(line);
            assertTrue(e.path("info").path("invocation_id").isTextual(), line);
            if (e.path("info").path("name").asText().equals("LogStartLine")) {
                consoleStarted.add(e.path("data").path("node_info").path("unique_id").asText());
            }
        }
        Set<String> started = new TreeSet<>();
        Set<String> finished = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        String invocation = null;
        for (String line : Files.readAllLines(p.dir.resolve("logs/engine.log"))) {
            JsonNode e = json.readTree(line);
            String name = e.path("info").path("name").asText();
            names.add(name);
            assertTrue(e.path("info").has("ts") && e.path("info").has("level") && e.path("info").has("msg"), line);
            if (invocation == null) invocation = e.path("info").path("invocation_id").asText();
            assertEquals(invocation, e.path("info").path("invocation_id").asText(), line);
            if (name.equals("NodeStart")) started.add(e.path("data").path("node_info").path("unique_id").asText());
            if (name.equals("NodeFinished")) {
                finished.add(e.path("data").path("node_info").path("unique_id").asText());
                assertEquals("success", e.path("data").path("run_result").path("status").asText().replace("pass", "success"), line);
            }
        }
        JsonNode results = json.readTree(p.dir.resolve("target/run_results.json").toFile()).path("results");
        Set<String> ran = new TreeSet<>();
        results.forEach(n -> ran.add(n.path("unique_id").asText()));
        assertEquals(21, ran.size());
        assertEquals(ran, started);
        assertEquals(ran, finished);
        assertEquals(ran, consoleStarted);
        assertTrue(names.containsAll(List.of("MainReportVersion", "LogStartLine", "LogModelResult", "LogTestResult",
                "LogSeedResult", "SQLQuery", "CommandCompleted", "StatsLine")), names.toString());
    }

    @Test
    void logFileHasStatementsWithSecretsMasked() {
        CliHarness p = copy("shop");
        p.write("models/staging/stg_customers.sql", "-- token s3cr3t-t0ken\n" + p.read("models/staging/stg_customers.sql"));
        p.write("profiles.yml", "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: warehouse.duckdb\n"
                + "      schema: main\n      password: s3cr3t-t0ken\n");
        CliHarness.Result r = p.run("build", "-s", "+stg_customers");
        assertEquals(0, r.exitCode(), r.all());
        String log = read(p.dir.resolve("logs/engine.log"));
        assertTrue(log.contains("SQLQuery") || log.contains("On duckdb: "), "statements are logged");
        assertTrue(log.contains("-- token *****"), "secret masked by value");
        assertFalse(log.contains("s3cr3t-t0ken"), "no secret in the log");
        // A failure's stack trace goes to the log only.
        p.write("models/staging/stg_customers.sql", "select * from {{ ref('nope') }}\n");
        r = p.run("build");
        assertEquals(2, r.exitCode(), r.all());
        assertFalse(r.all().contains("\tat "));
        assertTrue(read(p.dir.resolve("logs/engine.log")).contains("\tat "), "stack trace in the log file");
    }

    private static CliHarness.Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        return new CliHarness.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String firstLine(Path file) {
        return read(file).lines().findFirst().orElse("");
    }
}
