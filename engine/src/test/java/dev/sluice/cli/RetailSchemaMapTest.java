package dev.sluice.cli;

import dev.sluice.generate.RetailGenerator;
import dev.sluice.generate.RetailSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample's schema_map.yml maps the raw web sessions into bronze (brz_web_sessions, typed, with a derived
 * is_app and the batch id dropped) and a profile-ready prp_web_sessions. The mapped rows are compared with the
 * generator's own sessions, regenerated here in Java, not with the warehouse's raw table; a broken mapping
 * stops a run before any SQL, naming schema_map.yml and the line.
 */
class RetailSchemaMapTest extends ProjectTest {
    private static final int CUSTOMERS = 200, MONTHS = 6;

    private CliHarness retail() {
        return CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
    }

    @Test
    void webSessionsAreMappedThroughSchemaMap() {
        CliHarness p = retail();
        CliHarness.Result ls = p.run("ls", "--select", "tag:bronze", "--resource-type", "model");
        assertEquals(0, ls.exitCode(), ls.all());
        assertTrue(ls.out().contains("retail.schema_map.brz_web_sessions"), ls.out());
        assertTrue(ls.out().contains("retail.schema_map.prp_web_sessions"), ls.out());

        CliHarness.Result r = p.run("build", "--vars", "{customers: " + CUSTOMERS + ", months: " + MONTHS + "}");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(r.out().contains("schema_map.yml:"), "no mapping warning: " + r.out());

        // The generator's sessions, regenerated: id -> customer, date, platform, traffic source, pages, step.
        RetailGenerator gen = new RetailGenerator(new RetailSpec(CUSTOMERS, MONTHS, 42, LocalDate.parse("2025-06-30")));
        Map<Long, List<Object>> expected = new HashMap<>();
        for (Iterator<List<Object>> it = gen.sessions(0, CUSTOMERS); it.hasNext(); ) {
            List<Object> s = it.next();
            expected.put(((Number) s.get(0)).longValue(), s);
        }
        List<Map<String, Object>> rows = p.query("select * from main_bronze.brz_web_sessions");
        assertEquals(expected.size(), rows.size());
        assertEquals(List.of("session_id", "customer_id", "session_date", "platform", "traffic_source", "page_views",
                "funnel_step", "is_app"), List.copyOf(rows.get(0).keySet()), "mapped columns, batch_id dropped");
        long app = 0;
        for (Map<String, Object> row : rows) {
            List<Object> want = expected.get(((Number) row.get("session_id")).longValue());
            assertEquals(((Number) want.get(1)).longValue(), ((Number) row.get("customer_id")).longValue());
            assertEquals(want.get(2).toString(), row.get("session_date").toString());
            assertEquals(want.get(3), row.get("platform"));
            assertEquals(((Number) want.get(5)).longValue(), ((Number) row.get("page_views")).longValue());
            assertEquals(want.get(6), row.get("funnel_step"));
            assertEquals("app".equals(want.get(3)), row.get("is_app"), "derived is_app of " + row);
            if ("app".equals(want.get(3))) app++;
        }
        assertTrue(app > 0 && app < rows.size(), "both platforms occur: " + app);
        assertEquals("BIGINT", p.dataType("brz_web_sessions", "page_views"));
        assertEquals("BOOLEAN", p.dataType("brz_web_sessions", "is_app"));

        // Profile-ready: the prp names, lower-cased text; traffic_source renamed acquisition_channel.
        List<Map<String, Object>> prp = p.query("select * from main_bronze.prp_web_sessions");
        assertEquals(rows.size(), prp.size());
        assertEquals(List.of("customer_id", "session_date", "platform", "acquisition_channel", "funnel_step"),
                List.copyOf(prp.get(0).keySet()));
        Map<String, Long> bySource = new HashMap<>();
        for (List<Object> s : expected.values()) bySource.merge(s.get(4).toString().strip().toLowerCase(), 1L, Long::sum);
        for (Map<String, Object> c : p.query("select acquisition_channel as c, count(*) as n from main_bronze.prp_web_sessions group by 1")) {
            assertEquals(bySource.get(c.get("c").toString()), ((Number) c.get("n")).longValue(), "sessions from " + c.get("c"));
        }

        // The silver model reads the mapped view as before: every session of a known customer.
        assertEquals((long) rows.size(), p.count("main_silver.slv_web_sessions"));

        // A mapping naming a column the raw table lacks stops the run before any SQL, with the line.
        String map = p.read("schema_map.yml");
        int line = (int) map.substring(0, map.indexOf("page_views: {type: integer}")).chars().filter(c -> c == '\n').count() + 1;
        p.write("schema_map.yml", map.replace("page_views: {type: integer}", "page_views: {src: page_view_count, type: integer}"));
        CliHarness.Result bad = p.run("run", "--select", "brz_web_sessions+", "--vars",
                "{customers: " + CUSTOMERS + ", months: " + MONTHS + "}");
        assertEquals(2, bad.exitCode(), bad.all());
        assertTrue(bad.err().contains("schema_map.yml:" + line), bad.err());
        assertTrue(bad.err().contains("column 'page_view_count' (mapped to page_views) is missing from main_raw.raw_web_sessions"),
                bad.err());
        assertFalse(bad.out().contains("START"), bad.out());
        assertEquals((long) rows.size(), p.count("main_bronze.brz_web_sessions"), "the view is as it was");
    }
}
