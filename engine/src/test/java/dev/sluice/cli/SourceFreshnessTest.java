package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * engine source freshness on a project whose raw.events table was loaded at known times: naive timestamps (read
 * as UTC) and zoned ones written in other offsets; each result in sources.json is checked against the times the
 * test inserted and the clock around the run.
 */
class SourceFreshnessTest extends ProjectTest {
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    /** When the rows of kind a and b were loaded. */
    private Instant loadedA;
    private Instant loadedB;

    private static final String SOURCES = """
            version: 2
            sources:
              - name: raw
                schema: raw
                loaded_at_field: loaded_at
                config:
                  freshness:
                    warn_after: {count: 1, period: hour}
                    error_after: {count: 1, period: day}
                tables:
                  - name: fresh
                    identifier: events
                  - name: stale_b
                    identifier: events
                    freshness:
                      filter: "kind = 'b'"
                  - name: tz_late
                    identifier: events
                    config:
                      loaded_at_field: loaded_tz
                      freshness:
                        error_after: {count: 10, period: minute}
                  - name: tz_ok
                    identifier: events
                    loaded_at_field: loaded_tz
                  - name: unchecked
                    identifier: events
                    freshness: null
                  - name: missing
                    identifier: no_such_table
            """;

    private CliHarness project() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/sources.yml", SOURCES);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        loadedA = now.minus(Duration.ofMinutes(30));
        loadedB = now.minus(Duration.ofHours(5));
        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            st.execute("create schema raw");
            st.execute("create table raw.events (id integer, kind varchar(5), loaded_at timestamp, loaded_tz timestamptz)");
            // The same instants, written naive in UTC and zoned in +05:00 and -03:00.
            st.execute("insert into raw.events values "
                    + "(1, 'a', " + naive(loadedA) + ", " + zoned(loadedA, "+05:00") + "), "
                    + "(2, 'b', " + naive(loadedB) + ", " + zoned(loadedB, "-03:00") + "), "
                    + "(3, 'b', " + naive(loadedB.minus(Duration.ofDays(3))) + ", null)");
        }
        return p;
    }

    private static String naive(Instant t) {
        return "cast('" + NAIVE.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)) + "' as timestamp)";
    }

    private static String zoned(Instant t, String offset) {
        return "cast('" + ZONED.format(t.atOffset(ZoneOffset.of(offset))) + "' as timestamptz)";
    }

    private static Map<String, JsonNode> results(Path file) throws Exception {
        JsonNode doc = new ObjectMapper().readTree(Files.readString(file));
        assertEquals("https://schemas.getdbt.com/dbt/sources/v3.json", doc.get("metadata").get("dbt_schema_version").asText());
        assertFalse(doc.get("metadata").get("invocation_id").asText().isEmpty());
        assertTrue(doc.get("elapsed_time").asDouble() >= 0);
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode r : doc.get("results")) out.put(r.get("unique_id").asText(), r);
        return out;
    }

    /** A result whose max_loaded_at is the inserted instant and whose age is snapshotted_at minus it, taken within the run. */
    private static void checkAge(JsonNode r, Instant expectedMax, Instant before, Instant after) {
        Instant max = Instant.parse(r.get("max_loaded_at").asText());
        Instant snap = Instant.parse(r.get("snapshotted_at").asText());
        assertEquals(expectedMax, max, r.toString());
        // The warehouse's clock read during the run (1 s of slack for clock granularity).
        assertFalse(snap.isBefore(before.minusSeconds(1)), r.toString());
        assertFalse(snap.isAfter(after.plusSeconds(1)), r.toString());
        double age = Duration.between(max, snap).toNanos() / 1e9;
        assertEquals(age, r.get("max_loaded_at_time_ago_in_s").asDouble(), 0.001, r.toString());
        assertTrue(r.get("execution_time").asDouble() >= 0);
        assertTrue(r.get("thread_id").asText().startsWith("Thread-"));
        assertEquals(List.of("compile", "execute"), r.get("timing").findValuesAsText("name"));
    }

    @Test
    void classifiesPassWarnErrorAndRuntimeErrorAndWritesSourcesJson() throws Exception {
        CliHarness p = project();
        Instant before = Instant.now();
        CliHarness.Result r = p.run("source", "freshness");
        Instant after = Instant.now();
        assertEquals(1, r.exitCode(), r.all());
        String out = r.out();
        assertTrue(out.lines().anyMatch(l -> l.matches(".*\\d+ of 5 PASS freshness of raw\\.fresh \\.+ \\[PASS in \\d+\\.\\d\\ds]")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(".*\\d+ of 5 WARN freshness of raw\\.stale_b \\.+ \\[WARN in .*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(".*\\d+ of 5 ERROR STALE freshness of raw\\.tz_late \\.+ \\[ERROR STALE in .*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(".*\\d+ of 5 ERROR freshness of raw\\.missing \\.+ \\[ERROR in .*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(".*\\d+ of 5 PASS freshness of raw\\.tz_ok .*")), out);
        assertFalse(out.contains("unchecked"), out);
        assertTrue(out.contains("Done. PASS=2 WARN=1 ERROR=2 TOTAL=5"), out);

        Map<String, JsonNode> res = results(p.dir.resolve("target/sources.json"));
        assertEquals(5, res.size(), res.toString());
        JsonNode fresh = res.get("source.shop.raw.fresh");
        assertEquals("pass", fresh.get("status").asText());
        checkAge(fresh, loadedA, before, after);
        // Source-level criteria, inherited.
        assertEquals(1, fresh.get("criteria").get("warn_after").get("count").asInt());
        assertEquals("hour", fresh.get("criteria").get("warn_after").get("period").asText());
        assertEquals("day", fresh.get("criteria").get("error_after").get("period").asText());
        assertTrue(fresh.get("criteria").get("filter").isNull());

        // The filter leaves only kind b: its latest load is 5 hours ago, past warn_after (1 hour), within error_after.
        JsonNode staleB = res.get("source.shop.raw.stale_b");
        assertEquals("warn", staleB.get("status").asText());
        checkAge(staleB, loadedB, before, after);
        assertEquals("kind = 'b'", staleB.get("criteria").get("filter").asText());
        assertTrue(staleB.get("max_loaded_at_time_ago_in_s").asDouble() > 5 * 3600 - 5);

        // Zoned values written in +05:00: the same instant in UTC; error_after 10 minutes from the table's config:,
        // warn_after still the source's.
        JsonNode tzLate = res.get("source.shop.raw.tz_late");
        assertEquals("error", tzLate.get("status").asText());
        checkAge(tzLate, loadedA, before, after);
        assertEquals(10, tzLate.get("criteria").get("error_after").get("count").asInt());
        assertEquals("minute", tzLate.get("criteria").get("error_after").get("period").asText());
        assertEquals(1, tzLate.get("criteria").get("warn_after").get("count").asInt());
        JsonNode tzOk = res.get("source.shop.raw.tz_ok");
        assertEquals("pass", tzOk.get("status").asText());
        checkAge(tzOk, loadedA, before, after);
        // The age is the same whichever column, naive or zoned, holds the instant.
        assertEquals(fresh.get("max_loaded_at").asText(), tzOk.get("max_loaded_at").asText());

        JsonNode missing = res.get("source.shop.raw.missing");
        assertEquals("runtime error", missing.get("status").asText());
        assertTrue(missing.get("error").asText().toLowerCase().contains("no_such_table"), missing.toString());
        assertNull(res.get("source.shop.raw.unchecked"));
    }

    @Test
    void selectionOutputAndWarningsOnlyExitZero() throws Exception {
        CliHarness p = project();
        Path elsewhere = tmp.resolve("out/fresh.json");
        CliHarness.Result r = p.run("source", "freshness", "-s", "source:raw.fresh", "source:raw.stale_b", "-o", elsewhere.toString());
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("1 of 2 ") && r.out().contains("2 of 2 "), r.out());
        assertTrue(r.out().contains("Done. PASS=1 WARN=1 ERROR=0 TOTAL=2"), r.out());
        Map<String, JsonNode> res = results(elsewhere);
        assertEquals(java.util.Set.of("source.shop.raw.fresh", "source.shop.raw.stale_b"), res.keySet());
        assertFalse(Files.exists(p.dir.resolve("target/sources.json")));

        // --output as dbt spells it, and a source with freshness: null selected on its own is nothing to do.
        r = p.run("source", "freshness", "--select", "source:raw.unchecked", "--output", elsewhere.toString());
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Nothing to do"), r.out());
        assertEquals(Map.of(), results(elsewhere));
    }

    @Test
    void freshnessWithoutLoadedAtFieldIsAWarningAndARuntimeError() throws Exception {
        CliHarness p = project();
        p.write("models/sources.yml", """
                version: 2
                sources:
                  - name: raw
                    schema: raw
                    freshness:
                      warn_after: {count: 1, period: hour}
                    tables:
                      - name: events
                      - name: only_field
                        identifier: events
                        loaded_at_field: loaded_at
                        freshness: null
                """);
        CliHarness.Result r = p.run("source", "freshness");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("[WARNING]: This engine does not support metadata-based freshness. A loaded_at_field "
                + "must be specified for source 'raw.events'"), r.out());
        assertTrue(r.out().contains("1 of 1 ERROR freshness of raw.events"), r.out());
        JsonNode res = results(p.dir.resolve("target/sources.json")).get("source.shop.raw.events");
        assertEquals("runtime error", res.get("status").asText());
        assertTrue(res.get("error").asText().contains("loaded_at_field"), res.toString());
    }

    @Test
    void badPeriodOrCountIsExitTwoNamingFileAndLine() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/sources.yml", """
                version: 2
                sources:
                  - name: raw
                    loaded_at_field: loaded_at
                    tables:
                      - name: events
                        freshness:
                          warn_after: {count: 1, period: hours}
                """);
        CliHarness.Result r = p.run("source", "freshness");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("sources.yml:8"), r.err());
        assertTrue(r.err().contains("period must be minute, hour or day, got 'hours'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        p.write("models/sources.yml", """
                version: 2
                sources:
                  - name: raw
                    loaded_at_field: loaded_at
                    config:
                      freshness:
                        error_after:
                          count: twelve
                          period: hour
                    tables:
                      - name: events
                """);
        r = p.run("source", "freshness");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("sources.yml:8") && r.err().contains("count must be a whole number, got 'twelve'"), r.err());

        // A threshold without its period, after merging source and table.
        p.write("models/sources.yml", """
                version: 2
                sources:
                  - name: raw
                    loaded_at_field: loaded_at
                    tables:
                      - name: events
                        freshness:
                          warn_after: {count: 3}
                """);
        r = p.run("source", "freshness");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("sources.yml:8") && r.err().contains("warn_after needs both count and period"), r.err());
        // Nothing was written for a project that does not load.
        assertFalse(Files.exists(p.dir.resolve("target/sources.json")));
    }

    @Test
    void sourceStatusFresherComparesWithTheStatesSourcesJson() throws Exception {
        CliHarness p = project();
        p.write("models/latest_events.sql", "select max(loaded_at) as latest from {{ source('raw', 'fresh') }}\n");
        List<String> checked = List.of("-s", "source:raw.fresh", "source:raw.stale_b", "source:raw.tz_ok");
        List<String> args = new java.util.ArrayList<>(List.of("source", "freshness"));
        args.addAll(checked);
        assertEquals(0, p.run(args.toArray(String[]::new)).exitCode());
        // The earlier run's artifacts: manifest.json and sources.json, as a CI job keeps them.
        Path prev = tmp.resolve("prev");
        Files.createDirectories(prev);
        for (String f : List.of("manifest.json", "sources.json")) {
            Files.copy(p.dir.resolve("target").resolve(f), prev.resolve(f));
        }
        // A new load of kind a: fresh (loaded_at) and tz_ok (loaded_tz) get a later max; stale_b (kind b) does not.
        Instant newer = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(60);
        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            st.execute("insert into raw.events values (4, 'a', " + naive(newer) + ", " + zoned(newer, "+01:00") + ")");
        }
        assertEquals(0, p.run(args.toArray(String[]::new)).exitCode());
        Map<String, JsonNode> now = results(p.dir.resolve("target/sources.json"));
        assertEquals(newer, Instant.parse(now.get("source.shop.raw.fresh").get("max_loaded_at").asText()));

        CliHarness.Result r = p.run("ls", "-s", "source_status:fresher", "--state", prev.toString(), "-o", "name");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(List.of("raw.fresh", "raw.tz_ok"), r.out().lines().filter(l -> l.startsWith("raw.")).sorted().toList(), r.out());
        // With + the models reading a fresher source come along, as in dbt build -s source_status:fresher+.
        r = p.run("ls", "-s", "source_status:fresher+", "--state", prev.toString(), "-o", "name", "--resource-type", "model");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("latest_events", r.out().strip(), r.out());

        r = p.run("ls", "-s", "source_status:stale", "--state", prev.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("source_status:stale") && r.err().contains("known: fresher"), r.err());
        r = p.run("ls", "-s", "source_status:fresher");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("needs --state"), r.err());
        Files.delete(prev.resolve("sources.json"));
        r = p.run("ls", "-s", "source_status:fresher", "--state", prev.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("has no sources.json"), r.err());
    }
}
