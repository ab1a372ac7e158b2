package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * engine plan on the shop project, built once and then edited: what a build would do, and which column changes
 * break which downstream columns (found through the column lineage, across models).
 */
class PlanTest extends ProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(CliHarness.Result r) throws Exception {
        String line = r.out().lines().filter(l -> l.startsWith("{\"target\"")).findFirst().orElseThrow(() -> new AssertionError(r.all()));
        return JSON.readTree(line);
    }

    static JsonNode node(JsonNode plan, String name) {
        for (JsonNode n : plan.get("nodes")) if (n.get("name").asText().equals(name)) return n;
        throw new AssertionError("no node " + name + " in " + plan);
    }

    static JsonNode change(JsonNode node, String column) {
        for (JsonNode c : node.get("column_changes")) if (c.get("column").asText().equalsIgnoreCase(column)) return c;
        throw new AssertionError("no change of " + column + " in " + node);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Set<String> affected(JsonNode change) {
        Set<String> out = new TreeSet<>();
        change.get("affected").forEach(a -> out.add(a.get("model").asText() + "." + a.get("column").asText().toLowerCase()));
        return out;
    }

    @Test
    void removedColumnReadDownstreamIsBreakingAndAddedColumnIsNot() throws Exception {
        CliHarness p = copy("shop");
        // A model two steps below stg_customers that passes last_name on under another name.
        p.write("models/marts/customer_names.sql", "select customer_id, last_name as surname, number_of_orders from {{ ref('customers') }}\n");
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());

        // Unedited: every seed and model is unchanged (the build stored their fingerprints), no column changes.
        JsonNode plan = json(p.run("plan", "--output", "json"));
        assertEquals(0, plan.get("breaking_changes").asInt());
        assertEquals(8, plan.get("nodes").size(), plan.toString());
        for (JsonNode n : plan.get("nodes")) {
            assertEquals("unchanged", n.get("action").asText(), n.toString());
            assertEquals(0, n.get("column_changes").size(), n.toString());
        }

        // last_name removed (customers and customer_names read it), signup_date removed (nobody reads it), an added
        // column in stg_orders, and a new model.
        p.write("models/staging/stg_customers.sql", "select id as customer_id, first_name from {{ ref('raw_customers') }}\n");
        p.write("models/staging/stg_orders.sql", p.read("models/staging/stg_orders.sql").replace("status\n", "status,\n    1 as priority\n")
                .replace("    order_date,", "    cast(order_date as varchar(10)) as order_date,"));
        p.write("models/marts/brand_new.sql", "select 1 as one\n");
        r = p.run("plan", "-o", "json");
        assertEquals(0, r.exitCode(), r.all());
        plan = json(r);

        JsonNode stg = node(plan, "stg_customers");
        assertEquals("modified", stg.get("action").asText());
        assertEquals(List.of("sql", "columns"), strings(stg.get("reasons")));
        // Downstream of an edit: modified through its upstream; what reads none of the edits stays unchanged.
        assertEquals(List.of("upstream"), strings(node(plan, "customers").get("reasons")));
        assertEquals("unchanged", node(plan, "raw_customers").get("action").asText());
        assertTrue(stg.get("breaking").asBoolean());
        JsonNode lastName = change(stg, "last_name");
        assertEquals("removed", lastName.get("change").asText());
        assertTrue(lastName.get("breaking").asBoolean());
        assertEquals(Set.of("customers.last_name", "customer_names.surname"), affected(lastName));
        JsonNode signup = change(stg, "signup_date");
        assertEquals("removed", signup.get("change").asText());
        assertFalse(signup.get("breaking").asBoolean(), signup.toString());
        assertEquals(2, stg.get("column_changes").size());

        JsonNode orders = node(plan, "stg_orders");
        assertEquals("modified", orders.get("action").asText());
        JsonNode priority = change(orders, "priority");
        assertEquals("added", priority.get("change").asText());
        assertFalse(priority.get("breaking").asBoolean());
        // order_date now text: orders passes it on, customers takes min and max of it.
        JsonNode orderDate = change(orders, "order_date");
        assertEquals("retyped", orderDate.get("change").asText());
        assertTrue(orderDate.get("breaking").asBoolean());
        assertTrue(orderDate.get("new_type").asText().toLowerCase().contains("char"), orderDate.toString());
        assertEquals(Set.of("orders.order_date", "customers.first_order", "customers.most_recent_order"), affected(orderDate));
        assertEquals(2, orders.get("column_changes").size(), orders.toString());

        assertEquals("new", node(plan, "brand_new").get("action").asText());
        assertEquals(2, plan.get("breaking_changes").asInt());
        assertEquals(1, plan.get("summary").get("new").asInt());

        // Text output names the downstream columns.
        r = p.run("plan", "-s", "stg_customers", "stg_orders");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("- last_name removed: BREAKING, read by customers.last_name, customer_names.surname"), r.out());
        assertTrue(r.out().contains("- signup_date removed: non-breaking (no downstream model reads it)"), r.out());
        assertTrue(r.out().contains("+ priority added: non-breaking"), r.out());
        assertTrue(r.out().contains("~ order_date retyped ("), r.out());
        assertTrue(r.out().contains("2 breaking column changes."), r.out());
        assertFalse(r.out().contains("brand_new"), "selection respected: " + r.out());

        // Without the state table nothing says what built the relations: a build runs them all.
        try (java.sql.Connection c = p.warehouse.connect(p.dir); java.sql.Statement st = c.createStatement()) {
            st.execute("drop table main.sluice_state");
        }
        plan = json(p.run("plan", "-s", "customers", "-o", "json"));
        assertEquals("rebuild", node(plan, "customers").get("action").asText());
        assertEquals(List.of("no fingerprint stored"), strings(node(plan, "customers").get("reasons")));

        // Read-only: nothing was built or changed in the warehouse.
        assertNull(p.relationType("main", "brand_new"));
        List<String> cols = new ArrayList<>();
        p.query("select column_name from information_schema.columns where table_schema = 'main' and table_name = 'stg_customers'")
                .forEach(row -> cols.add(row.get("column_name").toString()));
        assertTrue(cols.contains("last_name") && cols.contains("signup_date"), cols.toString());
    }

    /** The retail sample at a small size: a column removed from a silver model breaks the gold columns built from it. */
    @Test
    void retailProjectRemovedColumnIsBreakingAddedIsNot() throws Exception {
        CliHarness p = CliHarness.copyOf(java.nio.file.Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("run", "-s", "+customer_360_profile", "--vars", RetailProjectTest.SIZE);
        assertEquals(0, r.exitCode(), r.all());
        String sql = p.read("models/silver/slv_customers.sql");
        p.write("models/silver/slv_customers.sql", sql.replace("    city,\n", "").replace("    state,\n", "    state,\n    upper(state) as state_code,\n"));
        r = p.run("plan", "-s", "slv_customers", "--vars", RetailProjectTest.SIZE, "-o", "json");
        assertEquals(0, r.exitCode(), r.all());
        JsonNode stg = node(json(r), "slv_customers");
        assertEquals("modified", stg.get("action").asText());
        JsonNode city = change(stg, "city");
        assertEquals("removed", city.get("change").asText());
        assertTrue(city.get("breaking").asBoolean(), city.toString());
        assertTrue(affected(city).contains("customer_360_profile.city"), city.toString());
        // Every affected model lies downstream of slv_customers, as ls sees the graph.
        Set<String> below = new TreeSet<>(p.run("ls", "-s", "slv_customers+", "-o", "name", "--resource-type", "model", "--resource-type", "snapshot").out().lines().toList());
        city.get("affected").forEach(a -> assertTrue(below.contains(a.get("model").asText()), a + " not below slv_customers: " + below));
        JsonNode code = change(stg, "state_code");
        assertEquals("added", code.get("change").asText());
        assertFalse(code.get("breaking").asBoolean());
        assertEquals(2, stg.get("column_changes").size(), stg.toString());
    }
}
