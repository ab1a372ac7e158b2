package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.error.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Compares two relations with the same columns row by row on a key, entirely in the warehouse: one full outer
 * join on the key counts matched keys, keys on one side only and, per column, the matched rows whose values differ
 * (null-safe: null and null are equal); small further queries fetch row counts and samples. Only counts and the
 * samples ever reach the JVM.
 *
 * <p>"current" is the relation being checked (the dev build), "against" the baseline (prod): a key only in current
 * is added, a key only in against is removed.
 */
public final class DataDiff {
    /** One side of the comparison. */
    public record Side(String target, Relation relation, long rows) {
    }

    /** A column both sides have with a different data type; its values are compared as text. */
    public record Retyped(String column, String currentType, String againstType) {
    }

    /** A column's value on both sides of a matched key. */
    public record Values(Object current, Object against) {
    }

    /** A matched key whose row differs, with the columns that differ. */
    public record ChangedRow(Map<String, Object> key, Map<String, Values> values) {
    }

    /**
     * @param compared       non-key columns on both sides, compared value by value
     * @param changedRows    matched keys with at least one differing compared column
     * @param changedValues  per compared column, the matched keys whose value differs (every compared column listed)
     */
    public record Result(Side current, Side against, List<String> key, long matched, long added, long removed,
                         List<String> compared, List<String> onlyInCurrent, List<String> onlyInAgainst,
                         List<Retyped> retyped, long changedRows, Map<String, Long> changedValues,
                         List<Map<String, Object>> addedSample, List<Map<String, Object>> removedSample,
                         List<ChangedRow> changedSample) {
        /** Same columns, same keys, same values. */
        public boolean identical() {
            return added == 0 && removed == 0 && changedRows == 0 && onlyInCurrent.isEmpty() && onlyInAgainst.isEmpty()
                    && retyped.isEmpty();
        }
    }

    private final Adapter adapter;

    public DataDiff(Adapter adapter) {
        this.adapter = adapter;
    }

    /**
     * @param key   key columns (matched to both sides' columns without regard to case)
     * @param limit rows in each sample
     */
    public Result compare(Session s, String currentTarget, Relation current, String againstTarget, Relation against,
                          List<String> key, int limit) {
        List<ColumnInfo> a = columnsOf(s, current, currentTarget);
        List<ColumnInfo> b = columnsOf(s, against, againstTarget);
        Map<String, ColumnInfo> bByName = new LinkedHashMap<>();
        b.forEach(c -> bByName.put(c.name().toLowerCase(Locale.ROOT), c));
        Map<String, ColumnInfo> aByName = new LinkedHashMap<>();
        a.forEach(c -> aByName.put(c.name().toLowerCase(Locale.ROOT), c));

        List<String> keyA = new ArrayList<>();
        List<String> keyB = new ArrayList<>();
        for (String k : key) {
            ColumnInfo ca = aByName.get(k.toLowerCase(Locale.ROOT));
            ColumnInfo cb = bByName.get(k.toLowerCase(Locale.ROOT));
            if (ca == null || cb == null) {
                throw new ConfigException("diff: key column '" + k + "' is not a column of "
                        + (ca == null ? current.display() + " (" + label(currentTarget) + ")"
                        : against.display() + " (" + label(againstTarget) + ")"));
            }
            keyA.add(ca.name());
            keyB.add(cb.name());
        }
        List<String> keyLower = keyA.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();

        List<String> compared = new ArrayList<>();
        List<String> comparedB = new ArrayList<>();
        List<Retyped> retyped = new ArrayList<>();
        List<String> onlyA = new ArrayList<>();
        for (ColumnInfo ca : a) {
            String lower = ca.name().toLowerCase(Locale.ROOT);
            if (keyLower.contains(lower)) continue;
            ColumnInfo cb = bByName.get(lower);
            if (cb == null) {
                onlyA.add(ca.name());
                continue;
            }
            compared.add(ca.name());
            comparedB.add(cb.name());
            if (!ca.dataType().equalsIgnoreCase(cb.dataType())) retyped.add(new Retyped(ca.name(), ca.dataType(), cb.dataType()));
        }
        List<String> onlyB = b.stream().map(ColumnInfo::name)
                .filter(n -> !aByName.containsKey(n.toLowerCase(Locale.ROOT))).toList();

        long rowsA = count(s, current);
        long rowsB = count(s, against);
        requireUnique(s, current, keyA, currentTarget);
        requireUnique(s, against, keyB, againstTarget);

        String from = " from (select t.*, 1 as " + q("sluice_in_current") + " from " + adapter.render(current) + " t) a"
                + " full outer join (select t.*, 1 as " + q("sluice_in_against") + " from " + adapter.render(against) + " t) b on "
                + String.join(" and ", java.util.stream.IntStream.range(0, keyA.size())
                .mapToObj(i -> "a." + q(keyA.get(i)) + " = b." + q(keyB.get(i))).toList());
        String both = "a." + q("sluice_in_current") + " = 1 and b." + q("sluice_in_against") + " = 1";
        List<String> distinct = new ArrayList<>();
        for (int i = 0; i < compared.size(); i++) distinct.add(differs(compared.get(i), comparedB.get(i), retyped));

        StringBuilder summary = new StringBuilder("select sum(case when ").append(both).append(" then 1 else 0 end) as ")
                .append(q("matched"))
                .append(", sum(case when b.").append(q("sluice_in_against")).append(" is null then 1 else 0 end) as ").append(q("added"))
                .append(", sum(case when a.").append(q("sluice_in_current")).append(" is null then 1 else 0 end) as ").append(q("removed"));
        String anyDiffers = distinct.isEmpty() ? "1 = 0" : "(" + String.join(" or ", distinct) + ")";
        summary.append(", sum(case when ").append(both).append(" and ").append(anyDiffers).append(" then 1 else 0 end) as ")
                .append(q("changed"));
        for (int i = 0; i < distinct.size(); i++) {
            summary.append(", sum(case when ").append(both).append(" and ").append(distinct.get(i))
                    .append(" then 1 else 0 end) as ").append(q("d" + i));
        }
        summary.append(from);
        Map<String, Object> row = s.query(summary.toString()).get(0);
        Map<String, Long> changedValues = new LinkedHashMap<>();
        for (int i = 0; i < compared.size(); i++) changedValues.put(compared.get(i), num(get(row, "d" + i)));
        long changed = num(get(row, "changed"));

        String order = " order by " + String.join(", ", java.util.stream.IntStream.range(0, keyA.size())
                .mapToObj(i -> "coalesce(a." + q(keyA.get(i)) + ", b." + q(keyB.get(i)) + ")").toList());
        String lim = " limit " + limit;
        List<Map<String, Object>> addedSample = keySample(s, from + " where b." + q("sluice_in_against") + " is null", "a", keyA, order, lim);
        List<Map<String, Object>> removedSample = keySample(s, from + " where a." + q("sluice_in_current") + " is null", "b", keyB, order, lim);

        List<ChangedRow> changedSample = new ArrayList<>();
        if (changed > 0 && limit > 0) {
            StringBuilder sql = new StringBuilder("select ");
            for (int i = 0; i < keyA.size(); i++) sql.append("a.").append(q(keyA.get(i))).append(" as ").append(q("k" + i)).append(", ");
            for (int i = 0; i < compared.size(); i++) {
                sql.append("a.").append(q(compared.get(i))).append(" as ").append(q("a" + i)).append(", b.")
                        .append(q(comparedB.get(i))).append(" as ").append(q("b" + i)).append(", case when ")
                        .append(distinct.get(i)).append(" then 1 else 0 end as ").append(q("d" + i)).append(", ");
            }
            sql.append("1 as ").append(q("sluice_one")).append(from).append(" where ").append(both).append(" and ").append(anyDiffers)
                    .append(order).append(lim);
            for (Map<String, Object> r : s.query(sql.toString())) {
                Map<String, Object> k = new LinkedHashMap<>();
                for (int i = 0; i < keyA.size(); i++) k.put(keyA.get(i), get(r, "k" + i));
                Map<String, Values> vals = new LinkedHashMap<>();
                for (int i = 0; i < compared.size(); i++) {
                    if (num(get(r, "d" + i)) == 1) vals.put(compared.get(i), new Values(get(r, "a" + i), get(r, "b" + i)));
                }
                changedSample.add(new ChangedRow(k, vals));
            }
        }
        return new Result(new Side(currentTarget, current, rowsA), new Side(againstTarget, against, rowsB), List.copyOf(keyA),
                num(get(row, "matched")), num(get(row, "added")), num(get(row, "removed")), List.copyOf(compared),
                List.copyOf(onlyA), List.copyOf(onlyB), List.copyOf(retyped), changed, changedValues, addedSample,
                removedSample, changedSample);
    }

    private List<ColumnInfo> columnsOf(Session s, Relation r, String target) {
        List<ColumnInfo> cols = s.columns(r);
        if (cols.isEmpty()) {
            throw new ConfigException("diff: " + r.display() + " does not exist in " + label(target)
                    + " (build the model there first)");
        }
        return cols;
    }

    /** Null-safe inequality of a column on both sides; columns of different types are compared as text. */
    private String differs(String colA, String colB, List<Retyped> retyped) {
        boolean text = retyped.stream().anyMatch(r -> r.column().equals(colA));
        String x = "a." + q(colA);
        String y = "b." + q(colB);
        if (text) {
            x = "cast(" + x + " as " + adapter.stringType() + ")";
            y = "cast(" + y + " as " + adapter.stringType() + ")";
        }
        return x + " is distinct from " + y;
    }

    private List<Map<String, Object>> keySample(Session s, String fromWhere, String side, List<String> key, String order,
                                                String lim) {
        StringBuilder sql = new StringBuilder("select ");
        for (int i = 0; i < key.size(); i++) sql.append(i > 0 ? ", " : "").append(side).append('.').append(q(key.get(i))).append(" as ").append(q("k" + i));
        List<Map<String, Object>> out = new ArrayList<>();
        if (lim.equals(" limit 0")) return out;
        for (Map<String, Object> r : s.query(sql + fromWhere + order + lim)) {
            Map<String, Object> k = new LinkedHashMap<>();
            for (int i = 0; i < key.size(); i++) k.put(key.get(i), get(r, "k" + i));
            out.add(k);
        }
        return out;
    }

    private long count(Session s, Relation r) {
        return num(s.query("select count(*) as " + q("n") + " from " + adapter.render(r)).get(0).values().iterator().next());
    }

    /** A key with duplicates would multiply rows in the join and make every count wrong: refused, naming it. */
    private void requireUnique(Session s, Relation r, List<String> key, String target) {
        String cols = String.join(", ", key.stream().map(this::q).toList());
        Object dup = s.query("select count(*) as " + q("n") + " from (select " + cols + " from " + adapter.render(r)
                + " group by " + cols + " having count(*) > 1) d").get(0).values().iterator().next();
        long n = num(dup);
        if (n > 0) {
            throw new ConfigException("diff: key (" + String.join(", ", key) + ") is not unique in " + r.display()
                    + " (" + label(target) + "): " + n + " key value" + (n == 1 ? " appears" : "s appear")
                    + " more than once; pass a unique key with --key col[,col]");
        }
    }

    /** "target 'prod'", or for a side read from an earlier run's manifest "state DIR". */
    private static String label(String side) {
        return side.startsWith("state ") ? side : "target '" + side + "'";
    }

    private String q(String name) {
        return adapter.quote(name);
    }

    /** A result column by its alias; some warehouses fold alias case, so matched without regard to it. */
    private static Object get(Map<String, Object> row, String alias) {
        if (row.containsKey(alias)) return row.get(alias);
        Optional<Map.Entry<String, Object>> e = row.entrySet().stream().filter(x -> x.getKey().equalsIgnoreCase(alias)).findFirst();
        return e.map(Map.Entry::getValue).orElse(null);
    }

    private static long num(Object o) {
        if (o == null) return 0;
        if (o instanceof Number n) return n.longValue();
        return Long.parseLong(o.toString().trim());
    }
}
