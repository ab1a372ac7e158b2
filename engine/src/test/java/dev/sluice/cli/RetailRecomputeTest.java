package dev.sluice.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample project at its default size (2,000 customers, 18 months), checked the way an analyst would check
 * it: RFM, lifecycle, LTV, month-over-month change and basket lift recomputed here in Java from the raw tables
 * the generator wrote (cleaning, identity unification and all), independently of the SQL models, and compared
 * row by row; segment names checked against their definitions; every campaign audience non-empty and within
 * its expected share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetailRecomputeTest extends ProjectTest {
    private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);
    private static final int NEW_DAYS = 60, ACTIVE_DAYS = 30, AT_RISK_DAYS = 60, LAPSED_DAYS = 120;
    /** Whitespace and invisible characters, as the project's cleaning macros list them. */
    private static final Pattern INVISIBLE = Pattern.compile(
            "[\\u0009-\\u000d\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u2064\\u3000\\ufeff]");
    private static final Pattern EMAIL = Pattern.compile("^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$");

    private CliHarness p;
    /** Raw customer record id to the unified person id. */
    private final Map<Long, Long> personOf = new HashMap<>();
    private final Map<Long, LocalDate> openDate = new TreeMap<>();
    private final List<Fact> facts = new ArrayList<>();

    private record Fact(long person, LocalDate date, BigDecimal amount, String category) {
    }

    @BeforeAll
    void buildAndReadRaw() {
        // The injected @TempDir is shared by the class's tests here (one instance); a fallback if it is not set yet.
        if (tmp == null) tmp = newTempDir();
        p = CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().matches("(?s).*Done\\. PASS=(\\d{2,}) WARN=0 ERROR=0 SKIP=0 TOTAL=\\1.*"), r.out());
        unifyIdentities();
        readFacts();
    }

    private static Path newTempDir() {
        try {
            Path d = java.nio.file.Files.createTempDirectory("retail-recompute");
            d.toFile().deleteOnExit();
            return d;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- the raw tables, cleaned and unified here --------------------------------------------------------

    static String email(Object raw) {
        if (raw == null) return null;
        String e = INVISIBLE.matcher(raw.toString()).replaceAll("").toLowerCase(java.util.Locale.ROOT);
        return EMAIL.matcher(e).matches() ? e : null;
    }

    static String phone(Object raw) {
        if (raw == null) return null;
        String d = raw.toString().replaceAll("[^0-9]", "");
        if (d.length() == 11 && d.startsWith("1")) return d.substring(1);
        return d.length() == 10 ? d : null;
    }

    private void unifyIdentities() {
        List<Map<String, Object>> rows = p.query("select customer_id, email, phone, account_open_date from main_raw.raw_customers");
        Map<Long, Long> parent = new HashMap<>();
        Map<String, Long> firstWithKey = new HashMap<>();
        Map<Long, LocalDate> recordOpen = new HashMap<>();
        for (Map<String, Object> row : rows) {
            long id = ((Number) row.get("customer_id")).longValue();
            parent.put(id, id);
            recordOpen.put(id, date(row.get("account_open_date")));
        }
        for (Map<String, Object> row : rows) {
            long id = ((Number) row.get("customer_id")).longValue();
            String e = email(row.get("email")), ph = phone(row.get("phone"));
            for (String key : new String[]{e == null ? null : "email:" + e, ph == null ? null : "phone:" + ph}) {
                if (key == null) continue;
                Long other = firstWithKey.putIfAbsent(key, id);
                if (other != null) union(parent, id, other);
            }
        }
        // Fuzzy links (name + address, name + phone) are scored by Jaro-Winkler in the identity_resolution operator;
        // RetailIdentityTest checks those against the generator's planted duplicates. Here they are taken as found.
        for (Map<String, Object> edge : p.query("select from_id, to_id from main_silver.slv_identity_graph where rule in ('name_address', 'name_phone')")) {
            union(parent, ((Number) edge.get("from_id")).longValue(), ((Number) edge.get("to_id")).longValue());
        }
        // A person is the smallest record id of the group; their open date is that of their earliest record.
        Map<Long, Long> smallest = new HashMap<>();
        for (long id : parent.keySet()) smallest.merge(find(parent, id), id, Math::min);
        Map<Long, long[]> earliest = new HashMap<>();
        for (long id : parent.keySet()) {
            long person = smallest.get(find(parent, id));
            personOf.put(id, person);
            long day = recordOpen.get(id).toEpochDay();
            earliest.merge(person, new long[]{day, id}, (a, b) -> a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) ? a : b);
        }
        earliest.forEach((person, best) -> openDate.put(person, LocalDate.ofEpochDay(best[0])));
    }

    private static long find(Map<Long, Long> parent, long x) {
        while (parent.get(x) != x) {
            parent.put(x, parent.get(parent.get(x)));
            x = parent.get(x);
        }
        return x;
    }

    private static void union(Map<Long, Long> parent, long a, long b) {
        long ra = find(parent, a), rb = find(parent, b);
        if (ra != rb) parent.put(Math.max(ra, rb), Math.min(ra, rb));
    }

    private void readFacts() {
        Set<Long> seen = new HashSet<>();
        for (Map<String, Object> row : p.query("select transaction_id, customer_id, transaction_date, amount, merchant_category, status "
                + "from main_raw.raw_transactions order by transaction_id, transaction_date")) {
            if (!seen.add(((Number) row.get("transaction_id")).longValue())) continue;
            BigDecimal amount = (BigDecimal) row.get("amount");
            if (amount.signum() <= 0 || !"Approved".equals(row.get("status"))) continue;
            facts.add(new Fact(personOf.get(((Number) row.get("customer_id")).longValue()), date(row.get("transaction_date")),
                    amount, row.get("merchant_category").toString()));
        }
    }

    // ---- recomputation ----------------------------------------------------------------------------------------

    private static final class Person {
        BigDecimal total = BigDecimal.ZERO, lastYear = BigDecimal.ZERO, beforeDecline = BigDecimal.ZERO;
        long transactions, lastYearCount;
        LocalDate first, last;
        Long recencyLastYear;
        final Set<LocalDate> months = new HashSet<>();
    }

    private Map<Long, Person> people() {
        Map<Long, Person> people = new TreeMap<>();
        for (long person : openDate.keySet()) people.put(person, new Person());
        for (Fact f : facts) {
            Person x = people.get(f.person());
            long ago = ChronoUnit.DAYS.between(f.date(), AS_OF);
            x.total = x.total.add(f.amount());
            x.transactions++;
            if (x.first == null || f.date().isBefore(x.first)) x.first = f.date();
            if (x.last == null || f.date().isAfter(x.last)) x.last = f.date();
            x.months.add(f.date().withDayOfMonth(1));
            if (f.date().isAfter(AS_OF.minusDays(365))) {
                x.lastYear = x.lastYear.add(f.amount());
                x.lastYearCount++;
                x.recencyLastYear = x.recencyLastYear == null ? ago : Math.min(x.recencyLastYear, ago);
            }
            if (ago >= 90 && ago < 360) x.beforeDecline = x.beforeDecline.add(f.amount());
        }
        return people;
    }

    private String stage(long person, Person x) {
        long tenure = ChronoUnit.DAYS.between(openDate.get(person), AS_OF);
        if (tenure <= NEW_DAYS) return "new";
        if (x.last == null) return "churned";
        long days = ChronoUnit.DAYS.between(x.last, AS_OF);
        if (days <= ACTIVE_DAYS) return "active";
        if (days <= AT_RISK_DAYS) return "at-risk";
        if (days <= LAPSED_DAYS) return "lapsed";
        return "churned";
    }

    static BigDecimal round4(BigDecimal v) {
        return v.setScale(4, RoundingMode.HALF_UP);
    }

    static BigDecimal divide(BigDecimal a, BigDecimal b) {
        return a.divide(b, MathContext.DECIMAL128);
    }

    /** ceil(5 * share of values no better than this one): ties score equally, the best value scores 5. */
    private static <T> Map<Long, Integer> quintiles(Map<Long, T> values, Comparator<T> order) {
        List<T> sorted = new ArrayList<>(values.values());
        sorted.sort(order);
        Map<Long, Integer> out = new HashMap<>();
        int n = values.size();
        values.forEach((id, v) -> {
            int lo = 0, hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (order.compare(sorted.get(mid), v) <= 0) lo = mid + 1; else hi = mid;
            }
            out.put(id, (int) Math.ceil(5.0 * lo / n));
        });
        return out;
    }

    @Test
    void lifecycleMatchesAnIndependentRecomputationAndEveryStageOccurs() {
        Map<Long, Person> people = people();
        Map<Long, List<String>> expected = new TreeMap<>();
        people.forEach((id, x) -> expected.put(id, List.of(
                String.valueOf(ChronoUnit.DAYS.between(openDate.get(id), AS_OF)),
                x.last == null ? "null" : String.valueOf(ChronoUnit.DAYS.between(x.last, AS_OF)),
                stage(id, x))));
        assertRows(expected, "select customer_id, tenure_days, days_since_last_purchase, lifecycle_stage from main_gold.customer_lifecycle");
        Set<String> stages = new TreeSet<>();
        expected.values().forEach(v -> stages.add(v.get(2)));
        assertEquals(Set.of("new", "active", "at-risk", "lapsed", "churned"), stages, "every stage is reachable with the default thresholds");
    }

    @Test
    void rfmMatchesAnIndependentRecomputation() {
        Map<Long, Person> people = people();
        Map<Long, Long> recency = new HashMap<>(), frequency = new HashMap<>();
        Map<Long, BigDecimal> monetary = new HashMap<>();
        people.forEach((id, x) -> {
            recency.put(id, x.recencyLastYear == null ? 9999 : x.recencyLastYear);
            frequency.put(id, x.lastYearCount);
            monetary.put(id, x.lastYear);
        });
        Map<Long, Integer> r = quintiles(recency, Comparator.<Long>reverseOrder());
        Map<Long, Integer> f = quintiles(frequency, Comparator.<Long>naturalOrder());
        Map<Long, Integer> m = quintiles(monetary, Comparator.<BigDecimal>naturalOrder());
        Map<Long, List<String>> expected = new TreeMap<>();
        for (long id : people.keySet()) {
            long rec = recency.get(id), tenure = ChronoUnit.DAYS.between(openDate.get(id), AS_OF);
            int rs = r.get(id), fs = f.get(id), ms = m.get(id);
            String segment;
            if (rec > LAPSED_DAYS) segment = "Lost";
            else if (tenure <= NEW_DAYS) segment = "New Customers";
            else if (rec > ACTIVE_DAYS && fs >= 4 && ms >= 4) segment = "Cannot Lose Them";
            else if (rec > ACTIVE_DAYS && (fs >= 3 || ms >= 3)) segment = "At Risk";
            else if (rec > ACTIVE_DAYS) segment = "Hibernating";
            else if (rs >= 4 && fs >= 4 && ms >= 4) segment = "Champions";
            else if (rs >= 3 && fs >= 4) segment = "Loyal Customers";
            else if (rs >= 3 && fs >= 2 && ms >= 3) segment = "Potential Loyalists";
            else segment = "Needs Attention";
            expected.put(id, List.of(String.valueOf(rec), String.valueOf(frequency.get(id)), num(monetary.get(id)),
                    String.valueOf(rs), String.valueOf(fs), String.valueOf(ms), segment));
        }
        assertRows(expected, "select customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, rfm_segment from main_gold.rfm_scores");
    }

    @Test
    void segmentNamesHoldToTheirDefinitions() {
        assertEquals(0L, count("select count(*) from main_gold.rfm_scores where rfm_segment = 'Lost' and recency_days <= " + LAPSED_DAYS),
                "no Lost customer bought within the recency window");
        assertEquals(0L, count("select count(*) from main_gold.rfm_scores where rfm_segment in "
                + "('Champions', 'Loyal Customers', 'Potential Loyalists', 'Needs Attention') and recency_days > " + ACTIVE_DAYS));
        assertEquals(0L, count("select count(*) from main_gold.rfm_scores where rfm_segment in "
                + "('Cannot Lose Them', 'At Risk', 'Hibernating') and recency_days <= " + ACTIVE_DAYS));
        assertEquals(0L, count("select count(*) from main_gold.rfm_scores s join main_gold.customer_lifecycle l using (customer_id) "
                + "where s.rfm_segment = 'New Customers' and l.tenure_days > " + NEW_DAYS));
        // Ties score equally: one recency (frequency, spend) value never has two scores.
        for (String[] c : new String[][]{{"recency_days", "r_score"}, {"frequency", "f_score"}, {"monetary", "m_score"}}) {
            assertEquals(0L, count("select count(*) from (select " + c[0] + " from main_gold.rfm_scores group by " + c[0]
                    + " having count(distinct " + c[1] + ") > 1) t"), c[0]);
        }
        assertEquals(9L, count("select count(distinct rfm_segment) from main_gold.rfm_scores"), "every RFM segment occurs");
    }

    @Test
    void ltvMatchesAnIndependentRecomputation() {
        Map<Long, Person> people = people();
        Map<Long, List<String>> expected = new TreeMap<>();
        people.forEach((id, x) -> {
            BigDecimal monthly = x.months.isEmpty() ? BigDecimal.ZERO : divide(x.total, BigDecimal.valueOf(x.months.size()));
            BigDecimal keep = new BigDecimal(switch (stage(id, x)) {
                case "active" -> "0.9";
                case "new" -> "0.7";
                case "at-risk" -> "0.5";
                case "lapsed" -> "0.25";
                default -> "0.05";
            });
            BigDecimal ltv = x.total.add(BigDecimal.valueOf(12).multiply(monthly).multiply(keep));
            expected.put(id, List.of(num(x.total), String.valueOf(x.transactions), String.valueOf(x.first), String.valueOf(x.last),
                    String.valueOf(x.months.size()), num(round4(monthly)), num(round4(ltv)),
                    num(round4(divide(x.beforeDecline.multiply(BigDecimal.valueOf(12)), BigDecimal.valueOf(9))))));
        });
        assertRows(expected, "select customer_id, total_spend, transactions, first_purchase_date, last_purchase_date, active_months, "
                + "avg_monthly_spend, ltv_12m, ltv_before_decline from main_gold.metric_customer_ltv");
    }

    @Test
    void monthOverMonthChangeMatchesAnIndependentRecomputation() {
        Map<LocalDate, BigDecimal> spend = new TreeMap<>();
        Map<LocalDate, Set<Long>> active = new HashMap<>();
        for (Fact f : facts) {
            LocalDate month = f.date().withDayOfMonth(1);
            spend.merge(month, f.amount(), BigDecimal::add);
            active.computeIfAbsent(month, k -> new HashSet<>()).add(f.person());
        }
        Map<Long, List<String>> expected = new TreeMap<>();
        BigDecimal previous = null;
        for (Map.Entry<LocalDate, BigDecimal> e : spend.entrySet()) {
            String change = previous == null ? "null"
                    : num(round4(divide(BigDecimal.valueOf(100).multiply(e.getValue().subtract(previous)), previous)));
            expected.put(e.getKey().toEpochDay(), List.of(num(e.getValue()), String.valueOf(active.get(e.getKey()).size()),
                    previous == null ? "null" : num(previous), change));
            previous = e.getValue();
        }
        assertRows(expected, row -> date(row).toEpochDay(), "select month_start, total_spend, active_customers, previous_month_spend, "
                + "spend_change_pct from main_gold.metric_mom_spend_change");
    }

    @Test
    void basketLiftMatchesAnIndependentRecomputation() {
        // A basket is one person's week (weeks start on Monday); items are the categories bought in it.
        Map<String, Set<String>> baskets = new HashMap<>();
        for (Fact f : facts) {
            String key = f.person() + "|" + f.date().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            baskets.computeIfAbsent(key, k -> new TreeSet<>()).add(f.category());
        }
        Map<String, Long> items = new TreeMap<>();
        Map<String, Long> pairs = new TreeMap<>();
        for (Set<String> b : baskets.values()) {
            List<String> list = new ArrayList<>(b);
            for (int i = 0; i < list.size(); i++) {
                items.merge(list.get(i), 1L, Long::sum);
                for (int j = i + 1; j < list.size(); j++) pairs.merge(list.get(i) + "|" + list.get(j), 1L, Long::sum);
            }
        }
        BigDecimal n = BigDecimal.valueOf(baskets.size());
        List<String> expected = new ArrayList<>();
        pairs.forEach((pair, count) -> {
            String[] ab = pair.split("\\|");
            BigDecimal c = BigDecimal.valueOf(count), ia = BigDecimal.valueOf(items.get(ab[0])), ib = BigDecimal.valueOf(items.get(ab[1]));
            expected.add(String.join(",", ab[0], ab[1], String.valueOf(count), num(round4(divide(c, n))),
                    num(round4(divide(c, ia))), num(round4(divide(c.multiply(n), ia.multiply(ib))))));
        });
        List<String> actual = new ArrayList<>();
        for (Map<String, Object> row : p.query("select item_a, item_b, baskets_with_pair, support, confidence_a_to_b, lift "
                + "from main_gold.market_basket_pairs order by item_a, item_b")) {
            List<String> v = new ArrayList<>();
            row.values().forEach(x -> v.add(value(x)));
            actual.add(String.join(",", v));
        }
        assertEquals(expected, actual);
    }

    @Test
    void engagementMetricsMatchAnIndependentRecomputation() {
        // Per person: campaigns sent, opened, clicked; web and app sessions; page views; purchase sessions.
        Map<Long, long[]> counts = new TreeMap<>();
        for (long person : openDate.keySet()) counts.put(person, new long[7]);
        Map<Long, Set<String>[]> campaigns = new HashMap<>();
        for (Map<String, Object> row : p.query("select customer_id, campaign_id, event_type from main_raw.raw_email_events")) {
            long person = personOf.get(((Number) row.get("customer_id")).longValue());
            @SuppressWarnings("unchecked")
            Set<String>[] sets = campaigns.computeIfAbsent(person, k -> new Set[]{new HashSet<>(), new HashSet<>(), new HashSet<>()});
            int kind = List.of("send", "open", "click").indexOf(row.get("event_type").toString());
            sets[kind].add(row.get("campaign_id").toString());
        }
        campaigns.forEach((person, sets) -> {
            for (int k = 0; k < 3; k++) counts.get(person)[k] = sets[k].size();
        });
        for (Map<String, Object> row : p.query("select customer_id, platform, page_views, funnel_step from main_raw.raw_web_sessions")) {
            long[] c = counts.get(personOf.get(((Number) row.get("customer_id")).longValue()));
            c["web".equals(row.get("platform")) ? 3 : 4]++;
            c[5] += ((Number) row.get("page_views")).longValue();
            if ("purchase".equals(row.get("funnel_step"))) c[6]++;
        }
        Map<Long, List<String>> expected = new TreeMap<>();
        counts.forEach((person, c) -> expected.put(person, List.of(String.valueOf(c[0]), String.valueOf(c[1]), String.valueOf(c[2]),
                c[0] == 0 ? "null" : num(round4(divide(BigDecimal.valueOf(c[1]), BigDecimal.valueOf(c[0])))),
                String.valueOf(c[3]), String.valueOf(c[4]), String.valueOf(c[5]), String.valueOf(c[6]))));
        assertRows(expected, "select customer_id, emails_sent, emails_opened, emails_clicked, open_rate, web_sessions, app_sessions, "
                + "page_views, purchase_sessions from main_gold.engagement_metrics");
        // The three attribution models hand out one conversion per purchase session each.
        long purchases = counts.values().stream().mapToLong(c -> c[6]).sum();
        for (Map<String, Object> row : p.query("select model, sum(conversions) as credited from main_gold.channel_attribution group by model")) {
            assertEquals(purchases, ((BigDecimal) row.get("credited")).doubleValue(), 0.01, row.toString());
        }
    }

    @Test
    void cleaningKeepsAddressesPaddedWithInvisibleCharacters() {
        Map<Long, List<String>> expected = new TreeMap<>();
        long padded = 0;
        for (Map<String, Object> row : p.query("select customer_id, email, phone from main_raw.raw_customers")) {
            String raw = row.get("email") == null ? "" : row.get("email").toString();
            if (!raw.equals(raw.strip()) || raw.contains("\u00a0") || raw.contains("\u200b") || raw.contains("\ufeff")) padded++;
            expected.put(((Number) row.get("customer_id")).longValue(),
                    List.of(String.valueOf(email(row.get("email"))), String.valueOf(phone(row.get("phone")))));
        }
        assertTrue(padded > 3, "the generator pads some addresses: " + padded);
        assertRows(expected, "select customer_id, email, phone_digits from main_silver.slv_customers_clean");
    }

    @Test
    void everyCampaignReachesSomeoneWithinItsExpectedShare() {
        Map<String, BigDecimal> share = new HashMap<>();
        for (Map<String, Object> row : p.query("select campaign, members, audience_share from main_activation.campaign_audience_sizes")) {
            assertTrue(((Number) row.get("members")).longValue() > 0, row.toString());
            share.put(row.get("campaign").toString(), (BigDecimal) row.get("audience_share"));
        }
        assertEquals(Set.of("winback_at_risk_high_value", "vip_early_access", "lookalike_acquisition"), share.keySet());
        assertBetween(share.get("winback_at_risk_high_value"), "0.005", "0.06");
        assertBetween(share.get("vip_early_access"), "0.02", "0.10");
        assertBetween(share.get("lookalike_acquisition"), "0.02", "0.05");
        // Win-back members are valuable customers who fell away: recent spend on average below half of earlier.
        List<Map<String, Object>> w = p.query("select avg(spend_90d) as recent, avg(spend_90d_earlier_avg) as earlier, "
                + "min(ltv_before_decline) as least_value from main_activation.winback_at_risk_high_value");
        double recent = ((Number) w.get(0).get("recent")).doubleValue(), earlier = ((Number) w.get(0).get("earlier")).doubleValue();
        assertTrue(recent < 0.5 * earlier, "win-back recent " + recent + " vs earlier " + earlier);
        double p80 = ((Number) p.scalar("select quantile_cont(ltv_before_decline, 0.8) from main_gold.customer_scores")).doubleValue();
        assertTrue(((Number) w.get(0).get("least_value")).doubleValue() >= p80 - 0.01, "win-back members are in the top fifth by earlier value");
    }

    @Test
    void churnLabelsFollowTheThresholdTheModelChoseAndFeedTheWinBackCampaign() {
        // One of the two models' thresholds in churn_metrics (the chosen one's) explains every predicted label.
        List<Map<String, Object>> thresholds = p.query("select model, value from main_ml.churn_metrics where metric = 'threshold'");
        assertEquals(2, thresholds.size());
        long consistent = 0;
        for (Map<String, Object> t : thresholds) {
            double threshold = ((Number) t.get("value")).doubleValue();
            long mismatches = count("select count(*) from main_ml.churn_predictions where label <> case when churn_probability >= "
                    + threshold + " then 1 else 0 end");
            if (mismatches == 0) consistent++;
        }
        assertTrue(consistent >= 1, "labels follow a threshold in churn_metrics: " + thresholds);
        long predicted = count("select count(*) from main_ml.churn_predictions where label = 1");
        long all = count("select count(*) from main_ml.churn_predictions");
        assertTrue(predicted > 0 && predicted < all, predicted + " of " + all + " predicted to churn");
        // The win-back audience recomputed from customer_scores by its definition, within the master segment
        // (customers with an e-mail on file).
        long expected = count("select count(*) from main_gold.customer_scores where ltv_before_decline >= "
                + "(select quantile_cont(ltv_before_decline, 0.8) from main_gold.customer_scores) "
                + "and (spend_90d < 0.5 * spend_90d_earlier_avg or churn_probability >= 0.5) and email is not null");
        assertEquals(expected, count("select count(*) from main_activation.winback_at_risk_high_value"));
    }

    // ---- comparison helpers -----------------------------------------------------------------------------------

    private static void assertBetween(BigDecimal v, String lo, String hi) {
        assertTrue(v.compareTo(new BigDecimal(lo)) >= 0 && v.compareTo(new BigDecimal(hi)) <= 0, v + " not in [" + lo + ", " + hi + "]");
    }

    private long count(String sql) {
        return ((Number) p.scalar(sql)).longValue();
    }

    private void assertRows(Map<Long, List<String>> expected, String sql) {
        assertRows(expected, id -> ((Number) id).longValue(), sql);
    }

    /** Every row of the query (first column the key) equals the recomputed one; no row is missing or extra. */
    private void assertRows(Map<Long, List<String>> expected, ToLongFunction<Object> key, String sql) {
        Map<Long, List<String>> actual = new TreeMap<>();
        for (Map<String, Object> row : p.query(sql)) {
            List<Object> values = new ArrayList<>(row.values());
            List<String> rest = new ArrayList<>();
            for (Object v : values.subList(1, values.size())) rest.add(value(v));
            actual.put(key.applyAsLong(values.get(0)), rest);
        }
        assertEquals(expected.keySet(), actual.keySet(), sql);
        int differing = 0;
        StringBuilder first = new StringBuilder();
        for (Long id : expected.keySet()) {
            if (!expected.get(id).equals(actual.get(id))) {
                if (differing++ < 5) first.append("\n  ").append(id).append(": expected ").append(expected.get(id))
                        .append(" got ").append(actual.get(id));
            }
        }
        assertEquals(0, differing, differing + " of " + expected.size() + " rows differ for " + sql + first);
    }

    private static String value(Object v) {
        if (v == null) return "null";
        if (v instanceof BigDecimal d) return num(d);
        if (v instanceof Double || v instanceof Float) return num(new BigDecimal(v.toString()));
        if (v instanceof java.sql.Date || v instanceof LocalDate) return date(v).toString();
        return v.toString();
    }

    private static String num(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    static LocalDate date(Object v) {
        if (v instanceof LocalDate d) return d;
        if (v instanceof java.sql.Date d) return d.toLocalDate();
        if (v instanceof java.sql.Timestamp t) return t.toLocalDateTime().toLocalDate();
        return LocalDate.parse(v.toString().substring(0, 10));
    }
}
