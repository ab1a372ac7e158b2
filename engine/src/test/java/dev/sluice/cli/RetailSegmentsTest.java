package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 002 wf08/wf09's segments on the sample project: a master segment the campaign segments are cut from,
 * templates instantiated with typed parameters, a type and an audience id per destination, listed in the generated
 * segment_catalog table. Sizes are recomputed here from the raw tables. A definition that does not fit is exit 2
 * naming the file and line before anything runs: an unknown key, an unknown type, a missing model, a column the
 * model does not have, a missing, unknown or mistyped parameter.
 */
class RetailSegmentsTest extends ProjectTest {
    private static final String SIZE = "{customers: 200, months: 2}";
    private static final String FILE = "models/activation/_campaigns.yml";

    private CliHarness retail() {
        return CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
    }

    /** Inserts a segment entry first under segments: in the sample's campaign file; returns its first line. */
    private static int addSegment(CliHarness p, String yaml) {
        return insertAfter(p, "segments:", yaml);
    }

    /** Inserts text after the first line that is exactly {@code after}; returns the line its first line gets. */
    private static int insertAfter(CliHarness p, String after, String yaml) {
        String file = p.read(FILE);
        int at = file.indexOf("\n" + after + "\n") + after.length() + 2;
        assertTrue(at > after.length() + 1, after + " in " + FILE);
        p.write(FILE, file.substring(0, at) + yaml + file.substring(at));
        return (int) file.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    @Test
    void segmentsHaveTypesAndAudienceIdsPerDestination() {
        CliHarness p = retail();
        CliHarness.Result r = p.run("build", "-s", "segment_catalog", "--vars", SIZE);
        assertEquals(0, r.exitCode(), r.all());
        List<Map<String, Object>> rows = p.query("select segment_name, segment_type, destination, audience_id, schedule "
                + "from main_activation.segment_catalog order by segment_name, destination");
        assertEquals(9, rows.size(), rows.toString());
        assertEquals(Map.of("segment_name", "winback_at_risk_high_value", "segment_type", "behavioral", "destination", "google_ads",
                "audience_id", "AW-4471-winback", "schedule", "daily"), rows.get(7));
        assertEquals("vip-early-access", rows.get(5).get("audience_id"));
        assertEquals("value", rows.get(5).get("segment_type"));
        // Cut from templates: the template's type, the master as source, the values (defaults filled in).
        List<Map<String, Object>> templated = p.query("select segment_name, segment_type, source_model, template, parameters "
                + "from main_activation.segment_catalog where template is not null and destination <> 'crm' order by segment_name");
        assertEquals(List.of(
                Map.of("segment_name", "grocery_regulars", "segment_type", "behavioral", "source_model", "customer_master",
                        "template", "category_spenders", "parameters", "amount=250, category=Grocery, days=90"),
                Map.of("segment_name", "lapsed_valuable", "segment_type", "value", "source_model", "customer_master",
                        "template", "stage_value", "parameters", "stage=lapsed, min_ltv=500"),
                Map.of("segment_name", "travel_spenders_180d", "segment_type", "behavioral", "source_model", "customer_master",
                        "template", "category_spenders", "parameters", "amount=1000, category=Travel, days=180")), templated);
    }

    @Test
    void aColumnTheModelDoesNotHaveStopsTheBuildBeforeAnythingRuns() {
        CliHarness p = retail();
        int line = addSegment(p, "  - name: big_spenders\n    from: customer_scores\n    type: value\n"
                + "    where: \"ltv_12m > 5000 and lifetime_spend > 100\"\n    columns: [customer_id, email]\n");
        CliHarness.Result r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + line + ": segment 'big_spenders' uses column 'lifetime_spend' that 'customer_scores' does not have"), r.all());
        assertFalse(r.out().contains("START"), "nothing ran: " + r.out());

        // In the columns list too, and the select list's aliases are not columns.
        p = retail();
        line = addSegment(p, "  - name: big_spenders\n    from: customer_scores\n    where: \"ltv_12m > 5000\"\n"
                + "    columns: [customer_id, email as contact, phone]\n");
        r = p.run("compile", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + line + ": segment 'big_spenders' uses column 'phone' that"), r.all());
    }

    @Test
    void aMissingModelAnUnknownKeyOrTypeIsExitTwoAtItsLine() {
        CliHarness p = retail();
        int line = addSegment(p, "  - name: big_spenders\n    from: customer_scorez\n    where: \"ltv_12m > 5000\"\n");
        CliHarness.Result r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + line) && r.all().contains("'customer_scorez'") && r.all().contains("did you mean 'customer_scores'"), r.all());

        p = retail();
        line = addSegment(p, "  - name: big_spenders\n    from: customer_scores\n    wher: \"ltv_12m > 5000\"\n");
        r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + (line + 2) + ":5: unknown key 'wher' in a segment (did you mean 'where'?)"), r.all());

        p = retail();
        line = addSegment(p, "  - name: big_spenders\n    from: customer_scores\n    where: \"ltv_12m > 5000\"\n    type: loyalty\n");
        r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + (line + 3) + ":5: segment 'big_spenders' has type 'loyalty'; the types are behavioral, demographic, engagement, value"), r.all());
    }

    @Test
    void aTemplatesParametersAreCheckedBeforeAnythingRuns() {
        // Missing: category has no default.
        CliHarness p = retail();
        int line = addSegment(p, "  - name: big_grocery\n    template: category_spenders\n    parameters: {amount: 100}\n");
        CliHarness.Result r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + line + ":5: segment 'big_grocery' does not give parameter 'category' (string) of template 'category_spenders'"), r.all());
        assertFalse(r.out().contains("START"), "nothing ran: " + r.out());

        // Unknown: at the value, with the nearest declared name.
        p = retail();
        line = addSegment(p, "  - name: big_grocery\n    template: category_spenders\n    parameters:\n"
                + "      amount: 100\n      category: Grocery\n      dayz: 30\n");
        r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + (line + 5) + ":13: segment 'big_grocery' gives parameter 'dayz' that template "
                + "'category_spenders' does not declare (did you mean 'days'?); its parameters: amount, category, days"), r.all());

        // Wrong type: a word for a number, a fraction for an integer.
        p = retail();
        line = addSegment(p, "  - name: big_grocery\n    template: category_spenders\n    parameters:\n"
                + "      amount: lots\n      category: Grocery\n");
        r = p.run("compile", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + (line + 3) + ":15: parameter 'amount' of template 'category_spenders' is a number; "
                + "segment 'big_grocery' gives 'lots'"), r.all());
        p = retail();
        line = addSegment(p, "  - name: big_grocery\n    template: category_spenders\n    parameters: {amount: 100, category: Grocery, days: 7.5}\n");
        r = p.run("compile", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("parameter 'days' of template 'category_spenders' is an integer; segment 'big_grocery' gives 7.5 (a number)"), r.all());

        // A template that is not there; criteria given beside a template.
        p = retail();
        line = addSegment(p, "  - name: big_grocery\n    template: category_spender\n    parameters: {amount: 100, category: Grocery}\n");
        r = p.run("compile", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + line + ":5: segment 'big_grocery' names template 'category_spender', which is not declared "
                + "(did you mean 'category_spenders'?)"), r.all());
        p = retail();
        line = addSegment(p, "  - name: big_grocery\n    template: category_spenders\n    parameters: {amount: 100, category: Grocery}\n"
                + "    where: \"ltv_12m > 0\"\n");
        r = p.run("compile", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + (line + 3) + ":5: segment 'big_grocery' is cut from template 'category_spenders', which gives its 'where'"), r.all());
    }

    @Test
    void aTemplatesSqlIsCheckedAgainstItsMasterAndBehaviourBeforeAnythingRuns() {
        // A column the behaviour's table does not have: at the template, naming the segment.
        CliHarness p = retail();
        int line = insertAfter(p, "segment_templates:", "  - name: channel_spenders\n    master: customer_master\n"
                + "    parameters: {channel: string}\n    behavior: purchases\n"
                + "    behavior_where: \"sales_channel = '{{ params.channel }}'\"\n    having: \"count(*) > 3\"\n");
        addSegment(p, "  - name: online_buyers\n    template: channel_spenders\n    parameters: {channel: Online}\n");
        CliHarness.Result r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + line + ": segment template 'channel_spenders' (for segment 'online_buyers') uses column "
                + "'sales_channel' that 'fct_transactions' does not have"), r.all());
        assertFalse(r.out().contains("START"), "nothing ran: " + r.out());

        // The same template with the right column builds, and its SQL has the value.
        p = retail();
        insertAfter(p, "segment_templates:", "  - name: channel_spenders\n    master: customer_master\n"
                + "    parameters: {channel: string}\n    behavior: purchases\n"
                + "    behavior_where: \"channel = '{{ params.channel }}'\"\n    having: \"count(*) > 3\"\n");
        addSegment(p, "  - name: online_buyers\n    template: channel_spenders\n    parameters: {channel: Online}\n");
        r = p.run("compile", "-s", "online_buyers", "--vars", SIZE);
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(p.read("target/compiled/retail/" + FILE + "/online_buyers.sql").contains("channel = 'Online'"));

        // A parameter the SQL reads that is not declared, and one declared that nothing reads.
        p = retail();
        line = insertAfter(p, "segment_templates:", "  - name: channel_spenders\n    master: customer_master\n"
                + "    parameters: {channel: string}\n    where: \"lifecycle_stage = '{{ params.stage }}'\"\n");
        r = p.run("compile", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + line + ":5: segment template 'channel_spenders' uses parameter 'stage' that it does not declare"), r.all());
        p = retail();
        line = insertAfter(p, "segment_templates:", "  - name: channel_spenders\n    master: customer_master\n"
                + "    parameters: {channel: string, stage: string}\n    where: \"lifecycle_stage = '{{ params.stage }}'\"\n");
        r = p.run("compile", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":" + (line + 2) + ":27: parameter 'channel' of segment template 'channel_spenders' is not used"), r.all());

        // A master attribute its model does not have; a master model that is not there.
        p = retail();
        p.write(FILE, p.read(FILE).replace("days_since_last_purchase]", "days_since_last_purchase, lifetime_orders]"));
        r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":6: master segment 'customer_master' uses column 'lifetime_orders' that 'customer_scores' does not have"), r.all());
        p = retail();
        p.write(FILE, p.read(FILE).replace("from: customer_scores\n    id_column", "from: customer_scorez\n    id_column"));
        r = p.run("build", "--vars", SIZE);
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains(FILE + ":6") && r.all().contains("'customer_scorez'"), r.all());
    }

    /** One build for both checks below: the full sample takes a while on a loaded machine. */
    @Test
    void masterTemplatedSegmentsAndPerformanceAgreeWithRawData() {
        CliHarness p = retail();
        CliHarness.Result r = p.run("build", "--vars", "{customers: 300, months: 6}");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().matches("(?s).*PASS customer_master_contains_its_segments \\.+ \\[PASS.*"), r.out());
        masterAndTemplatedSegmentsAgreeWithRawData(p);
        segmentPerformanceAgreesWithMembersAndFacts(p);

        // The subset check fails when a segment holds someone the master no longer has: a narrower master
        // rebuilt alone, its segments left as they were.
        String file = p.read(FILE);
        p.write(FILE, file.replace("where: \"email is not null\"", "where: \"email is not null and lifecycle_stage <> 'lapsed'\""));
        assertEquals(0, p.run("run", "-s", "customer_master", "--vars", "{customers: 300, months: 6}").exitCode());
        long lapsedMembers = ((Number) p.scalar("select count(*) from main_activation.lapsed_valuable")).longValue();
        r = p.run("test", "-s", "customer_master_contains_its_segments", "--vars", "{customers: 300, months: 6}");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.all().contains("Got " + (lapsedMembers + ((Number) p.scalar("select count(*) from (select customer_id from "
                + "main_activation.grocery_regulars union all select customer_id from main_activation.travel_spenders_180d union all "
                + "select customer_id from main_activation.winback_at_risk_high_value union all select customer_id from "
                + "main_activation.vip_early_access) s where customer_id not in (select customer_id from main_activation.customer_master)"))
                .longValue()) + " result"), r.all());
    }

    /**
     * The master (customers whose earliest record has a valid e-mail) and the template instances recomputed from
     * raw_customers and raw_transactions: deduplicated, approved, positive, attributed to the unified person
     * (identity links as found; RetailIdentityTest checks those), summed per category in the window.
     */
    private static void masterAndTemplatedSegmentsAgreeWithRawData(CliHarness p) {
        java.time.LocalDate asOf = java.time.LocalDate.parse("2025-06-30");
        Map<Long, Long> personOf = new java.util.HashMap<>();
        for (Map<String, Object> l : p.query("select customer_id, unified_customer_id from main_silver.slv_identity_links")) {
            personOf.put(((Number) l.get("customer_id")).longValue(), ((Number) l.get("unified_customer_id")).longValue());
        }
        // Each person's earliest record (open date, then id) gives their e-mail and tenure.
        Map<Long, Object[]> earliest = new java.util.HashMap<>();
        for (Map<String, Object> c : p.query("select customer_id, email, account_open_date from main_raw.raw_customers")) {
            long id = ((Number) c.get("customer_id")).longValue();
            java.time.LocalDate open = java.time.LocalDate.parse(c.get("account_open_date").toString().substring(0, 10));
            earliest.merge(personOf.get(id), new Object[]{open, id, RetailRecomputeTest.email(c.get("email"))},
                    (a, b) -> ((java.time.LocalDate) a[0]).isBefore((java.time.LocalDate) b[0])
                            || (a[0].equals(b[0]) && (Long) a[1] < (Long) b[1]) ? a : b);
        }
        java.util.Set<Long> master = new java.util.TreeSet<>();
        earliest.forEach((person, rec) -> {
            if (rec[2] != null) master.add(person);
        });
        assertEquals(master, ids(p, "customer_master"));

        // Approved purchases: the first copy of each transaction id, positive amounts.
        Map<String, Map<String, Object>> first = new java.util.HashMap<>();
        for (Map<String, Object> t : p.query("select transaction_id, customer_id, transaction_date, amount, merchant_category, status "
                + "from main_raw.raw_transactions order by transaction_id, transaction_date")) {
            first.putIfAbsent(t.get("transaction_id").toString(), t);
        }
        Map<Long, java.time.LocalDate> lastPurchase = new java.util.HashMap<>();
        Map<String, Map<Long, java.math.BigDecimal>> spend = new java.util.HashMap<>();
        for (Map<String, Object> t : first.values()) {
            java.math.BigDecimal amount = new java.math.BigDecimal(t.get("amount").toString()).setScale(2, java.math.RoundingMode.HALF_UP);
            if (amount.signum() <= 0 || !"Approved".equals(t.get("status"))) continue;
            long person = personOf.get(((Number) t.get("customer_id")).longValue());
            java.time.LocalDate day = java.time.LocalDate.parse(t.get("transaction_date").toString().substring(0, 10));
            lastPurchase.merge(person, day, (a, b) -> a.isAfter(b) ? a : b);
            for (int days : new int[]{90, 180}) {
                if (day.isAfter(asOf.minusDays(days))) {
                    spend.computeIfAbsent(t.get("merchant_category") + "|" + days, k -> new java.util.HashMap<>())
                            .merge(person, amount, java.math.BigDecimal::add);
                }
            }
        }
        // category_spenders: amount=250, category=Grocery, days=90 (the default); amount=1000, Travel, 180.
        assertEquals(over(spend.get("Grocery|90"), 250, master), ids(p, "grocery_regulars"));
        assertEquals(over(spend.get("Travel|180"), 1000, master), ids(p, "travel_spenders_180d"));
        assertFalse(ids(p, "grocery_regulars").isEmpty() || ids(p, "travel_spenders_180d").isEmpty(), "both cut someone");

        // stage_value: lifecycle stage lapsed (last purchase 61-120 days before the end date, tenure over 60 days)
        // recomputed from the raw rows; the 12-month LTV taken from the master's attributes.
        Map<Long, java.math.BigDecimal> ltv = new java.util.HashMap<>();
        for (Map<String, Object> m : p.query("select customer_id, ltv_12m from main_activation.customer_master")) {
            ltv.put(((Number) m.get("customer_id")).longValue(), new java.math.BigDecimal(m.get("ltv_12m").toString()));
        }
        java.util.Set<Long> lapsed = new java.util.TreeSet<>();
        for (long person : master) {
            java.time.LocalDate last = lastPurchase.get(person);
            long tenure = java.time.temporal.ChronoUnit.DAYS.between((java.time.LocalDate) earliest.get(person)[0], asOf);
            long recency = last == null ? -1 : java.time.temporal.ChronoUnit.DAYS.between(last, asOf);
            if (tenure > 60 && recency > 60 && recency <= 120 && ltv.get(person).compareTo(java.math.BigDecimal.valueOf(500)) >= 0) {
                lapsed.add(person);
            }
        }
        assertEquals(lapsed, ids(p, "lapsed_valuable"));
    }

    private static java.util.Set<Long> over(Map<Long, java.math.BigDecimal> spend, long threshold, java.util.Set<Long> master) {
        java.util.Set<Long> out = new java.util.TreeSet<>();
        spend.forEach((person, total) -> {
            if (total.compareTo(java.math.BigDecimal.valueOf(threshold)) > 0 && master.contains(person)) out.add(person);
        });
        return out;
    }

    private static java.util.Set<Long> ids(CliHarness p, String table) {
        java.util.Set<Long> out = new java.util.TreeSet<>();
        for (Map<String, Object> row : p.query("select customer_id from main_activation." + table)) {
            out.add(((Number) row.get("customer_id")).longValue());
        }
        return out;
    }

    private static void segmentPerformanceAgreesWithMembersAndFacts(CliHarness p) {
        // Current members per segment, and each customer's approved spend per month, read raw.
        Map<String, java.util.Set<String>> members = new java.util.HashMap<>();
        for (Map<String, Object> m : p.query("select segment_name, member_id from main_activation.segment_membership where dbt_valid_to is null")) {
            members.computeIfAbsent(m.get("segment_name").toString(), k -> new java.util.HashSet<>()).add(m.get("member_id").toString());
        }
        Map<String, java.math.BigDecimal> spend = new java.util.HashMap<>();
        for (Map<String, Object> t : p.query("select customer_id, transaction_date, amount from main_gold.fct_transactions")) {
            String month = t.get("transaction_date").toString().substring(0, 7);
            spend.merge(t.get("customer_id") + "|" + month, new java.math.BigDecimal(t.get("amount").toString()), java.math.BigDecimal::add);
        }
        List<Map<String, Object>> rows = p.query("select segment_name, month, members, buyers, revenue, conversion_rate from main_activation.segment_performance");
        assertEquals(6 * 6, rows.size(), "six segments over six months");
        for (Map<String, Object> row : rows) {
            java.util.Set<String> in = members.get(row.get("segment_name").toString());
            String month = row.get("month").toString().substring(0, 7);
            long buyers = 0;
            java.math.BigDecimal revenue = java.math.BigDecimal.ZERO;
            for (String id : in) {
                java.math.BigDecimal s = spend.get(id + "|" + month);
                if (s != null) {
                    buyers++;
                    revenue = revenue.add(s);
                }
            }
            assertEquals((long) in.size(), ((Number) row.get("members")).longValue(), row.toString());
            assertEquals(buyers, ((Number) row.get("buyers")).longValue(), row.toString());
            assertEquals(0, revenue.compareTo(new java.math.BigDecimal(row.get("revenue").toString())), row + " vs " + revenue);
            assertEquals(buyers / (double) in.size(), ((Number) row.get("conversion_rate")).doubleValue(), 5e-5, row.toString());
        }
    }
}
