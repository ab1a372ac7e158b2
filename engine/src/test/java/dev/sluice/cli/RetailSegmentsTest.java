package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 002 wf08/wf09's segments on the sample project: each has a type and an audience id per destination,
 * listed in the generated segment_catalog table; a definition that does not fit is exit 2 naming the file and
 * line before anything runs: an unknown key, an unknown type, a missing model, a column the model does not have.
 */
class RetailSegmentsTest extends ProjectTest {
    private static final String SIZE = "{customers: 200, months: 2}";
    private static final String FILE = "models/activation/_campaigns.yml";

    private CliHarness retail() {
        return CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
    }

    /** Inserts a segment entry first under segments: in the sample's campaign file; its first line is line 4. */
    private static void addSegment(CliHarness p, String yaml) {
        String file = p.read(FILE);
        p.write(FILE, file.replaceFirst("segments:\n", "segments:\n" + yaml));
    }

    @Test
    void segmentsHaveTypesAndAudienceIdsPerDestination() {
        CliHarness p = retail();
        CliHarness.Result r = p.run("build", "-s", "segment_catalog", "--vars", SIZE);
        assertEquals(0, r.exitCode(), r.all());
        List<Map<String, Object>> rows = p.query("select segment_name, segment_type, destination, audience_id, schedule "
                + "from main_activation.segment_catalog order by segment_name, destination");
        assertEquals(5, rows.size(), rows.toString());
        assertEquals(Map.of("segment_name", "winback_at_risk_high_value", "segment_type", "behavioral", "destination", "google_ads",
                "audience_id", "AW-4471-winback", "schedule", "daily"), rows.get(3));
        assertEquals("vip-early-access", rows.get(1).get("audience_id"));
        assertEquals("value", rows.get(1).get("segment_type"));
    }

    @Test
    void aColumnTheModelDoesNotHaveStopsTheBuildBeforeAnythingRuns() {
        CliHarness p = retail();
        addSegment(p, "  - name: big_spenders\n    from: customer_scores\n    type: value\n"
                + "    where: \"ltv_12m > 5000 and lifetime_spend > 100\"\n    columns: [customer_id, email]\n");
        CliHarness.Result r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":4: segment 'big_spenders' uses column 'lifetime_spend' that 'customer_scores' does not have"), r.all());
        assertFalse(r.out().contains("START"), "nothing ran: " + r.out());

        // In the columns list too, and the select list's aliases are not columns.
        p = retail();
        addSegment(p, "  - name: big_spenders\n    from: customer_scores\n    where: \"ltv_12m > 5000\"\n"
                + "    columns: [customer_id, email as contact, phone]\n");
        r = p.run("compile", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":4: segment 'big_spenders' uses column 'phone' that"), r.all());
    }

    @Test
    void aMissingModelAnUnknownKeyOrTypeIsExitTwoAtItsLine() {
        CliHarness p = retail();
        addSegment(p, "  - name: big_spenders\n    from: customer_scorez\n    where: \"ltv_12m > 5000\"\n");
        CliHarness.Result r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":4") && r.all().contains("'customer_scorez'") && r.all().contains("did you mean 'customer_scores'"), r.all());

        p = retail();
        addSegment(p, "  - name: big_spenders\n    from: customer_scores\n    wher: \"ltv_12m > 5000\"\n");
        r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":6:5: unknown key 'wher' in a segment (did you mean 'where'?)"), r.all());

        p = retail();
        addSegment(p, "  - name: big_spenders\n    from: customer_scores\n    where: \"ltv_12m > 5000\"\n    type: loyalty\n");
        r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":7:5: segment 'big_spenders' has type 'loyalty'; the types are behavioral, demographic, engagement, value"), r.all());
    }
}
