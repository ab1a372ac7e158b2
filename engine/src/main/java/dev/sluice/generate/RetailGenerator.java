package dev.sluice.generate;

import dev.sluice.seed.ColumnType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import static dev.sluice.generate.RetailData.*;

/**
 * Synthetic retail-bank customers and card transactions for customer-segmentation exercises.
 *
 * <p>Determinism: every customer draws from random streams seeded by (spec seed, customer index, purpose)
 * alone, so a customer's rows do not depend on which other customers are generated, in what order or on
 * which thread. Generating index ranges separately and concatenating them gives the same rows as one pass.
 *
 * <p>Behaviour by {@link Segment} (seed 001's five segments and shares): travellers spend most and favour
 * travel, airline and hotel merchants and online channels; mid-spenders are steady; budget-conscious customers
 * buy small and in store; declining customers have a {@link DeclineType}: gradual (frequency and ticket size
 * decay over the window) or sudden (usual spend until a day 40 to 200 days before the end, then nothing or a
 * sixth of it), and 30% of them spent like High-Value Travelers before declining; new and growing customers
 * open their accounts inside the window (a third within the last 60 days) and ramp up. Spend follows the
 * calendar (holiday peak, January dip, summer travel). Overall about 15 transactions per customer-month;
 * amounts are below $10K.
 *
 * <p>Deliberate mess for the silver layer: about 1% of emails are upper/mixed-case or padded with
 * whitespace, tabs, no-break or zero-width spaces, and about 1% are malformed (no '@', doubled '@', no top-level domain, or blank); phones come
 * in five formats, about 1% padded with invisible characters, and about 0.5% are missing. About 1% of people ({@link #DUPLICATE_SHARE}) have a second
 * customer record: it follows the first immediately, has customer_id = customers + index + 1 (primary ids
 * are index + 1), the same names, address, age, employment and segment, the same email up to case and
 * surrounding whitespace, the same phone digits in another format, and its own card, credit limit and
 * later open date. Another 1% ({@link #FUZZY_DUPLICATE_SHARE}) have a second record sharing no exact key: a
 * typo in the first or last name (or both upper-cased), another e-mail or none, and either the same street
 * address written differently (abbreviated, upper-cased, "#" for the apartment, sometimes a typo) with a new
 * phone, or a new address with the phone mistyped by one digit. Either kind of second record has id
 * customers + index + 1, and about 30% of the person's transactions are made on it, at least one on each id.
 * About 2% of people ({@link #HOUSEHOLD_SHARE}) live with the person before them: same address, state, city and
 * last name, another first name; they are other people, which a matcher must not merge.
 */
public final class RetailGenerator {
    public static final List<String> CUSTOMER_COLUMNS = List.of("customer_id", "first_name", "last_name", "email",
            "phone", "age", "state", "city", "employment_status", "card_type", "credit_limit", "account_open_date",
            "hidden_segment", "decline_type", "street_address");
    public static final List<ColumnType> CUSTOMER_TYPES = List.of(ColumnType.BIGINT, ColumnType.TEXT, ColumnType.TEXT,
            ColumnType.TEXT, ColumnType.TEXT, ColumnType.BIGINT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT,
            ColumnType.TEXT, ColumnType.DECIMAL, ColumnType.DATE, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT);
    public static final List<String> TRANSACTION_COLUMNS = List.of("transaction_id", "customer_id", "transaction_date",
            "amount", "merchant", "merchant_category", "channel", "status");
    public static final List<ColumnType> TRANSACTION_TYPES = List.of(ColumnType.BIGINT, ColumnType.BIGINT,
            ColumnType.DATE, ColumnType.DECIMAL, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT);
    /**
     * Sizes of the decimal columns whose range the generator knows; the others take the warehouse's general decimal.
     * Amounts are whole cents from 0.50 to 9,999.99 (MAX_CENTS), so decimal(9, 2) holds each exactly, in 32 bits on
     * DuckDB, where the general decimal(38, 10) is a 128-bit column: costlier to append and store for 13.8M rows at
     * 50,000 customers, and to narrow to the project's decimal(18, 4) in silver. Credit limits (one per customer)
     * keep the general type, which silver passes on as it is.
     */
    public static final Map<String, DecimalSize> TRANSACTION_DECIMALS = Map.of("amount", new DecimalSize(9, 2));

    /**
     * Text columns of the generated tables whose values come from a short list (merchants, categories, channels,
     * statuses, campaigns, event types, platforms, traffic sources, funnel steps): a few dozen values at most.
     */
    public static final Set<String> FEW_VALUES = Set.of("merchant", "merchant_category", "channel", "status",
            "campaign_id", "event_type", "platform", "traffic_source", "funnel_step");

    /** A decimal column's precision and scale. */
    public record DecimalSize(int precision, int scale) {
    }

    public static final List<String> EMAIL_EVENT_COLUMNS = List.of("event_id", "customer_id", "campaign_id", "event_type",
            "event_date");
    public static final List<ColumnType> EMAIL_EVENT_TYPES = List.of(ColumnType.BIGINT, ColumnType.BIGINT, ColumnType.TEXT,
            ColumnType.TEXT, ColumnType.DATE);
    public static final List<String> SESSION_COLUMNS = List.of("session_id", "customer_id", "session_date", "platform",
            "traffic_source", "page_views", "funnel_step");
    public static final List<ColumnType> SESSION_TYPES = List.of(ColumnType.BIGINT, ColumnType.BIGINT, ColumnType.DATE,
            ColumnType.TEXT, ColumnType.TEXT, ColumnType.BIGINT, ColumnType.TEXT);
    /** The steps of the web and app purchase funnel, in order; a session records the deepest one it reached. */
    public static final List<String> FUNNEL_STEPS = List.of("landing", "product", "cart", "checkout", "purchase");

    /** Expected fraction of people with a second customer record sharing their e-mail and phone digits. */
    public static final double DUPLICATE_SHARE = 0.01;
    /**
     * Expected fraction of people with a second record that shares no exact key: a typo in the name, another
     * e-mail (or none), and either the same address written differently with a new phone, or a new address
     * with the phone mistyped by one digit. Only fuzzy matching on name + address or name + phone finds them.
     */
    public static final double FUZZY_DUPLICATE_SHARE = 0.01;
    /** Expected fraction of people living with the previous person: same address and last name, another first name. */
    public static final double HOUSEHOLD_SHARE = 0.02;
    /** transaction_id = (index + 1) * this + sequence within the person, so ids need no global counter. */
    static final long TRANSACTION_ID_STRIDE = 1_000_000L;

    // Independent random streams per customer; a new purpose gets a new number so existing ones don't shift.
    private static final int PROFILE = 1;
    private static final int COUNTS = 2;
    private static final int DETAILS = 3;
    private static final int DEMOGRAPHICS = 4;
    private static final int EMAILS = 5;
    private static final int SESSIONS = 6;
    private static final int FUZZY = 7;
    private static final int ADDRESS = 8;
    private static final int HOUSEHOLD = 9;

    private static final Segment[] SEGMENTS = Segment.values();
    private static final double[] SEGMENT_CUMULATIVE = cumulative(Arrays.stream(SEGMENTS).mapToDouble(Segment::share).toArray());
    /** Category weights per segment, in RetailData.CATEGORIES order. */
    private static final double[][] CATEGORY_CUMULATIVE = {
            cumulative(new double[]{12, 16, 9, 8, 8, 6, 10, 5, 8, 3, 5, 10}),
            cumulative(new double[]{24, 14, 2, 1, 1, 12, 12, 4, 8, 5, 8, 9}),
            cumulative(new double[]{32, 8, 0.5, 0.3, 0.2, 16, 10, 2, 5, 6, 14, 6}),
            cumulative(new double[]{26, 12, 2, 1, 1, 13, 10, 3, 7, 7, 10, 8}),
            cumulative(new double[]{18, 16, 2, 1, 1, 6, 20, 6, 12, 2, 4, 12})};
    /** Online / In-Store / Mobile per segment. */
    private static final double[][] CHANNEL_CUMULATIVE = {
            cumulative(new double[]{40, 35, 25}), cumulative(new double[]{25, 55, 20}),
            cumulative(new double[]{15, 70, 15}), cumulative(new double[]{20, 62, 18}),
            cumulative(new double[]{35, 20, 45})};
    private static final double[] SPEND_MULTIPLIER = {1.5, 1.0, 0.6, 0.95, 0.85};
    /** Share of New & Growing customers whose account opened within the last 60 days. */
    static final double NEW_IN_LAST_60_DAYS = 0.35;
    /** Share of Declining customers who spent like High-Value Travelers before declining. */
    static final double HIGH_VALUE_DECLINERS = 0.3;
    /** Card spend by calendar month (January first): the holiday peak, a post-holiday dip, summer travel. */
    private static final double[] SEASON = {0.9, 0.88, 0.97, 0.98, 1.0, 1.03, 1.06, 1.05, 0.97, 1.0, 1.08, 1.22};
    /** Seed 001's amount check: positive and below $10K; rarer tails are capped just below. */
    private static final long MAX_CENTS = 999_999;
    private static final double[] APPROVAL_RATE = {0.972, 0.972, 0.968, 0.955, 0.97};
    private static final int GAS = 5, ONLINE_RETAIL = 6, UTILITIES = 10, AIRLINES = 3;
    private static final double[] STATE_CUMULATIVE = cumulative(STATES.stream().mapToDouble(State::weight).toArray());
    private static final double[] DOMAIN_CUMULATIVE = cumulative(EMAIL_DOMAIN_WEIGHTS);
    private static final String[] FIRST_LOWER = lettersOnly(FIRST_NAMES);
    private static final String[] LAST_LOWER = lettersOnly(LAST_NAMES);

    private final RetailSpec spec;
    private final long seedKey;
    /** Every day of the window, shared so rows reuse immutable instances instead of allocating. */
    private final LocalDate[] days;
    /** monthStart[k] = index into days of month k's first day; monthStart[months] = days.length. */
    private final int[] monthStart;
    /**
     * The e-mail campaign of each day ("C20250630"), made once: building it for every send row cost more than the
     * rest of the row (the e-mail events are generated twice, once to count them for the progress total).
     */
    private final String[] campaigns;

    public RetailGenerator(RetailSpec spec) {
        this.spec = spec;
        this.seedKey = mix(spec.seed() ^ 0x5DEECE66DL);
        LocalDate start = spec.startDate();
        this.monthStart = new int[spec.months() + 1];
        for (int k = 0; k <= spec.months(); k++) {
            monthStart[k] = (int) (start.plusMonths(k).toEpochDay() - start.toEpochDay());
        }
        this.days = new LocalDate[monthStart[spec.months()]];
        for (int d = 0; d < days.length; d++) days[d] = start.plusDays(d);
        this.campaigns = new String[days.length];
        for (int d = 0; d < days.length; d++) campaigns[d] = "C" + days[d].toString().replace("-", "");
    }

    public RetailSpec spec() {
        return spec;
    }

    // ---- public streams -------------------------------------------------------------------------------

    /** All customer rows (people plus their duplicate records), in CUSTOMER_COLUMNS order. */
    public Iterator<List<Object>> customers() {
        return customers(0, spec.customers());
    }

    /** Customer rows of the people with index in [from, to). */
    public Iterator<List<Object>> customers(int from, int to) {
        checkRange(from, to);
        return new BlockIterator(from, to, this::customerRows);
    }

    /** All transactions, in TRANSACTION_COLUMNS order, grouped by person and by date within a person. */
    public Iterator<List<Object>> transactions() {
        return transactions(0, spec.customers());
    }

    /** Transactions of the people with index in [from, to). */
    public Iterator<List<Object>> transactions(int from, int to) {
        checkRange(from, to);
        return new BlockIterator(from, to, this::transactionRows);
    }

    /** E-mail events (send, open, click) of the people with index in [from, to), in EMAIL_EVENT_COLUMNS order. */
    public Iterator<List<Object>> emailEvents(int from, int to) {
        checkRange(from, to);
        return new BlockIterator(from, to, this::emailRows);
    }

    /** Web and app sessions of the people with index in [from, to), in SESSION_COLUMNS order. */
    public Iterator<List<Object>> sessions(int from, int to) {
        checkRange(from, to);
        return new BlockIterator(from, to, this::sessionRows);
    }

    /** Exact number of e-mail event rows; makes every draw of them (about 50 a person), so it costs a pass. */
    public long emailEventCount() {
        long n = 0;
        for (int i = 0; i < spec.customers(); i++) n += emailRows(i, null);
        return n;
    }

    /** Exact number of session rows; makes every draw of them (about 40 a person), so it costs a pass. */
    public long sessionCount() {
        long n = 0;
        for (int i = 0; i < spec.customers(); i++) n += sessionRows(i, null);
        return n;
    }

    /** Exact number of rows {@link #customers()} yields; cheap (draws only each person's profile). */
    public long customerRowCount() {
        long n = spec.customers();
        for (int i = 0; i < spec.customers(); i++) if (profile(i).duplicate) n++;
        return n;
    }

    /** Exact number of rows {@link #transactions()} yields; cheap (draws only monthly counts). */
    public long transactionCount() {
        long n = 0;
        for (int i = 0; i < spec.customers(); i++) n += sum(monthCounts(profile(i)));
        return n;
    }

    /** The segment of the person with this index (the hidden_segment answer key). */
    public Segment segmentOf(int index) {
        return profile(index).segment;
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > spec.customers() || from > to) {
            throw new IllegalArgumentException("customer range [" + from + ", " + to + ") is outside [0, " + spec.customers() + ")");
        }
    }

    // ---- per-person profile ---------------------------------------------------------------------------

    /** What transactions depend on; drawn from its own stream so counting rows stays cheap. */
    private record Profile(int index, Segment segment, boolean duplicate, boolean fuzzy, double activity, int openDay,
                           DeclineType decline, boolean highValue, int dropDay, double afterDrop) {
        /** Row of the category and channel tables: high-value decliners shop like travellers until they fade. */
        int style() {
            return highValue ? Segment.HIGH_VALUE_TRAVELERS.ordinal() : segment.ordinal();
        }
    }

    /** How a Declining customer declines (seed 001's decline_type); NONE for the other segments. */
    public enum DeclineType {
        NONE(null), GRADUAL("gradual"), SUDDEN("sudden");

        private final String label;

        DeclineType(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private Profile profile(int index) {
        SplittableRandom r = rng(index, PROFILE);
        Segment segment = SEGMENTS[pick(r, SEGMENT_CUMULATIVE)];
        // One draw for both kinds of second record, so adding the fuzzy kind left the exact ones where they were.
        double second = r.nextDouble();
        boolean duplicate = second < DUPLICATE_SHARE + FUZZY_DUPLICATE_SHARE;
        boolean fuzzy = duplicate && second >= DUPLICATE_SHARE;
        // Log-normal with mean 1: some customers simply use their card more than others of their segment.
        double activity = Math.exp(0.35 * r.nextGaussian() - 0.35 * 0.35 / 2);
        int openDay;
        if (segment == Segment.NEW_AND_GROWING) {
            // A third opened within the last 60 days (lifecycle 'new'); the rest inside the window before that.
            openDay = r.nextDouble() < NEW_IN_LAST_60_DAYS
                    ? days.length - r.nextInt(3, 60)
                    : (int) (days.length * (0.3 + 0.45 * r.nextDouble()));
        } else {
            openDay = -r.nextInt(90, 15 * 365);
        }
        DeclineType decline = DeclineType.NONE;
        boolean highValue = false;
        int dropDay = days.length;
        double afterDrop = 1;
        if (segment == Segment.DECLINING) {
            decline = r.nextDouble() < 0.5 ? DeclineType.GRADUAL : DeclineType.SUDDEN;
            highValue = r.nextDouble() < HIGH_VALUE_DECLINERS;
            // Sudden decliners spend as usual until a day 40 to 200 days before the end, then stop or nearly.
            int earliest = Math.max(0, days.length - 200), latest = Math.max(earliest + 1, days.length - 40);
            dropDay = r.nextInt(earliest, latest);
            afterDrop = r.nextDouble() < 0.5 ? 0 : 0.15;
            if (decline == DeclineType.GRADUAL) {
                dropDay = days.length;
                afterDrop = 1;
            }
        }
        return new Profile(index, segment, duplicate, fuzzy, activity, openDay, decline, highValue, dropDay, afterDrop);
    }

    private SplittableRandom rng(int index, int purpose) {
        return new SplittableRandom(mix(seedKey + index * 0x9E3779B97F4A7C15L + purpose * 0xD1B54A32D192ED03L));
    }

    /** SplitMix64's finaliser: adjacent inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- transaction counts -----------------------------------------------------------------------------

    private int[] monthCounts(Profile p) {
        SplittableRandom r = rng(p.index, COUNTS);
        int months = spec.months();
        int[] counts = new int[months];
        for (int k = 0; k < months; k++) {
            int lo = Math.max(monthStart[k], p.openDay);
            int hi = monthStart[k + 1] - 1;
            if (lo > hi) continue;
            double activeShare = (hi - lo + 1) / (double) (monthStart[k + 1] - monthStart[k]);
            double t = months == 1 ? 0 : k / (months - 1.0);
            double rate = switch (p.segment) {
                case HIGH_VALUE_TRAVELERS -> 24;
                case STABLE_MID_SPENDERS -> 17;
                case BUDGET_CONSCIOUS -> 13;
                case DECLINING -> (p.highValue ? 24 : 19) * switch (p.decline) {
                    case GRADUAL -> Math.exp(-2.2 * t);
                    // The share of the month before the drop at the usual rate, the rest at the reduced one.
                    default -> {
                        int before = Math.max(0, Math.min(hi + 1, p.dropDay) - lo);
                        yield (before + (hi - lo + 1 - before) * p.afterDrop) / (hi - lo + 1);
                    }
                };
                case NEW_AND_GROWING -> {
                    double monthsOpen = Math.max(0, ((lo + hi) / 2.0 - p.openDay) / 30.44);
                    yield 22 * (1 - Math.exp(-(monthsOpen + 0.5) / 2.5));
                }
            };
            counts[k] = poisson(r, rate * p.activity * activeShare * SEASON[days[monthStart[k]].getMonthValue() - 1]);
        }
        // Everyone transacts at least once (twice with a duplicate record: once per id); the last month is
        // always active because New & Growing customers open before 85% of the window.
        int min = p.duplicate ? 2 : 1;
        int total = sum(counts);
        if (total < min) counts[months - 1] += min - total;
        // Unreachable with the rates above (a few hundred a month at most), but ids must never collide.
        if (sum(counts) >= TRANSACTION_ID_STRIDE) throw new IllegalStateException("too many transactions for customer " + p.index);
        return counts;
    }

    private static int poisson(SplittableRandom r, double lambda) {
        if (lambda <= 0) return 0;
        if (lambda > 30) return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * r.nextGaussian()));
        double limit = Math.exp(-lambda), product = r.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= r.nextDouble();
            n++;
        }
        return n;
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) s += v;
        return s;
    }

    // ---- transactions -------------------------------------------------------------------------------------

    // ---- engagement: e-mail and web/app sessions ----------------------------------------------------------

    /** A campaign e-mail goes to every customer every 14 days, on the 3rd day of the window and after. */
    static final int EMAIL_EVERY_DAYS = 14;
    private static final double[] OPEN_RATE = {0.38, 0.26, 0.17, 0.3, 0.32};
    private static final double CLICK_GIVEN_OPEN = 0.22;
    private static final double[] SESSIONS_PER_MONTH = {3.0, 2.0, 1.4, 2.2, 2.6};
    private static final double[] APP_SHARE = {0.5, 0.35, 0.3, 0.35, 0.6};
    private static final String[] TRAFFIC_SOURCES = {"email", "search", "social", "direct", "paid"};
    private static final double[] TRAFFIC_CUMULATIVE = cumulative(new double[]{20, 30, 15, 25, 10});
    /** Probability of going on from each funnel step to the next: product, cart, checkout, purchase. */
    private static final double[] FUNNEL_CONTINUE = {0.62, 0.4, 0.6, 0.7};

    /**
     * How engaged the person is on a day relative to their usual self: declining customers fade with their
     * spend (gradual decay, or a drop on the sudden decliner's drop day) and new ones warm up after opening.
     */
    private double engagement(Profile p, int day) {
        double t = days.length == 1 ? 0 : day / (days.length - 1.0);
        return switch (p.decline) {
            case GRADUAL -> Math.exp(-2.2 * t);
            case SUDDEN -> day < p.dropDay ? 1 : Math.max(0.1, p.afterDrop);
            case NONE -> p.segment == Segment.NEW_AND_GROWING
                    ? 1 - Math.exp(-(Math.max(0, day - p.openDay) / 30.44 + 0.5) / 2.5) : 1;
        };
    }

    private List<List<Object>> emailRows(int index) {
        List<List<Object>> rows = new ArrayList<>();
        emailRows(index, rows);
        return rows;
    }

    /**
     * Draws the person's e-mail events and adds them to rows, or with rows null only counts them: the same draws
     * either way, so the count is exact, without making rows that nobody reads (the progress total's pass).
     */
    private int emailRows(int index, List<List<Object>> rows) {
        Profile p = profile(index);
        SplittableRandom r = rng(index, EMAILS);
        Long id = (long) index + 1;
        long base = (long) index * TRANSACTION_ID_STRIDE + TRANSACTION_ID_STRIDE;
        int n = 0;
        double open = OPEN_RATE[p.segment.ordinal()] * Math.min(1.5, p.activity);
        for (int day = 2; day < days.length; day += EMAIL_EVERY_DAYS) {
            if (day < p.openDay) continue;
            String campaign = campaigns[day];
            n++;
            if (rows != null) rows.add(Arrays.asList(base + n, id, campaign, "send", days[day]));
            if (r.nextDouble() >= open * engagement(p, day)) continue;
            int opened = Math.min(days.length - 1, day + (r.nextDouble() < 0.7 ? 0 : r.nextInt(1, 4)));
            n++;
            if (rows != null) rows.add(Arrays.asList(base + n, id, campaign, "open", days[opened]));
            if (r.nextDouble() < CLICK_GIVEN_OPEN) {
                n++;
                if (rows != null) rows.add(Arrays.asList(base + n, id, campaign, "click", days[opened]));
            }
        }
        return n;
    }

    private List<List<Object>> sessionRows(int index) {
        List<List<Object>> rows = new ArrayList<>();
        sessionRows(index, rows);
        return rows;
    }

    /** As {@link #emailRows(int, List)}: the person's sessions added to rows, or with rows null only counted. */
    private int sessionRows(int index, List<List<Object>> rows) {
        Profile p = profile(index);
        SplittableRandom r = rng(index, SESSIONS);
        Long id = (long) index + 1;
        long base = (long) index * TRANSACTION_ID_STRIDE + TRANSACTION_ID_STRIDE;
        int seg = p.segment.ordinal();
        int count = 0;
        for (int k = 0; k < spec.months(); k++) {
            int lo = Math.max(monthStart[k], p.openDay), hi = monthStart[k + 1];
            if (lo >= hi) continue;
            double share = (hi - lo) / (double) (monthStart[k + 1] - monthStart[k]);
            int n = poisson(r, SESSIONS_PER_MONTH[seg] * p.activity * share * engagement(p, (lo + hi) / 2));
            int[] sessionDays = new int[n];
            for (int j = 0; j < n; j++) sessionDays[j] = r.nextInt(lo, hi);
            Arrays.sort(sessionDays);
            for (int day : sessionDays) {
                String platform = r.nextDouble() < APP_SHARE[seg] ? "app" : "web";
                String source = platform.equals("app") && r.nextDouble() < 0.5 ? "direct" : TRAFFIC_SOURCES[pick(r, TRAFFIC_CUMULATIVE)];
                int step = 0;
                while (step < FUNNEL_CONTINUE.length && r.nextDouble() < FUNNEL_CONTINUE[step]) step++;
                long pages = step + 1 + poisson(r, 2.5);
                count++;
                if (rows != null) rows.add(Arrays.asList(base + count, id, days[day], platform, source, pages, FUNNEL_STEPS.get(step)));
            }
        }
        return count;
    }

    private static final String APPROVED = "Approved", DECLINED = "Declined", PENDING = "Pending", REFUNDED = "Refunded";

    private List<List<Object>> transactionRows(int index) {
        Profile p = profile(index);
        int[] counts = monthCounts(p);
        SplittableRandom r = rng(index, DETAILS);
        int total = sum(counts);
        int[] day = new int[total];
        int at = 0;
        for (int k = 0; k < counts.length; k++) {
            int lo = Math.max(monthStart[k], p.openDay);
            int hi = monthStart[k + 1];
            int first = at;
            // A stopped sudden decliner buys nothing after the drop day.
            if (p.afterDrop == 0 && p.dropDay < hi && p.dropDay > lo) hi = p.dropDay;
            for (int j = 0; j < counts[k]; j++) day[at++] = r.nextInt(lo, hi);
            Arrays.sort(day, first, at);
        }
        boolean[] onDuplicate = new boolean[total];
        if (p.duplicate) {
            boolean any = false, all = true;
            for (int j = 0; j < total; j++) {
                onDuplicate[j] = r.nextDouble() < 0.3;
                any |= onDuplicate[j];
                all &= onDuplicate[j];
            }
            if (!any) onDuplicate[total - 1] = true;
            if (all) onDuplicate[0] = false;
        }
        Long primaryId = (long) index + 1;
        Long duplicateId = (long) spec.customers() + index + 1;
        int seg = p.style();
        double[] categories = CATEGORY_CUMULATIVE[seg];
        List<List<Object>> rows = new ArrayList<>(total);
        for (int j = 0; j < total; j++) {
            double t = days.length == 1 ? 0 : day[j] / (days.length - 1.0);
            int cat = pick(r, categories);
            String[] merchants = MERCHANTS[cat];
            // Skewed towards the first merchants of a category, as real spend concentrates on a few brands.
            String merchant = merchants[(int) (merchants.length * Math.pow(r.nextDouble(), 1.6))];
            double spend = CATEGORY_MEDIAN[cat] * SPEND_MULTIPLIER[seg] * Math.exp(CATEGORY_SIGMA[cat] * r.nextGaussian());
            if (p.decline == DeclineType.GRADUAL) spend *= 1 - 0.3 * t;
            if (p.decline == DeclineType.SUDDEN && day[j] >= p.dropDay) spend *= 0.7;
            long cents = Math.min(MAX_CENTS, Math.max(50, Math.round(spend * 100)));
            String channel = channel(r, cat, seg);
            String status = status(r, seg);
            rows.add(Arrays.asList(index * TRANSACTION_ID_STRIDE + TRANSACTION_ID_STRIDE + j + 1,
                    onDuplicate[j] ? duplicateId : primaryId, days[day[j]], BigDecimal.valueOf(cents, 2),
                    merchant, CATEGORIES[cat], channel, status));
        }
        return rows;
    }

    private static String channel(SplittableRandom r, int category, int segment) {
        double u = r.nextDouble();
        return switch (category) {
            case GAS -> u < 0.92 ? CHANNELS[1] : CHANNELS[2];
            case ONLINE_RETAIL -> u < 0.7 ? CHANNELS[0] : CHANNELS[2];
            case UTILITIES -> u < 0.6 ? CHANNELS[0] : CHANNELS[2];
            case AIRLINES -> u < 0.65 ? CHANNELS[0] : u < 0.7 ? CHANNELS[1] : CHANNELS[2];
            default -> CHANNELS[pickWith(u, CHANNEL_CUMULATIVE[segment])];
        };
    }

    private static String status(SplittableRandom r, int segment) {
        double u = r.nextDouble();
        if (u < APPROVAL_RATE[segment]) return APPROVED;
        double v = (u - APPROVAL_RATE[segment]) / (1 - APPROVAL_RATE[segment]);
        return v < 0.6 ? DECLINED : v < 0.8 ? PENDING : REFUNDED;
    }

    // ---- customers -----------------------------------------------------------------------------------------

    private List<List<Object>> customerRows(int index) {
        Profile p = profile(index);
        Person person = person(index, p);
        if (!p.duplicate) return List.of(person.row);
        SplittableRandom r = person.rest;
        int seg = p.style();
        LocalDate reopened = person.opened.plusDays(r.nextInt(30, 900));
        if (reopened.isAfter(spec.endDate())) reopened = spec.endDate();
        List<Object> row = person.row;
        Long id = (long) spec.customers() + index + 1;
        if (!p.fuzzy) {
            List<Object> duplicate = Arrays.asList(id, row.get(1), row.get(2), caseOrSpaceVariant(r, person.cleanEmail),
                    formatPhone(person.digits, (person.phoneFormat + 1 + r.nextInt(PHONE_FORMATS - 1)) % PHONE_FORMATS),
                    row.get(5), row.get(6), row.get(7), row.get(8), cardType(r, seg), creditLimit(r, p.segment), reopened,
                    row.get(12), row.get(13), person.address.canonical());
            return List.of(row, duplicate);
        }
        // The fuzzy second record draws from its own stream, so the exact duplicates above stay as they were.
        SplittableRandom z = rng(index, FUZZY);
        String first = FIRST_NAMES[person.first], last = LAST_NAMES[person.last];
        double u = z.nextDouble();
        boolean typoInFirst = first.length() > 3 && (u < 0.45 || last.length() <= 3);
        if (typoInFirst) first = typo(z, first);
        else if (last.length() > 3 && u < 0.9) last = typo(z, last);
        else {
            first = first.toUpperCase(Locale.ROOT);
            last = last.toUpperCase(Locale.ROOT);
        }
        String email = ""; // none given: blank, as the malformed addresses' worst case
        if (z.nextDouble() >= 0.4) {
            int domain = (person.domain + 1 + z.nextInt(EMAIL_DOMAINS.length - 1)) % EMAIL_DOMAINS.length;
            email = FIRST_LOWER[person.first] + LAST_LOWER[person.last].charAt(0) + (index + 1) + "@" + EMAIL_DOMAINS[domain];
        }
        State state = person.state;
        String city, address, digits;
        if (z.nextDouble() < 0.6) {
            // Same home written another way, and a new phone number nobody else has.
            city = person.city;
            address = person.address.variant(z);
            digits = state.areaCode() + subscriber(spec.customers() + index);
        } else {
            // Moved house within the state, and the phone mistyped by one digit.
            city = state.cities()[z.nextInt(state.cities().length)];
            address = Address.draw(z).canonical();
            digits = phoneTypo(z, person.digits);
        }
        List<Object> fuzzy = Arrays.asList(id, first, last, email, formatPhone(digits, z.nextInt(PHONE_FORMATS)),
                row.get(5), state.code(), city, row.get(8), cardType(r, seg), creditLimit(r, p.segment), reopened,
                row.get(12), row.get(13), address);
        return List.of(row, fuzzy);
    }

    /**
     * A person's first record, with what their second record is made from. rest is the demographics stream
     * after the first record's draws, where the exact duplicate continues.
     */
    private record Person(List<Object> row, int first, int last, int domain, String cleanEmail, State state, String city,
                          Address address, String digits, int phoneFormat, LocalDate opened, SplittableRandom rest) {
    }

    /** Whether the person shares the home (address, state, city) and last name of the person before them. */
    private boolean household(int index) {
        return index > 0 && rng(index, HOUSEHOLD).nextDouble() < HOUSEHOLD_SHARE;
    }

    private Person person(int index, Profile p) {
        // A household member lives with the previous person (who may live with the one before): the hard case
        // for matching on name + address, as only the first name tells them apart.
        Person home = household(index) ? person(index - 1, profile(index - 1)) : null;
        SplittableRandom r = rng(index, DEMOGRAPHICS);
        int seg = p.style();
        int f = r.nextInt(FIRST_NAMES.length), l = r.nextInt(LAST_NAMES.length);
        if (home != null) {
            l = home.last;
            if (f == home.first) f = (f + 1) % FIRST_NAMES.length;
        }
        String local = switch (r.nextInt(4)) {
            case 0 -> FIRST_LOWER[f] + "." + LAST_LOWER[l];
            case 1 -> FIRST_LOWER[f].charAt(0) + LAST_LOWER[l];
            case 2 -> FIRST_LOWER[f] + LAST_LOWER[l];
            default -> FIRST_LOWER[f] + "_" + LAST_LOWER[l];
        };
        // The person's index makes every clean email unique, so only true duplicates share one.
        int domain = pick(r, DOMAIN_CUMULATIVE);
        String cleanEmail = local + (index + 1) + "@" + EMAIL_DOMAINS[domain];
        boolean exactDuplicate = p.duplicate && !p.fuzzy;
        double quirk = r.nextDouble();
        String email;
        if (quirk < 0.01) email = caseOrSpaceVariant(r, cleanEmail);
        else if (quirk < 0.02 && !exactDuplicate) email = malformed(r, cleanEmail);
        else email = cleanEmail;

        State state = STATES.get(pick(r, STATE_CUMULATIVE));
        String city = state.cities()[r.nextInt(state.cities().length)];
        Address address = Address.draw(rng(index, ADDRESS));
        if (home != null) {
            state = home.state;
            city = home.city;
            address = home.address;
        }
        String digits = state.areaCode() + subscriber(index);
        int phoneFormat = pick(r, PHONE_FORMAT_CUMULATIVE);
        String phone = r.nextDouble() < 0.005 && !exactDuplicate ? null : formatPhone(digits, phoneFormat);
        if (phone != null && r.nextDouble() < 0.01) phone = invisiblePadding(r, phone);

        int age = switch (p.segment) {
            case HIGH_VALUE_TRAVELERS -> r.nextInt(32, 63);
            case STABLE_MID_SPENDERS -> r.nextInt(27, 66);
            case BUDGET_CONSCIOUS -> r.nextInt(18, 76);
            case DECLINING -> r.nextInt(30, 81);
            case NEW_AND_GROWING -> r.nextInt(19, 35);
        };
        String employment = EMPLOYMENT[pick(r, employmentWeights(p.segment, age))];
        LocalDate opened = spec.startDate().plusDays(p.openDay);
        List<Object> row = Arrays.asList((long) index + 1, FIRST_NAMES[f], LAST_NAMES[l], email, phone, age,
                state.code(), city, employment, cardType(r, seg), creditLimit(r, p.segment), opened, p.segment.label(),
                p.decline.label(), address.canonical());
        return new Person(row, f, l, domain, cleanEmail, state, city, address, digits, phoneFormat, opened, r);
    }

    // A multiplicative bijection modulo 8,000,000 keeps subscriber numbers unique and exchanges 200-999.
    private static final long SUBSCRIBERS = 8_000_000L, MULTIPLIER = 7_654_321L, OFFSET = 1_234_567L;
    private static final long INVERSE = java.math.BigInteger.valueOf(MULTIPLIER)
            .modInverse(java.math.BigInteger.valueOf(SUBSCRIBERS)).longValue();

    private static long subscriber(long index) {
        return Math.floorMod(index * MULTIPLIER + OFFSET, SUBSCRIBERS) + 2_000_000L;
    }

    /** The index whose subscriber number this is (subscriber's inverse), or -1 when it is none's. */
    private static long subscriberIndex(long subscriber) {
        long s = subscriber - 2_000_000L;
        if (s < 0 || s >= SUBSCRIBERS) return -1;
        // Both factors are below 8,000,000, so the product fits in a long.
        return Math.floorMod(Math.floorMod(s - OFFSET, SUBSCRIBERS) * INVERSE, SUBSCRIBERS);
    }

    /**
     * The number with one digit of the subscriber part mistyped (replaced, or swapped with its neighbour within
     * the exchange or the line number), never one that belongs to any generated record.
     */
    private String phoneTypo(SplittableRandom z, String digits) {
        for (int attempt = 0; ; attempt++) {
            char[] d = digits.toCharArray();
            if (z.nextDouble() < 0.5) {
                int at = z.nextInt(3, 10);
                char c;
                do c = (char) ('0' + (at == 3 ? z.nextInt(2, 10) : z.nextInt(10))); while (c == d[at]);
                d[at] = c;
            } else {
                int at = z.nextDouble() < 0.4 ? z.nextInt(3, 5) : z.nextInt(6, 9);
                char t = d[at];
                d[at] = d[at + 1];
                d[at + 1] = t;
            }
            String typo = new String(d);
            long taken = subscriberIndex(Long.parseLong(typo.substring(3)));
            boolean free = !typo.equals(digits) && (taken < 0 || taken >= 2L * spec.customers());
            if (free) return typo;
            if (attempt > 50) throw new IllegalStateException("no free mistyped phone for " + digits);
        }
    }

    /** One letter of a name mistyped, never the first: swapped with the next, dropped, doubled or replaced. */
    private static String typo(SplittableRandom z, String name) {
        for (int attempt = 0; ; attempt++) {
            int at = z.nextInt(1, name.length() - 1);
            StringBuilder b = new StringBuilder(name);
            switch (z.nextInt(4)) {
                case 0 -> {
                    b.setCharAt(at, name.charAt(at + 1));
                    b.setCharAt(at + 1, name.charAt(at));
                }
                case 1 -> b.deleteCharAt(at);
                case 2 -> b.insert(at, name.charAt(at));
                default -> b.setCharAt(at, NEAR_KEYS.charAt(z.nextInt(NEAR_KEYS.length())));
            }
            String out = b.toString();
            if (!out.equalsIgnoreCase(name) && Character.isLetter(out.charAt(at)) || attempt > 20) return out;
        }
    }

    private static final String NEAR_KEYS = "aeiouyrtnsl";

    /** A street address: number, street, suffix and an optional apartment. */
    record Address(int number, int street, int suffix, int unit) {
        static Address draw(SplittableRandom r) {
            return new Address(r.nextInt(1, 10_000), r.nextInt(STREETS.length), r.nextInt(STREET_SUFFIXES.length),
                    r.nextDouble() < 0.3 ? r.nextInt(1, 40) : 0);
        }

        String canonical() {
            return number + " " + STREETS[street] + " " + STREET_SUFFIXES[suffix] + (unit > 0 ? " Apt " + unit : "");
        }

        /** The same address as people also write it: abbreviated, upper-cased, "#" for the apartment, a typo. */
        String variant(SplittableRandom z) {
            String name = z.nextDouble() < 0.2 && STREETS[street].length() > 4 ? typo(z, STREETS[street]) : STREETS[street];
            String suffixText = z.nextDouble() < 0.7 ? STREET_ABBREVIATIONS[suffix] + (z.nextBoolean() ? "." : "") : STREET_SUFFIXES[suffix];
            String unitText = unit == 0 ? "" : switch (z.nextInt(3)) {
                case 0 -> " #" + unit;
                case 1 -> ", Apt. " + unit;
                default -> " APT " + unit;
            };
            String out = number + " " + name + " " + suffixText + unitText;
            return z.nextDouble() < 0.25 ? out.toUpperCase(Locale.ROOT) : z.nextDouble() < 0.3 ? "  " + out.replace(" ", "  ") : out;
        }
    }

    private static final int PHONE_FORMATS = 5;
    private static final double[] PHONE_FORMAT_CUMULATIVE = cumulative(new double[]{30, 15, 15, 30, 10});

    private static String formatPhone(String d, int format) {
        String a = d.substring(0, 3), e = d.substring(3, 6), n = d.substring(6);
        return switch (format) {
            case 0 -> "(" + a + ") " + e + "-" + n;
            case 1 -> a + "." + e + "." + n;
            case 2 -> "+1 " + a + " " + e + " " + n;
            case 3 -> a + "-" + e + "-" + n;
            default -> d;
        };
    }

    /** Same address once lower-cased and stripped of whitespace and invisible characters. */
    private static String caseOrSpaceVariant(SplittableRandom r, String email) {
        return switch (r.nextInt(7)) {
            case 0 -> email.toUpperCase(Locale.ROOT);
            case 1 -> " " + capitalizeParts(email);
            case 2 -> capitalizeParts(email) + "  ";
            case 3 -> "\t" + email + " ";
            default -> invisiblePadding(r, email);
        };
    }

    /** Characters copy-paste leaves around values that plain trim() keeps: no-break and zero-width spaces. */
    private static final String[] INVISIBLE = {"\u00a0", "\u200b", "\ufeff", "\u2060", "\t", "\u202f", "\u3000"};

    private static String invisiblePadding(SplittableRandom r, String value) {
        return INVISIBLE[r.nextInt(INVISIBLE.length)] + value + INVISIBLE[r.nextInt(INVISIBLE.length)];
    }

    private static String capitalizeParts(String email) {
        StringBuilder sb = new StringBuilder(email.length());
        boolean up = true;
        for (char c : email.toCharArray()) {
            sb.append(up ? Character.toUpperCase(c) : c);
            up = c == '.' || c == '@' || c == '_';
        }
        return sb.toString();
    }

    private static String malformed(SplittableRandom r, String email) {
        int at = email.indexOf('@');
        return switch (r.nextInt(4)) {
            case 0 -> email.substring(0, at) + email.substring(at + 1);
            case 1 -> email.substring(0, at) + "@@" + email.substring(at + 1);
            case 2 -> email.substring(0, email.lastIndexOf('.'));
            default -> "";
        };
    }

    private static double[] employmentWeights(Segment s, int age) {
        // Employed, Self-Employed, Part-Time, Student, Retired, Unemployed
        if (age >= 65) return cumulative(new double[]{15, 8, 7, 0, 68, 2});
        return switch (s) {
            case HIGH_VALUE_TRAVELERS -> cumulative(new double[]{70, 25, 3, 0, 2, 0});
            case STABLE_MID_SPENDERS -> cumulative(new double[]{75, 10, 8, 2, 3, 2});
            case BUDGET_CONSCIOUS -> cumulative(new double[]{50, 6, 20, 12, 4, 8});
            case DECLINING -> cumulative(new double[]{55, 8, 12, 2, 8, 15});
            case NEW_AND_GROWING -> cumulative(new double[]{55, 8, 12, 22, 0, 3});
        };
    }

    private static final double[][] CARD_CUMULATIVE = {
            cumulative(new double[]{45, 45, 8, 2, 0, 0}), cumulative(new double[]{5, 5, 40, 30, 20, 0}),
            cumulative(new double[]{0, 0, 5, 30, 45, 20}), cumulative(new double[]{3, 2, 30, 25, 35, 5}),
            cumulative(new double[]{0, 5, 10, 40, 35, 10})};

    private static String cardType(SplittableRandom r, int segment) {
        return CARD_TYPES[pick(r, CARD_CUMULATIVE[segment])];
    }

    private static BigDecimal creditLimit(SplittableRandom r, Segment s) {
        int hundreds = switch (s) {
            case HIGH_VALUE_TRAVELERS -> r.nextInt(150, 501);
            case STABLE_MID_SPENDERS -> r.nextInt(50, 151);
            case BUDGET_CONSCIOUS -> r.nextInt(5, 41);
            case DECLINING -> r.nextInt(30, 121);
            case NEW_AND_GROWING -> r.nextInt(10, 51);
        };
        return BigDecimal.valueOf(hundreds * 10_000L, 2);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static double[] cumulative(double[] weights) {
        double total = 0;
        for (double w : weights) total += w;
        double[] c = new double[weights.length];
        double run = 0;
        for (int i = 0; i < weights.length; i++) {
            run += weights[i];
            c[i] = run / total;
        }
        c[c.length - 1] = 1.0;
        return c;
    }

    private static int pick(SplittableRandom r, double[] cumulative) {
        return pickWith(r.nextDouble(), cumulative);
    }

    private static int pickWith(double u, double[] cumulative) {
        for (int i = 0; i < cumulative.length; i++) if (u < cumulative[i]) return i;
        return cumulative.length - 1;
    }

    private static String[] lettersOnly(String[] names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) out[i] = names[i].toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        return out;
    }

    /** Flattens per-person row blocks into one row stream, generating one person at a time. */
    private static final class BlockIterator implements Iterator<List<Object>> {
        private final int to;
        private final IntFunction<List<List<Object>>> block;
        private int next;
        private List<List<Object>> current = List.of();
        private int pos;

        BlockIterator(int from, int to, IntFunction<List<List<Object>>> block) {
            this.next = from;
            this.to = to;
            this.block = block;
        }

        @Override
        public boolean hasNext() {
            while (pos >= current.size()) {
                if (next >= to) return false;
                current = block.apply(next++);
                pos = 0;
            }
            return true;
        }

        @Override
        public List<Object> next() {
            if (!hasNext()) throw new NoSuchElementException();
            return current.get(pos++);
        }
    }
}
