package dev.sluice.generate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seed 004's store data, deterministic for a seed: weekly internal sales per store and category, the need state
 * of each category, external market features per store, and the ground truth the clusterings are checked with.
 * Each store has a hidden internal archetype (how its sales split over need states) and, independently, an
 * external one (the market around it), so the two clusterings recover different groupings of the same stores.
 */
public final class StoreData {
    /** Categories by need state, in file order. */
    public static final Map<String, List<String>> NEED_STATES = needStates();
    public static final List<String> INTERNAL_ARCHETYPES = List.of("Fresh-focused", "Family stock-up", "Health & beauty",
            "Treats & convenience");
    /** Share of sales per need state (NEED_STATES order) for each internal archetype. */
    private static final double[][] NEED_STATE_MIX = {
            {0.46, 0.14, 0.08, 0.12, 0.20},
            {0.22, 0.31, 0.25, 0.12, 0.10},
            {0.20, 0.12, 0.10, 0.43, 0.15},
            {0.12, 0.15, 0.08, 0.10, 0.55}};
    public static final List<String> EXTERNAL_ARCHETYPES = List.of("Dense urban", "Affluent suburb", "Rural");
    /** Mean and spread of population density, median income, competitors, household size, market growth. */
    private static final double[][][] MARKET = {
            {{9000, 1500}, {55000, 8000}, {12, 2.5}, {1.9, 0.25}, {0.02, 0.01}},
            {{2500, 600}, {110000, 15000}, {5, 1.5}, {2.8, 0.25}, {0.045, 0.01}},
            {{150, 70}, {47000, 7000}, {1.5, 0.8}, {2.6, 0.25}, {-0.01, 0.01}}};
    public static final List<String> SALES_COLUMNS = List.of("store_id", "week_start", "category", "units", "sales_amount");
    public static final List<String> MARKET_COLUMNS = List.of("store_id", "population_density", "median_income",
            "competitor_count", "avg_household_size", "market_growth");

    private final int stores;
    private final int weeks;
    private final long seed;
    private final LocalDate endDate;

    public StoreData(int stores, int weeks, long seed, LocalDate endDate) {
        if (stores < 8) throw new IllegalArgumentException("stores must be at least 8, got " + stores);
        if (weeks < 4) throw new IllegalArgumentException("weeks must be at least 4, got " + weeks);
        this.stores = stores;
        this.weeks = weeks;
        this.seed = seed;
        this.endDate = endDate;
    }

    public int stores() {
        return stores;
    }

    /** Store ids are 1..stores; archetypes go round-robin after a seeded shuffle, so each occurs. */
    public int internalArchetype(int store) {
        return shuffled(1)[store - 1] % INTERNAL_ARCHETYPES.size();
    }

    public int externalArchetype(int store) {
        return shuffled(2)[store - 1] % EXTERNAL_ARCHETYPES.size();
    }

    private int[] shuffled(long stream) {
        int[] order = new int[stores];
        for (int i = 0; i < stores; i++) order[i] = i;
        SplittableRandom r = new SplittableRandom(seed * 31 + stream);
        for (int i = stores - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** category, need_state rows. */
    public List<List<Object>> needStateRows() {
        List<List<Object>> rows = new ArrayList<>();
        NEED_STATES.forEach((state, cats) -> cats.forEach(c -> rows.add(List.of(c, state))));
        return rows;
    }

    /** Weekly sales rows in SALES_COLUMNS order: store, week start (a Monday), category, units, amount. */
    public List<List<Object>> salesRows() {
        List<List<Object>> rows = new ArrayList<>();
        LocalDate lastMonday = endDate.with(DayOfWeek.MONDAY);
        List<String> states = new ArrayList<>(NEED_STATES.keySet());
        for (int s = 1; s <= stores; s++) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + s);
            double[] mix = NEED_STATE_MIX[internalArchetype(s)];
            double size = 40_000 * Math.exp(r.nextGaussian() * 0.35);
            // A store's own tilt of each category within its need state, fixed over the weeks.
            Map<String, Double> tilt = new LinkedHashMap<>();
            for (List<String> cats : NEED_STATES.values()) for (String c : cats) tilt.put(c, Math.exp(r.nextGaussian() * 0.15));
            for (int w = weeks - 1; w >= 0; w--) {
                LocalDate week = lastMonday.minusWeeks(w);
                double season = 1 + 0.12 * Math.cos(2 * Math.PI * (week.getDayOfYear() - 350) / 365.0);
                double total = size * season * Math.exp(r.nextGaussian() * 0.05);
                for (int k = 0; k < states.size(); k++) {
                    List<String> cats = NEED_STATES.get(states.get(k));
                    double tiltSum = cats.stream().mapToDouble(tilt::get).sum();
                    for (String c : cats) {
                        double amount = total * mix[k] * tilt.get(c) / tiltSum * Math.exp(r.nextGaussian() * 0.04);
                        double price = 2.5 + 1.5 * (c.hashCode() & 7);
                        long cents = Math.round(amount * 100);
                        rows.add(Arrays.asList(s, week, c, Math.max(1, Math.round(amount / price)),
                                java.math.BigDecimal.valueOf(cents, 2)));
                    }
                }
            }
        }
        return rows;
    }

    /** One row of market features per store, in MARKET_COLUMNS order. */
    public List<List<Object>> marketRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (int s = 1; s <= stores; s++) {
            SplittableRandom r = new SplittableRandom(seed * 7_000_003L + s);
            double[][] m = MARKET[externalArchetype(s)];
            double density = Math.max(20, m[0][0] + r.nextGaussian() * m[0][1]);
            double income = Math.max(20_000, m[1][0] + r.nextGaussian() * m[1][1]);
            long competitors = Math.max(0, Math.round(m[2][0] + r.nextGaussian() * m[2][1]));
            double household = Math.round((m[3][0] + r.nextGaussian() * m[3][1]) * 100) / 100.0;
            double growth = Math.round((m[4][0] + r.nextGaussian() * m[4][1]) * 10_000) / 10_000.0;
            rows.add(Arrays.asList(s, Math.round(density * 10) / 10.0, Math.round(income), competitors, household, growth));
        }
        return rows;
    }

    /** store_id, internal_archetype, external_archetype: what the clusterings should find, never a feature. */
    public List<List<Object>> truthRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (int s = 1; s <= stores; s++) {
            rows.add(List.of(s, INTERNAL_ARCHETYPES.get(internalArchetype(s)), EXTERNAL_ARCHETYPES.get(externalArchetype(s))));
        }
        return rows;
    }

    private static Map<String, List<String>> needStates() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Fresh", List.of("produce", "bakery", "dairy", "meat"));
        m.put("Pantry", List.of("canned_goods", "pasta_rice", "breakfast"));
        m.put("Household", List.of("cleaning", "paper_goods", "pet_care"));
        m.put("Personal Care", List.of("health", "beauty", "baby"));
        m.put("Indulgence", List.of("snacks", "confectionery", "beverages"));
        return java.util.Collections.unmodifiableMap(m);
    }
}
