package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dbt-tests-adapter `utils/` cases that are not cross-database macros (those are CrossDatabaseMacrosTest, with
 * test_timestamps.py there too): test_source_freshness_custom_info.py, which calls the adapter's
 * calculate_freshness_from_custom_sql with valid and invalid SQL, here reached as a user reaches it, through a
 * source's loaded_at_query and `source freshness`.
 */
class AdapterUtilsTest extends AdapterSuite {

    private static Map<String, JsonNode> freshness(CliHarness p) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode r : json(p, "target/sources.json").path("results")) m.put(r.path("unique_id").asText(), r);
        return m;
    }

    @Test
    void freshnessFromCustomSql() {
        CliHarness p = project("fresh", files("models/sources.yml", """
                sources:
                  - name: feed
                    schema: "{{ target.schema }}"
                    freshness:
                      warn_after: {count: 1, period: hour}
                    tables:
                      - name: arrivals
                        loaded_at_query: "select max(arrived_at) from dbt_test.arrivals"
                      - name: broken
                        loaded_at_query: "Let us send some words that are not SQL at all"
                """));
        execute(p, "create schema if not exists " + S);
        execute(p, "create table " + S + ".arrivals (arrived_at timestamp)");
        execute(p, "insert into " + S + ".arrivals values (cast(current_timestamp at time zone 'utc' as timestamp) - interval '10 minutes'),"
                + " (cast('2001-01-01' as timestamp))");
        CliHarness.Result r = p.run("source", "freshness");
        assertEquals(1, r.exitCode(), r.all());
        Map<String, JsonNode> res = freshness(p);
        JsonNode ok = res.get("source.fresh.feed.arrivals");
        assertEquals("pass", ok.path("status").asText(), ok.toString());
        // The age is that of the newest row, ten minutes, as the query computed it.
        double age = ok.path("max_loaded_at_time_ago_in_s").asDouble();
        assertTrue(age > 500 && age < 1500, ok.toString());
        JsonNode bad = res.get("source.fresh.feed.broken");
        assertEquals("runtime error", bad.path("status").asText(), bad.toString());
        assertTrue(r.all().contains("broken"), r.all());
    }
}
