package dev.sluice.generate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetailGeneratorTest {
    private static final LocalDate END = LocalDate.of(2025, 6, 30);
    private static final RetailSpec LARGE = new RetailSpec(20_000, 6, 42L, END);

    /** Aggregates of one pass over the 20,000-customer set, shared by the statistical tests. */
    private static Stats stats;

    @BeforeAll
    static void generateOnce() {
        stats = Stats.of(new RetailGenerator(LARGE));
    }

    private static List<List<Object>> take(Iterator<List<Object>> it, int n) {
        List<List<Object>> out = new ArrayList<>();
        while (it.hasNext() && out.size() < n) out.add(it.next());
        return out;
    }

    /** Order-sensitive fingerprint of a whole stream. */
    private static long checksum(Iterator<List<Object>> it) {
        long h = 17;
        while (it.hasNext()) h = h * 31 + it.next().hashCode();
        return h;
    }

    @Test
    void sameSpecGivesIdenticalRows() {
        RetailSpec spec = new RetailSpec(3_000, 4, 7L, END);
        RetailGenerator a = new RetailGenerator(spec), b = new RetailGenerator(spec);
        assertEquals(take(a.customers(), 2_000), take(b.customers(), 2_000));
        assertEquals(take(a.transactions(), 20_000), take(b.transactions(), 20_000));
        assertEquals(checksum(a.customers()), checksum(b.customers()));
        assertEquals(checksum(a.transactions()), checksum(b.transactions()));
    }

    @Test
    void differentSeedGivesDifferentRows() {
        RetailGenerator a = new RetailGenerator(new RetailSpec(500, 3, 1L, END));
        RetailGenerator b = new RetailGenerator(new RetailSpec(500, 3, 2L, END));
        assertNotEquals(take(a.customers(), 100), take(b.customers(), 100));
        assertNotEquals(checksum(a.transactions()), checksum(b.transactions()));
    }

    @Test
    void rangesAndThreadsGiveTheSameRowsAsOnePass() {
        RetailGenerator gen = new RetailGenerator(new RetailSpec(1_000, 3, 99L, END));
        long whole = checksum(gen.transactions());
        // Uneven pieces generated in reverse order, then concatenated in index order.
        List<List<Object>> pieces = new ArrayList<>();
        int[] cuts = {0, 1, 333, 334, 999, 1_000};
        List<List<List<Object>>> parts = new ArrayList<>();
        for (int i = cuts.length - 2; i >= 0; i--) parts.add(0, take(gen.transactions(cuts[i], cuts[i + 1]), Integer.MAX_VALUE));
        parts.forEach(pieces::addAll);
        assertEquals(whole, checksum(pieces.iterator()));
        try (ParallelRows parallel = new ParallelRows(0, 1_000, 37, 3, gen::transactions)) {
            assertEquals(whole, checksum(parallel));
        }
        try (ParallelRows parallel = new ParallelRows(0, 1_000, 64, 2, gen::customers)) {
            assertEquals(checksum(gen.customers()), checksum(parallel));
        }
    }

    @Test
    void countsMatchTheStreams() {
        RetailGenerator gen = new RetailGenerator(new RetailSpec(800, 5, 3L, END));
        assertEquals(gen.customerRowCount(), take(gen.customers(), Integer.MAX_VALUE).size());
        assertEquals(gen.transactionCount(), take(gen.transactions(), Integer.MAX_VALUE).size());
        assertEquals(stats.customerRows, new RetailGenerator(LARGE).customerRowCount());
        assertEquals(stats.transactions, new RetailGenerator(LARGE).transactionCount());
    }

    @Test
    void segmentSharesAreWithinTwoPoints() {
        for (Segment s : Segment.values()) {
            double share = stats.peoplePerSegment.getOrDefault(s.label(), 0) / (double) LARGE.customers();
            assertEquals(s.share(), share, 0.02, s.label());
        }
    }

    @Test
    void aboutFifteenTransactionsPerCustomerMonth() {
        double perCustomerMonth = stats.transactions / (double) LARGE.customers() / LARGE.months();
        assertTrue(perCustomerMonth >= 12 && perCustomerMonth <= 18, "per customer-month: " + perCustomerMonth);
    }

    @Test
    void aboutNinetySevenPercentApproved() {
        double approved = stats.statuses.get("Approved") / (double) stats.transactions;
        assertEquals(0.97, approved, 0.015);
        assertEquals(Set.of("Approved", "Declined", "Pending", "Refunded"), stats.statuses.keySet());
    }

    @Test
    void onlyThreeChannels() {
        assertEquals(Set.of("Online", "In-Store", "Mobile"), stats.channels);
    }

    @Test
    void everyCustomerRecordHasATransactionAndNoTransactionIsOrphaned() {
        assertEquals(stats.customerIds, stats.transactingIds);
    }

    @Test
    void datesAreInTheWindowAndAmountsArePositiveCents() {
        assertFalse(stats.minDate.isBefore(LARGE.startDate()));
        assertFalse(stats.maxDate.isAfter(END));
        assertEquals(LocalDate.of(2025, 1, 1), LARGE.startDate());
        assertTrue(stats.amountsOk);
        assertTrue(stats.transactionIdsUnique);
    }

    @Test
    void aboutOnePercentDuplicateRecordsOfTheSamePerson() {
        // A duplicate has a new id but the same normalised email and phone digits as its person's first record.
        assertEquals(RetailGenerator.DUPLICATE_SHARE, stats.duplicatePairs / (double) LARGE.customers(), 0.003);
    }

    @Test
    void aboutOnePercentFuzzyDuplicatesThatShareNoExactKey() {
        int second = stats.customerRows - LARGE.customers();
        int fuzzy = second - stats.duplicatePairs;
        assertEquals(RetailGenerator.FUZZY_DUPLICATE_SHARE, fuzzy / (double) LARGE.customers(), 0.003);
        // Every one shares neither e-mail nor phone digits with its person, and is either the same home written
        // differently (same house number) or the same phone mistyped in exactly one digit or one adjacent swap.
        assertEquals(fuzzy, stats.fuzzySameHome + stats.fuzzyPhoneTypo, "each fuzzy record is of one kind");
        assertTrue(stats.fuzzySameHome > 0.4 * fuzzy && stats.fuzzyPhoneTypo > 0.25 * fuzzy, stats.fuzzySameHome + " / " + stats.fuzzyPhoneTypo);
        assertEquals(fuzzy, stats.fuzzyNameChanged, "each fuzzy record's name differs from its person's as written");
    }

    @Test
    void householdsShareAnAddressAndLastNameButNotAFirstName() {
        double share = stats.households / (double) LARGE.customers();
        assertEquals(RetailGenerator.HOUSEHOLD_SHARE, share, 0.005);
        // No two people (first records) share a phone number: only duplicates do.
        assertEquals(LARGE.customers(), stats.distinctPrimaryPhones + stats.primariesWithoutPhone);
    }

    @Test
    void segmentsBehaveDifferently() {
        // Declining customers buy much less in the last month than in the first; New & Growing the opposite.
        assertTrue(stats.firstLastMonth.get("Declining")[1] < 0.5 * stats.firstLastMonth.get("Declining")[0]);
        assertTrue(stats.firstLastMonth.get("New & Growing")[1] > 3 * stats.firstLastMonth.get("New & Growing")[0]);
        // Travellers put a far larger share of spend into travel categories than budget-conscious customers.
        assertTrue(stats.travelShare("High-Value Travelers") > 4 * stats.travelShare("Budget-Conscious"));
        assertTrue(stats.averageAmount("High-Value Travelers") > 2 * stats.averageAmount("Budget-Conscious"));
    }

    @Test
    void someEmailsAndPhonesNeedCleaning() {
        double badEmails = stats.untidyEmails / (double) stats.customerRows;
        assertTrue(badEmails > 0.01 && badEmails < 0.04, "untidy email share " + badEmails);
        assertTrue(stats.phoneFormats >= 5, "phone formats " + stats.phoneFormats);
    }

    @Test
    void declinersAreGradualOrSuddenAndSomeWereHighValue() {
        int decliners = stats.peoplePerSegment.get("Declining");
        assertEquals(decliners, stats.declineTypes.get("gradual") + stats.declineTypes.get("sudden"));
        assertEquals(0.5, stats.declineTypes.get("sudden") / (double) decliners, 0.05);
        assertEquals(Set.of("gradual", "sudden"), stats.declineTypes.keySet(), "only Declining customers have a decline_type");
        // Seed 001's high-value decliners: among the top fifth by early spend, some are Declining customers.
        List<Map.Entry<Long, BigDecimal>> early = new ArrayList<>(stats.earlySpend.entrySet());
        early.sort(Map.Entry.<Long, BigDecimal>comparingByValue().reversed());
        List<Map.Entry<Long, BigDecimal>> top = early.subList(0, early.size() / 5);
        long decliningInTop = top.stream().filter(e -> "Declining".equals(stats.segmentById.get(e.getKey()))).count();
        assertTrue(decliningInTop > 0.03 * top.size(), "Declining customers in the top fifth: " + decliningInTop);
    }

    @Test
    void someAccountsOpenedWithinTheLastSixtyDays() {
        double share = stats.openedLast60Days / (double) LARGE.customers();
        assertEquals(0.1 * 0.35, share, 0.01);
    }

    @Test
    void amountsAreBelowTenThousandDollars() {
        assertTrue(stats.maxAmount.compareTo(new BigDecimal("10000")) < 0, "largest amount " + stats.maxAmount);
    }

    @Test
    void spendPeaksInDecember() {
        RetailGenerator gen = new RetailGenerator(new RetailSpec(3_000, 12, 7L, END));
        Map<Integer, Long> perMonth = new HashMap<>();
        gen.transactions().forEachRemaining(t -> perMonth.merge(((LocalDate) t.get(2)).getMonthValue(), 1L, Long::sum));
        assertTrue(perMonth.get(12) > 1.2 * perMonth.get(1), "December " + perMonth.get(12) + " vs January " + perMonth.get(1));
        assertTrue(perMonth.get(12) > 1.1 * perMonth.get(10), "December " + perMonth.get(12) + " vs October " + perMonth.get(10));
    }

    @Test
    void engagementEventsAreDeterministicAndFollowTheSegments() {
        RetailGenerator gen = new RetailGenerator(new RetailSpec(2_000, 6, 42L, END));
        assertEquals(checksum(gen.emailEvents(0, 2_000)), checksum(new RetailGenerator(new RetailSpec(2_000, 6, 42L, END)).emailEvents(0, 2_000)));
        assertEquals(gen.emailEventCount(), take(gen.emailEvents(0, 2_000), Integer.MAX_VALUE).size());
        assertEquals(gen.sessionCount(), take(gen.sessions(0, 2_000), Integer.MAX_VALUE).size());
        Map<String, long[]> bySegment = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        gen.emailEvents(0, 2_000).forEachRemaining(e -> {
            assertTrue(ids.add((Long) e.get(0)), "unique event ids");
            String segment = gen.segmentOf((int) ((Long) e.get(1) - 1)).label();
            long[] c = bySegment.computeIfAbsent(segment, k -> new long[2]);
            if (e.get(3).equals("send")) c[0]++;
            if (e.get(3).equals("open")) c[1]++;
            // A campaign is named after the day it was sent (its send row's date): "C" and yyyyMMdd.
            if (e.get(3).equals("send")) {
                assertEquals("C" + java.time.format.DateTimeFormatter.BASIC_ISO_DATE.format((LocalDate) e.get(4)), e.get(2));
            }
        });
        double travelers = bySegment.get("High-Value Travelers")[1] / (double) bySegment.get("High-Value Travelers")[0];
        double budget = bySegment.get("Budget-Conscious")[1] / (double) bySegment.get("Budget-Conscious")[0];
        assertTrue(travelers > 1.5 * budget, "open rates " + travelers + " vs " + budget);
        Set<Object> steps = new HashSet<>(), platforms = new HashSet<>();
        gen.sessions(0, 2_000).forEachRemaining(x -> {
            steps.add(x.get(6));
            platforms.add(x.get(3));
            assertTrue((Long) x.get(5) >= RetailGenerator.FUNNEL_STEPS.indexOf((String) x.get(6)) + 1, "a page per funnel step");
        });
        assertEquals(Set.copyOf(RetailGenerator.FUNNEL_STEPS), steps);
        assertEquals(Set.of("web", "app"), platforms);
    }

    /** Whitespace and the invisible characters the generator pads values with. */
    private static final java.util.regex.Pattern INVISIBLE = java.util.regex.Pattern.compile("[\\s\\u00a0\\u200b\\u2060\\u202f\\u3000\\ufeff]");

    /** One streaming pass over customers and transactions; nothing but aggregates is kept. */
    private static final class Stats {
        int customerRows;
        long transactions;
        final Map<String, Integer> peoplePerSegment = new HashMap<>();
        final Map<String, Long> statuses = new HashMap<>();
        final Set<String> channels = new HashSet<>();
        final Set<Long> customerIds = new HashSet<>();
        final Set<Long> transactingIds = new HashSet<>();
        final Map<Long, String> segmentById = new HashMap<>();
        LocalDate minDate = LocalDate.MAX, maxDate = LocalDate.MIN;
        boolean amountsOk = true;
        boolean transactionIdsUnique = true;
        int duplicatePairs;
        int fuzzyNameChanged, fuzzySameHome, fuzzyPhoneTypo, households, primariesWithoutPhone, distinctPrimaryPhones;

        static String digits(String phone) {
            if (phone == null) return null;
            String d = phone.replaceAll("\\D", "");
            return d.length() == 11 && d.startsWith("1") ? d.substring(1) : d;
        }

        /** The two numbers differ in exactly one digit, or by one swap of neighbouring digits. */
        static boolean oneTypo(String a, String b) {
            if (a.length() != b.length() || a.equals(b)) return false;
            List<Integer> diff = new ArrayList<>();
            for (int i = 0; i < a.length(); i++) if (a.charAt(i) != b.charAt(i)) diff.add(i);
            if (diff.size() == 1) return true;
            return diff.size() == 2 && diff.get(1) == diff.get(0) + 1 && a.charAt(diff.get(0)) == b.charAt(diff.get(1))
                    && a.charAt(diff.get(1)) == b.charAt(diff.get(0));
        }
        int untidyEmails;
        int phoneFormats;
        final Map<String, long[]> firstLastMonth = new HashMap<>();
        final Map<String, BigDecimal[]> spend = new HashMap<>();
        final Map<String, Integer> declineTypes = new HashMap<>();
        final Map<Long, BigDecimal> earlySpend = new HashMap<>();
        int openedLast60Days;
        BigDecimal maxAmount = BigDecimal.ZERO;

        double travelShare(String segment) {
            BigDecimal[] s = spend.get(segment);
            return s[1].doubleValue() / s[0].doubleValue();
        }

        double averageAmount(String segment) {
            return spend.get(segment)[0].doubleValue() / spend.get(segment)[2].doubleValue();
        }

        static Stats of(RetailGenerator gen) {
            Stats s = new Stats();
            int people = gen.spec().customers();
            Map<Long, String> keyOfPrimary = new HashMap<>();
            Map<Long, List<Object>> primaryById = new HashMap<>();
            Set<String> primaryPhones = new HashSet<>();
            Set<String> formats = new HashSet<>();
            Iterator<List<Object>> cs = gen.customers();
            while (cs.hasNext()) {
                List<Object> c = cs.next();
                s.customerRows++;
                long id = (Long) c.get(0);
                String segment = (String) c.get(12);
                s.customerIds.add(id);
                s.segmentById.put(id, segment);
                String email = (String) c.get(3), phone = (String) c.get(4);
                if (!email.equals(email.strip().toLowerCase(Locale.ROOT)) || !email.matches("[a-z0-9._]+@[a-z]+\\.[a-z]+")) s.untidyEmails++;
                if (phone != null) formats.add(phone.replaceAll("\\d", "9"));
                String key = INVISIBLE.matcher(email).replaceAll("").toLowerCase(Locale.ROOT) + "|" + (phone == null ? "" : phone.replaceAll("\\D", "").replaceFirst("^1(?=\\d{10}$)", ""));
                if (id <= people) {
                    s.peoplePerSegment.merge(segment, 1, Integer::sum);
                    if (c.get(13) != null) s.declineTypes.merge((String) c.get(13), 1, Integer::sum);
                    if (((LocalDate) c.get(11)).isAfter(gen.spec().endDate().minusDays(60))) s.openedLast60Days++;
                    keyOfPrimary.put(id, key);
                    String address = (String) c.get(14);
                    List<Object> before = primaryById.get(id - 1);
                    if (before != null && address.equals(before.get(14)) && c.get(2).equals(before.get(2))
                            && !c.get(1).equals(before.get(1))) s.households++;
                    primaryById.put(id, c);
                    if (phone == null) s.primariesWithoutPhone++;
                    else primaryPhones.add(digits(phone));
                } else if (key.equals(keyOfPrimary.get(id - people))) {
                    s.duplicatePairs++;
                } else {
                    List<Object> primary = primaryById.get(id - people);
                    String address = (String) c.get(14);
                    String ownDigits = digits((String) primary.get(4)), theirs = phone == null ? null : digits(phone);
                    if (!(c.get(1) + " " + c.get(2)).equals(primary.get(1) + " " + primary.get(2))) s.fuzzyNameChanged++;
                    boolean sameHome = address.strip().split(" ")[0].equals(((String) primary.get(14)).split(" ")[0]);
                    if (sameHome && !java.util.Objects.equals(ownDigits, theirs)) s.fuzzySameHome++;
                    else if (ownDigits != null && theirs != null && oneTypo(ownDigits, theirs)) s.fuzzyPhoneTypo++;
                }
            }
            s.phoneFormats = formats.size();
            s.distinctPrimaryPhones = primaryPhones.size();
            LocalDate lastMonth = gen.spec().endDate().withDayOfMonth(1);
            LocalDate firstMonthEnd = gen.spec().startDate().plusMonths(1);
            Set<Long> txIds = new HashSet<>();
            Iterator<List<Object>> ts = gen.transactions();
            while (ts.hasNext()) {
                List<Object> t = ts.next();
                s.transactions++;
                s.transactionIdsUnique &= txIds.add((Long) t.get(0));
                long customer = (Long) t.get(1);
                s.transactingIds.add(customer);
                LocalDate d = (LocalDate) t.get(2);
                if (d.isBefore(s.minDate)) s.minDate = d;
                if (d.isAfter(s.maxDate)) s.maxDate = d;
                BigDecimal amount = (BigDecimal) t.get(3);
                s.amountsOk &= amount.scale() == 2 && amount.signum() > 0;
                if (amount.compareTo(s.maxAmount) > 0) s.maxAmount = amount;
                if (d.isBefore(gen.spec().startDate().plusMonths(3))) s.earlySpend.merge(customer > people ? customer - people : customer, amount, BigDecimal::add);
                s.channels.add((String) t.get(6));
                s.statuses.merge((String) t.get(7), 1L, Long::sum);
                String segment = s.segmentById.get(customer);
                long[] fl = s.firstLastMonth.computeIfAbsent(segment, k -> new long[2]);
                if (d.isBefore(firstMonthEnd)) fl[0]++;
                if (!d.isBefore(lastMonth)) fl[1]++;
                BigDecimal[] sp = s.spend.computeIfAbsent(segment, k -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                sp[0] = sp[0].add(amount);
                String category = (String) t.get(5);
                if (category.equals("Travel") || category.equals("Airlines") || category.equals("Hotels")) sp[1] = sp[1].add(amount);
                sp[2] = sp[2].add(BigDecimal.ONE);
            }
            return s;
        }
    }
}
