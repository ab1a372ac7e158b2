package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * engine diff: the shop project built into two targets (dev in schema main, prod in schema prod), a few rows of dev
 * changed by hand; diff must find exactly those keys and columns, which the test also works out on its own.
 */
class DiffTest extends ProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shop project with a second output, prod, in its own schema of the same warehouse; built into both. */
    CliHarness twoTargets() {
        CliHarness p = copy("shop");
        String dev = p.read("profiles.yml");
        String output = dev.substring(dev.indexOf("    dev:\n") + "    dev:\n".length());
        p.write("profiles.yml", dev + "    prod:\n" + output.replace("schema: main", "schema: prod"));
        assertEquals(0, p.run("build").exitCode());
        CliHarness.Result r = p.run("build", "--target", "prod", "--target-path", "prod-artifacts");
        assertEquals(0, r.exitCode(), r.all());
        return p;
    }

    void execute(CliHarness p, String... statements) {
        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            for (String s : statements) st.execute(s);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(CliHarness.Result r) throws Exception {
        String line = r.out().lines().filter(l -> l.startsWith("{\"model\"")).findFirst().orElseThrow(() -> new AssertionError(r.all()));
        return JSON.readTree(line);
    }

    @Test
    void identicalTargetsExitZero() throws Exception {
        CliHarness p = twoTargets();
        CliHarness.Result r = p.run("diff", "-s", "orders", "--against", "prod");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Identical."), r.out());
        assertTrue(r.out().contains("key order_id"), "key from the unique test: " + r.out());
        JsonNode doc = json(p.run("diff", "-s", "customers", "--against", "prod", "-o", "json"));
        assertTrue(doc.get("identical").asBoolean());
        assertEquals(doc.get("current").get("rows").asLong(), p.count("main.customers"));
        assertEquals(doc.get("matched").asLong(), p.count("prod.customers"));
    }

    @Test
    void findsExactlyTheChangedKeysAndColumns() throws Exception {
        CliHarness p = twoTargets();
        execute(p,
                "update main.orders set status = 'shipped' where order_id = 3",
                "update main.orders set status = 'placed', amount = amount + 1 where order_id = 5",
                "update main.orders set coupon_amount = null where order_id = 2",
                "delete from main.orders where order_id = 7",
                "insert into main.orders select 99 as order_id, customer_id, order_date, status, credit_card_amount, coupon_amount,"
                        + " bank_transfer_amount, gift_card_amount, amount from main.orders where order_id = 1");

        CliHarness.Result r = p.run("diff", "-s", "orders", "--against", "prod", "--output", "json");
        assertEquals(1, r.exitCode(), r.all());
        JsonNode doc = json(r);

        // The expected differences, worked out here from both tables' rows.
        Map<Object, Map<String, Object>> dev = byKey(p.query("select * from main.orders"));
        Map<Object, Map<String, Object>> prod = byKey(p.query("select * from prod.orders"));
        Set<Object> added = new TreeSet<>(dev.keySet());
        added.removeAll(prod.keySet());
        Set<Object> removed = new TreeSet<>(prod.keySet());
        removed.removeAll(dev.keySet());
        Map<String, Long> perColumn = new TreeMap<>();
        Set<Object> changed = new TreeSet<>();
        for (Object k : dev.keySet()) {
            if (!prod.containsKey(k)) continue;
            for (String col : dev.get(k).keySet()) {
                if (col.equals("order_id")) continue;
                if (!sameValue(dev.get(k).get(col), prod.get(k).get(col))) {
                    perColumn.merge(col, 1L, Long::sum);
                    changed.add(k);
                }
            }
        }
        assertEquals(Set.of(99L), added);
        assertEquals(Set.of(7L), removed);
        assertEquals(Set.of(2L, 3L, 5L), changed);

        assertFalse(doc.get("identical").asBoolean());
        assertEquals(List.of("order_id"), strings(doc.get("key")));
        assertEquals(dev.size(), doc.get("current").get("rows").asLong());
        assertEquals(prod.size(), doc.get("against").get("rows").asLong());
        assertEquals(dev.size() - added.size(), doc.get("matched").asLong());
        assertEquals(added.size(), doc.get("added").asLong());
        assertEquals(removed.size(), doc.get("removed").asLong());
        assertEquals(changed.size(), doc.get("changed_rows").asLong());
        Map<String, Long> reported = new TreeMap<>();
        doc.get("changed_values").fields().forEachRemaining(e -> {
            if (e.getValue().asLong() > 0) reported.put(e.getKey(), e.getValue().asLong());
        });
        assertEquals(perColumn, reported);
        assertEquals(Map.of("amount", 1L, "coupon_amount", 1L, "status", 2L), reported);

        assertEquals(List.of(99L), doc.get("samples").get("added").findValues("order_id").stream().map(JsonNode::asLong).toList());
        assertEquals(List.of(7L), doc.get("samples").get("removed").findValues("order_id").stream().map(JsonNode::asLong).toList());
        JsonNode samples = doc.get("samples").get("changed");
        assertEquals(3, samples.size());
        assertEquals(3, samples.get(1).get("key").get("order_id").asLong());
        assertEquals("shipped", samples.get(1).get("values").get("status").get("current").asText());
        assertEquals(prod.get(3L).get("status"), samples.get(1).get("values").get("status").get("against").asText());
        assertEquals(Set.of("status", "amount"), fieldNames(samples.get(2).get("values")));
        assertTrue(samples.get(0).get("values").get("coupon_amount").get("current").isNull());

        // Text output and --limit: one sample row of each kind.
        r = p.run("diff", "-s", "orders", "--against", "prod", "--limit", "1");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("added keys:    1 (only in dev)"), r.out());
        assertTrue(r.out().contains("removed keys:  1 (only in prod)"), r.out());
        assertTrue(r.out().contains("status: 2 differing values"), r.out());
        assertTrue(r.out().contains("order_id=2: coupon_amount"), r.out());
        assertFalse(r.out().contains("order_id=3:"), "limited to one sample: " + r.out());
        assertTrue(r.out().contains("Different."), r.out());
    }

    @Test
    void againstTheRelationsOfAnEarlierRunsManifest() throws Exception {
        CliHarness p = twoTargets();
        execute(p, "update main.customers set first_name = 'Grace' where customer_id = 4");
        CliHarness.Result r = p.run("diff", "-s", "customers", "--against-state", p.dir.resolve("prod-artifacts").toString(), "-o", "json");
        assertEquals(1, r.exitCode(), r.all());
        JsonNode doc = json(r);
        assertEquals("prod.customers", doc.get("against").get("relation").asText().replaceFirst("^[^.]+\\.(?=[^.]+\\.[^.]+$)", ""));
        assertEquals(1, doc.get("changed_rows").asLong());
        assertEquals(1, doc.get("changed_values").get("first_name").asLong());
        assertEquals(4, doc.get("samples").get("changed").get(0).get("key").get("customer_id").asLong());
        r = p.run("diff", "-s", "customers", "--against", "prod", "--against-state", "prod-artifacts");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("exactly one of --against TARGET or --against-state DIR"), r.err());
    }

    @Test
    void keyFromTheCommandLineAndNoKeyIsAnError() throws Exception {
        CliHarness p = twoTargets();
        execute(p, "update main.raw_customers set last_name = 'Byron' where id = 1");
        CliHarness.Result r = p.run("diff", "-s", "raw_customers", "--against", "prod");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("no key for 'raw_customers': pass --key col[,col]"), r.err());
        // A primary_key constraint of the model's contract is a key too.
        p.write("models/marts/pk_orders.sql", "select cast(order_id as integer) as id, cast(status as varchar) as status from {{ ref('orders') }}\n");
        p.write("models/marts/pk.yml", "version: 2\nmodels:\n  - name: pk_orders\n    config:\n      contract: {enforced: true}\n"
                + "    columns:\n      - name: id\n        data_type: integer\n        constraints: [{type: primary_key}]\n"
                + "      - name: status\n        data_type: varchar\n");
        r = p.run("run", "-s", "pk_orders");
        assertEquals(0, r.exitCode(), r.all());
        r = p.run("run", "-s", "pk_orders", "--target", "prod");
        assertEquals(0, r.exitCode(), r.all());
        execute(p, "update main.pk_orders set status = 'lost' where id = 8");
        JsonNode pk = json(p.run("diff", "-s", "pk_orders", "--against", "prod", "-o", "json"));
        assertEquals(List.of("id"), strings(pk.get("key")));
        assertEquals(1, pk.get("changed_values").get("status").asLong());
        JsonNode doc = json(p.run("diff", "-s", "raw_customers", "--against", "prod", "--key", "id", "-o", "json"));
        assertEquals(1, doc.get("changed_rows").asLong());
        assertEquals(1, doc.get("changed_values").get("last_name").asLong());
        // A key that is not unique is refused rather than multiplying rows in the join.
        r = p.run("diff", "-s", "raw_orders", "--against", "prod", "--key", "user_id");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("key (user_id) is not unique"), r.err());
        r = p.run("diff", "-s", "orders", "--against", "qa");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("qa"), r.err());
    }

    @Test
    void duckDbTargetInAnotherFileIsAttachedReadOnly() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(warehouse().isDuckDb(), "two files: DuckDB only");
        CliHarness p = copy("shop");
        String dev = p.read("profiles.yml");
        String output = dev.substring(dev.indexOf("    dev:\n") + "    dev:\n".length());
        p.write("profiles.yml", dev + "    prod:\n" + output.replace("warehouse.duckdb", "prod.duckdb"));
        assertEquals(0, p.run("build", "--target", "prod").exitCode());
        assertEquals(0, p.run("build").exitCode());
        execute(p, "delete from main.orders where order_id in (4, 6)");
        JsonNode doc = json(p.run("diff", "-s", "orders", "--against", "prod", "-o", "json"));
        assertEquals(2, doc.get("removed").asLong());
        assertEquals(0, doc.get("added").asLong());
        assertEquals(0, doc.get("changed_rows").asLong());
        assertEquals(List.of(4L, 6L), doc.get("samples").get("removed").findValues("order_id").stream().map(JsonNode::asLong).toList());
        // The other file was only read, and is detached again: a second diff attaches it anew.
        assertEquals(1, p.run("diff", "-s", "orders", "--against", "prod").exitCode());
    }

    private static Map<Object, Map<String, Object>> byKey(List<Map<String, Object>> rows) {
        Map<Object, Map<String, Object>> out = new TreeMap<>();
        for (Map<String, Object> r : rows) out.put(((Number) r.get("order_id")).longValue(), r);
        return out;
    }

    /** Equal values, numbers compared by value (a decimal and an integer of the same amount are equal). */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
        return Objects.equals(a, b);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<String> fieldNames(JsonNode o) {
        Set<String> out = new TreeSet<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
