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

    private static String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d));
    }
}
