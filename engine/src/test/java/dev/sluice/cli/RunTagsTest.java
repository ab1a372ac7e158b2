package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 004's run tags: --tag key=value labels a run in run_results.json, the log and the docs site. */
class RunTagsTest extends ProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tagsAreRecordedInRunResultsTheLogAndTheDocsSite() throws Exception {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("build", "--tag", "run_type=test", "--tag", "version=1.0.0", "--tag", "note=a=b");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Run tags: run_type=test, version=1.0.0, note=a=b"), r.out());

        JsonNode results = JSON.readTree(p.read("target/run_results.json"));
        JsonNode tags = results.path("args").path("tags");
        assertEquals("test", tags.path("run_type").asText());
        assertEquals("1.0.0", tags.path("version").asText());
        assertEquals("a=b", tags.path("note").asText(), "only the first = splits key from value");
        assertEquals(3, tags.size());

        String log = Files.readString(p.dir.resolve("logs/engine.log"));
        assertTrue(log.contains("Run tags: run_type=test, version=1.0.0, note=a=b"), log);

        assertEquals(0, p.run("docs", "generate").exitCode());
        String site = p.read("target/docs/data.js");
        assertTrue(site.contains("\"tags\":{\"run_type\":\"test\",\"version\":\"1.0.0\",\"note\":\"a=b\"}"),
                "the docs site data carries the tags");

        // A run without tags records an empty mapping, so readers need no special case; JSON log lines carry them.
        r = p.run("run", "--log-format", "json", "--tag", "env=ci");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("\"name\":\"RunTags\"") && l.contains("\"env\":\"ci\"")), r.out());
        assertEquals(0, p.run("run").exitCode());
        assertEquals(0, JSON.readTree(p.read("target/run_results.json")).path("args").path("tags").size());
    }

    @Test
    void aMalformedOrRepeatedTagIsAUsageErrorBeforeAnythingRuns() {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("build", "--tag", "run_type");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("--tag 'run_type' must be key=value"), r.all());
        r = p.run("build", "--tag", "v=1", "--tag", "v=2");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("--tag v is given twice"), r.all());
        assertFalse(Files.exists(p.dir.resolve("target/run_results.json")), "nothing ran");
    }
}
