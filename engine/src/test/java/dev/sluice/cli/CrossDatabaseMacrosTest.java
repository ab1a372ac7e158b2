package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt's cross-database macro tests (dbt-tests-adapter, utils/), ported as one project: every macro's model
 * puts the actual value beside the expected one and an assert_equal or relations_equal test compares them.
 */
class CrossDatabaseMacrosTest extends ProjectTest {

    @Test
    void everyCrossDatabaseMacroGivesTheExpectedValues() throws Exception {
        CliHarness p = copy("cross_db");
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        Matcher m = Pattern.compile("PASS=(\\d+) WARN=(\\d+) ERROR=(\\d+) SKIP=(\\d+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals("0", m.group(3), r.out());
        assertEquals("0", m.group(4), r.out());
        // 29 assert_equal and 22 relations_equal tests, plus the models and seeds they check.
        assertTrue(Integer.parseInt(m.group(1)) >= 51 + 51, r.out());
        assertTrue(r.out().contains("PASS assert_equal_test_datediff_actual__expected")
                || r.out().contains("test_datediff"), r.out());

        // Recomputed here, not by the macros under test: hash() is the MD5 of the text.
        String schema = "main";
        Object h = p.scalar("select " + "actual from " + schema + ".test_hash where expected = '"
                + md5("ab") + "'");
        assertEquals(md5("ab"), h.toString().toLowerCase(Locale.ROOT));
        // date_spine stops before its end date: 1st to 9th of September.
        assertEquals(9L, p.count(schema + ".test_date_spine"));
        assertEquals(10L, p.count(schema + ".test_generate_series"));
    }

    @Test
    void typeMacrosMatchTheTypesSeedsLoad() {
        CliHarness p = copy("cross_db");
        assertEquals(0, p.run("build", "-s", "type_string_expected", "type_string_actual", "type_numeric_expected",
                "type_numeric_actual", "type_boolean_expected", "type_boolean_actual", "type_timestamp_expected",
                "type_timestamp_actual", "type_bigint_expected", "type_bigint_actual").exitCode());
        for (String t : new String[] {"string", "numeric", "boolean", "timestamp", "bigint"}) {
            assertEquals(p.dataType("type_" + t + "_expected", t + "_col"), p.dataType("type_" + t + "_actual", t + "_col"), t);
        }
    }

    /**
     * dbt-tests-adapter's utils/test_timestamps.py: current_timestamp() keeps its time zone, the two backcompat
     * macros (dbt_utils' former current_timestamp) give a timestamp without one; the UTC one is checked against
     * this JVM's clock.
     */
    @Test
    void currentTimestampsAndTheirBackcompatForms() {
        CliHarness p = copy("cross_db");
        p.write("models/get_current_timestamp.sql", "select {{ current_timestamp() }} as now_tz,\n"
                + "  {{ current_timestamp_in_utc_backcompat() }} as now_utc,\n  {{ current_timestamp_backcompat() }} as now_local,\n"
                + "  {{ dbt.snapshot_get_time() }} as snapshot_time\n");
        CliHarness.Result r = p.run("run", "-s", "get_current_timestamp");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(p.dataType("get_current_timestamp", "now_tz").endsWith("WITH TIME ZONE"), p.dataType("get_current_timestamp", "now_tz"));
        for (String c : new String[] {"now_utc", "now_local", "snapshot_time"}) {
            String type = p.dataType("get_current_timestamp", c);
            assertTrue(type.startsWith("TIMESTAMP") && !type.contains("WITH TIME ZONE"), c + ": " + type);
        }
        String schema = "main";
        java.time.LocalDateTime utc = java.time.LocalDateTime.parse(p.scalar("select cast(now_utc as varchar) from " + schema
                + ".get_current_timestamp").toString().replace(' ', 'T'));
        long apart = Math.abs(java.time.Duration.between(utc, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)).toMinutes());
        assertTrue(apart < 10, "now_utc is " + utc + ", " + apart + " minutes from the UTC clock");
    }

    private static String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d));
    }
}
