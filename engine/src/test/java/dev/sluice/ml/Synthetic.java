package dev.sluice.ml;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded synthetic customers, shaped like rows from Session.query. */
final class Synthetic {
    private Synthetic() {
    }

    /** Churners have low recent spend, few orders and a long time since their last order; some nulls. */
    static List<Map<String, Object>> churn(int n, long seed) {
        Random r = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double spend = Math.max(0, 120 + 60 * r.nextGaussian());
            int orders = (int) Math.max(0, Math.round(6 + 3 * r.nextGaussian()));
            int recency = (int) Math.max(0, Math.round(30 + 20 * r.nextGaussian()));
            double tenure = Math.max(1, 24 + 12 * r.nextGaussian());
            double logit = -0.5 - 0.03 * (spend - 120) - 0.35 * (orders - 6) + 0.06 * (recency - 30);
            boolean churned = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("customer_id", (long) (i + 1));
            row.put("recent_spend", r.nextDouble() < 0.03 ? null : BigDecimal.valueOf(Math.round(spend * 100), 2));
            row.put("orders_90d", orders);
            row.put("days_since_last_order", recency);
            row.put("tenure_months", r.nextDouble() < 0.05 ? null : tenure);
            row.put("churned", churned);
            rows.add(row);
        }
        return rows;
    }

    /** Four well-separated blobs in three features with different scales; returns the true blob per row. */
    static List<Map<String, Object>> blobs(int perBlob, long seed, int[][] truthOut) {
        Random r = new Random(seed);
        double[][] centers = {{20, 2, 90}, {200, 12, 10}, {60, 25, 40}, {300, 3, 120}};
        double[] spread = {8, 1.2, 6};
        List<Map<String, Object>> rows = new ArrayList<>();
        int[] truth = new int[perBlob * centers.length];
        int id = 0;
        for (int b = 0; b < centers.length; b++) {
            for (int i = 0; i < perBlob; i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("customer_id", (long) (id + 1));
                row.put("spend", centers[b][0] + spread[0] * r.nextGaussian());
                row.put("frequency", centers[b][1] + spread[1] * r.nextGaussian());
                row.put("recency", centers[b][2] + spread[2] * r.nextGaussian());
                rows.add(row);
                truth[id++] = b;
            }
        }
        truthOut[0] = truth;
        return rows;
    }
}
