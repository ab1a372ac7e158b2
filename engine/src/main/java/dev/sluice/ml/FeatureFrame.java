package dev.sluice.ml;

import dev.sluice.adapter.RowSink;
import dev.sluice.adapter.Session;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rows of a query as a numeric matrix: one id per row, named double features and an optional 0/1 label.
 * Nulls in a feature are replaced by that column's mean over its non-null values, and the replaced cells
 * are remembered, so a reader can tell measured values from imputed ones. Immutable: accessors copy.
 */
public final class FeatureFrame {
    private final String idColumn;
    private final List<Object> ids;
    private final List<String> featureNames;
    private final double[][] values;
    private final String labelColumn;
    private final int[] labels;
    private final double[] imputationMeans;
    private final BitSet[] imputed;

    private FeatureFrame(String idColumn, List<Object> ids, List<String> featureNames, double[][] values,
                         String labelColumn, int[] labels, double[] imputationMeans, BitSet[] imputed) {
        this.idColumn = idColumn;
        this.ids = List.copyOf(ids);
        this.featureNames = List.copyOf(featureNames);
        this.values = values;
        this.labelColumn = labelColumn;
        this.labels = labels;
        this.imputationMeans = imputationMeans;
        this.imputed = imputed;
    }

    /** Runs sql and reads its rows as they arrive, without a map per row; see {@link #fromRows}. */
    public static FeatureFrame fromQuery(Session session, String sql, String idColumn, List<String> featureColumns,
                                         String labelColumn) {
        Reader reader = new Reader(idColumn, featureColumns, labelColumn);
        session.query(sql, reader);
        return reader.frame();
    }

    /**
     * @param rows           JDBC rows (column label to value)
     * @param featureColumns the features in order; empty means every column but the id and the label
     * @param labelColumn    a 0/1, boolean or "true"/"false" column, or null when there is no label
     */
    public static FeatureFrame fromRows(List<Map<String, Object>> rows, String idColumn, List<String> featureColumns,
                                        String labelColumn) {
        Reader reader = new Reader(idColumn, featureColumns, labelColumn);
        if (!rows.isEmpty()) {
            // Every row is read by the first row's labels, as before: hand-made maps need not share an order.
            List<String> labels = List.copyOf(rows.get(0).keySet());
            reader.columns(labels);
            Object[] values = new Object[labels.size()];
            for (Map<String, Object> row : rows) {
                for (int i = 0; i < values.length; i++) values[i] = row.get(labels.get(i));
                reader.row(values);
            }
        }
        return reader.frame();
    }

    /**
     * Builds a frame from rows given by position. Columns are found by label as in a row map: an exact label first,
     * then one differing in case; a label given twice reads its last column, as a map of the row keeps the last.
     */
    static final class Reader implements RowSink {
        private final String idColumn;
        private final List<String> featureColumns;
        private final String labelColumn;
        private List<String> labels;
        private String id;
        private String label;
        private List<String> features;
        private int idAt;
        private int labelAt;
        private int[] featureAt;
        private final List<Object> idValues = new ArrayList<>();
        private final List<double[]> x = new ArrayList<>();
        private BitSet[] missing;
        private int[] y = new int[1024];

        Reader(String idColumn, List<String> featureColumns, String labelColumn) {
            this.idColumn = idColumn;
            this.featureColumns = featureColumns;
            this.labelColumn = labelColumn;
        }

        @Override
        public void columns(List<String> labels) {
            this.labels = List.copyOf(labels);
        }

        /** The columns are resolved at the first row: a result without rows fails on that, not on its columns. */
        private void resolve() {
            List<String> keys = new ArrayList<>(new java.util.LinkedHashSet<>(labels));
            id = column(keys, idColumn);
            label = labelColumn == null ? null : column(keys, labelColumn);
            features = new ArrayList<>();
            if (featureColumns.isEmpty()) {
                for (String c : keys) if (!c.equals(id) && !c.equals(label)) features.add(c);
            } else {
                for (String c : featureColumns) features.add(column(keys, c));
            }
            if (features.isEmpty()) throw new MlException("no feature columns besides '" + id + "'");
            if (Set.copyOf(features).size() != features.size()) throw new MlException("duplicate feature columns " + features);
            idAt = labels.lastIndexOf(id);
            labelAt = label == null ? -1 : labels.lastIndexOf(label);
            featureAt = new int[features.size()];
            for (int j = 0; j < featureAt.length; j++) featureAt[j] = labels.lastIndexOf(features.get(j));
            missing = new BitSet[features.size()];
            for (int j = 0; j < missing.length; j++) missing[j] = new BitSet();
        }

        @Override
        public void row(Object[] values) {
            if (features == null) resolve();
            int i = x.size();
            Object idv = normalizeId(values[idAt]);
            if (idv == null) throw new MlException("id column '" + id + "' is null in row " + (i + 1));
            idValues.add(idv);
            double[] r = new double[featureAt.length];
            for (int j = 0; j < featureAt.length; j++) {
                Object v = values[featureAt[j]];
                if (v == null) {
                    missing[j].set(i);
                } else {
                    r[j] = number(v, features.get(j), idv);
                }
            }
            x.add(r);
            if (label != null) {
                if (i == y.length) y = Arrays.copyOf(y, 2 * i);
                y[i] = label(values[labelAt], label, idv);
            }
        }

        FeatureFrame frame() {
            if (x.isEmpty()) throw new MlException("no rows to learn from");
            int n = x.size();
            int d = features.size();
            double[][] rows = x.toArray(new double[0][]);
            double[] means = new double[d];
            for (int j = 0; j < d; j++) {
                int present = n - missing[j].cardinality();
                if (present == 0) throw new MlException("feature column '" + features.get(j) + "' is null in every row");
                double sum = 0;
                for (int i = 0; i < n; i++) if (!missing[j].get(i)) sum += rows[i][j];
                means[j] = sum / present;
                for (int i = missing[j].nextSetBit(0); i >= 0; i = missing[j].nextSetBit(i + 1)) rows[i][j] = means[j];
            }
            return new FeatureFrame(id, idValues, features, rows, label, label == null ? null : Arrays.copyOf(y, n),
                    means, missing);
        }
    }

    /** A frame over already-numeric data, e.g. for tests or derived features. No cell counts as imputed. */
    public static FeatureFrame of(String idColumn, List<?> ids, List<String> featureNames, double[][] values,
                                  String labelColumn, int[] labels) {
        int n = ids.size();
        if (values.length != n || (labels != null && labels.length != n)) {
            throw new IllegalArgumentException("ids, values and labels differ in length");
        }
        double[][] x = new double[n][];
        double[] means = new double[featureNames.size()];
        for (int i = 0; i < n; i++) {
            if (values[i].length != featureNames.size()) throw new IllegalArgumentException("row " + i + " has the wrong width");
            x[i] = values[i].clone();
            for (int j = 0; j < means.length; j++) means[j] += x[i][j] / n;
        }
        BitSet[] none = new BitSet[featureNames.size()];
        for (int j = 0; j < none.length; j++) none[j] = new BitSet();
        List<Object> idv = new ArrayList<>();
        for (Object o : ids) idv.add(normalizeId(o));
        return new FeatureFrame(idColumn, idv, featureNames, x, labels == null ? null : labelColumn,
                labels == null ? null : labels.clone(), means, none);
    }

    /** The rows at the given indexes, in that order; imputation means stay those of the whole frame. */
    public FeatureFrame subset(int[] rows) {
        List<Object> idv = new ArrayList<>(rows.length);
        double[][] x = new double[rows.length][];
        int[] y = labels == null ? null : new int[rows.length];
        BitSet[] miss = new BitSet[imputed.length];
        for (int j = 0; j < miss.length; j++) miss[j] = new BitSet(rows.length);
        for (int k = 0; k < rows.length; k++) {
            idv.add(ids.get(rows[k]));
            x[k] = values[rows[k]].clone();
            if (y != null) y[k] = labels[rows[k]];
            for (int j = 0; j < miss.length; j++) if (imputed[j].get(rows[k])) miss[j].set(k);
        }
        return new FeatureFrame(idColumn, idv, featureNames, x, labelColumn, y, imputationMeans, miss);
    }

    private static String column(List<String> keys, String wanted) {
        if (keys.contains(wanted)) return wanted;
        for (String c : keys) if (c.equalsIgnoreCase(wanted)) return c;
        throw new MlException("column '" + wanted + "' is not in the query's result; it has " + keys);
    }

    /** Integral ids become Long so that 7, 7L and 7.0 (as decimal) name the same customer. */
    static Object normalizeId(Object v) {
        if (v == null) return null;
        if (v instanceof Long) return v;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof BigInteger b) return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        if (v instanceof BigDecimal b) {
            try {
                return b.longValueExact();
            } catch (ArithmeticException e) {
                return b.toPlainString();
            }
        }
        return v.toString();
    }

    private static double number(Object v, String column, Object id) {
        if (v instanceof Number num) {
            double d = num.doubleValue();
            if (!Double.isFinite(d)) throw new MlException("feature column '" + column + "' is not finite (" + v + ") for id " + id);
            return d;
        }
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw new MlException("feature column '" + column + "' is not numeric: " + v.getClass().getSimpleName()
                + " value '" + v + "' for id " + id + "; cast or encode it in SQL first");
    }

    private static int label(Object v, String column, Object id) {
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (v instanceof Number num) {
            double d = num.doubleValue();
            if (d == 0 || d == 1) return (int) d;
        }
        if (v instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "1", "true", "t", "yes", "y" -> { return 1; }
                case "0", "false", "f", "no", "n" -> { return 0; }
                default -> { }
            }
        }
        throw new MlException("label column '" + column + "' must be 0/1 or boolean, got '" + v + "' for id " + id);
    }

    public String idColumn() {
        return idColumn;
    }

    public List<Object> ids() {
        return ids;
    }

    public Object id(int row) {
        return ids.get(row);
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int rows() {
        return ids.size();
    }

    public int width() {
        return featureNames.size();
    }

    public double value(int row, int feature) {
        return values[row][feature];
    }

    public double[] row(int row) {
        return values[row].clone();
    }

    public double[][] values() {
        double[][] c = new double[values.length][];
        for (int i = 0; i < values.length; i++) c[i] = values[i].clone();
        return c;
    }

    public boolean hasLabel() {
        return labels != null;
    }

    public String labelColumn() {
        return labelColumn;
    }

    public int label(int row) {
        if (labels == null) throw new IllegalStateException("frame has no label column");
        return labels[row];
    }

    public int[] labels() {
        if (labels == null) throw new IllegalStateException("frame has no label column");
        return labels.clone();
    }

    /** The value a null in each feature was replaced with (the mean of its non-null values). */
    public double[] imputationMeans() {
        return imputationMeans.clone();
    }

    public boolean isImputed(int row, int feature) {
        return imputed[feature].get(row);
    }

    /** How many cells of each feature were imputed. */
    public int[] imputedCounts() {
        return Arrays.stream(imputed).mapToInt(BitSet::cardinality).toArray();
    }

    /** Ids' index, for looking rows up by id. */
    public Map<Object, Integer> indexById() {
        Map<Object, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < ids.size(); i++) m.putIfAbsent(ids.get(i), i);
        return Collections.unmodifiableMap(m);
    }
}
