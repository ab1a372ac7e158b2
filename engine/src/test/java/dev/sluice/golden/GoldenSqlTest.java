package dev.sluice.golden;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Adapters;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.compile.CompiledNode;
import dev.sluice.materialize.ModelJob;
import dev.sluice.materialize.SnapshotJob;
import dev.sluice.project.Node;
import dev.sluice.project.NodeType;
import dev.sluice.project.Target;
import dev.sluice.seed.SeedJob;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQL each materialization emits, per dialect, against files under golden/<dialect>/ that were read
 * for correctness against each warehouse's documentation and then frozen. A change to generated SQL shows
 * up here as a diff to review. Run with -Dgolden.update=true to rewrite the files after such a review.
 */
class GoldenSqlTest {
    private static final Instant RUN = Instant.parse("2024-05-01T12:00:00Z");
    private static final List<ColumnInfo> MODEL_COLUMNS = List.of(new ColumnInfo("order_id", "bigint"),
            new ColumnInfo("customer_id", "bigint"), new ColumnInfo("status", "varchar"),
            new ColumnInfo("amount", "decimal(38,10)"), new ColumnInfo("updated_at", "timestamp"));

    private static Target target(String type) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", type);
        String database = null;
        switch (type) {
            case "duckdb" -> s.put("path", ":memory:");
            case "postgres" -> {
                s.put("host", "localhost");
                s.put("user", "sluice");
                s.put("dbname", "warehouse");
                database = "warehouse";
            }
            case "snowflake" -> {
                s.put("account", "xy12345");
                s.put("user", "bob");
                s.put("password", "not-used");
                database = "analytics_db";
            }
            default -> {
                s.put("host", "dbc-1.cloud.databricks.com");
                s.put("http_path", "/sql/1.0/warehouses/abc");
                s.put("token", "not-used");
                database = "main";
            }
        }
        return new Target("shop", "golden", type, database, "analytics", 1, s, null);
    }

    private record Scenario(String name, Function<Adapter, String> run) {
    }

    private static Relation rel(Adapter a, String database, String identifier) {
        return new Relation(database, "analytics", identifier);
    }

    private static CompiledNode model(Adapter a, String database, String name, NodeType type, Map<String, Object> config) {
        String sql = "select order_id, customer_id, status, amount, updated_at\nfrom " + a.render(rel(a, database, "stg_orders"));
        Node n = new Node(type.name().toLowerCase() + ".shop." + name, type, name, Path.of("models/" + name + ".sql"),
                List.of("shop", name), "", config, "", List.of(), null, null, 0);
        return new CompiledNode(n, config, rel(a, database, name), List.of(), sql, null, List.of(), Map.of(), true,
                List.of(), List.of());
    }

    private static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static String runModel(Adapter a, String database, Map<String, Object> config, Map<String, RelationKind> existing,
                                   Map<String, List<ColumnInfo>> columns) {
        RecordingSession s = new RecordingSession(a, existing, columns);
        new ModelJob(model(a, database, "orders_summary", NodeType.MODEL, config), a, false).execute(s);
        return s.transcript();
    }

    /** A granted privilege as PostgreSQL, Snowflake (upper-case role names) and Databricks list it. */
    private static Map<String, Object> grantRow(String grantee, String privilege, String databricksAction) {
        return Map.of("grantee", grantee, "privilege_type", privilege, "privilege", privilege, "grantee_name",
                grantee.toUpperCase(java.util.Locale.ROOT), "granted_to", "ROLE", "Principal", grantee, "ActionType", databricksAction,
                "ObjectType", "TABLE");
    }

    private static List<Scenario> scenarios(String database) {
        List<Scenario> out = new ArrayList<>();
        out.add(new Scenario("view", a -> runModel(a, database, config("materialized", "view"),
                Map.of("orders_summary", RelationKind.VIEW), Map.of())));
        out.add(new Scenario("table", a -> runModel(a, database, config("materialized", "table"),
                Map.of("orders_summary", RelationKind.TABLE), Map.of())));
        out.add(new Scenario("table_first_build", a -> runModel(a, database, config("materialized", "table"), Map.of(), Map.of())));
        Map<String, List<ColumnInfo>> incrementalColumns = Map.of("orders_summary", MODEL_COLUMNS,
                "orders_summary__sluice_incr", MODEL_COLUMNS);
        for (String strategy : List.of("append", "merge", "delete+insert")) {
            Map<String, Object> c = config("materialized", "incremental", "incremental_strategy", strategy);
            if (!strategy.equals("append")) c.put("unique_key", "order_id");
            out.add(new Scenario("incremental_" + strategy.replace('+', '_'), a -> runModel(a, database, c,
                    Map.of("orders_summary", RelationKind.TABLE), incrementalColumns)));
        }
        out.add(new Scenario("incremental_merge_exclude_predicates", a -> runModel(a, database, config("materialized",
                "incremental", "incremental_strategy", "merge", "unique_key", "order_id", "merge_exclude_columns",
                List.of("customer_id"), "incremental_predicates", List.of("dbt_internal_dest.updated_at > '2024-01-01'")),
                Map.of("orders_summary", RelationKind.TABLE), incrementalColumns)));
        out.add(new Scenario("incremental_merge_update_columns", a -> runModel(a, database, config("materialized",
                "incremental", "unique_key", "order_id", "merge_update_columns", List.of("status", "amount")),
                Map.of("orders_summary", RelationKind.TABLE), incrementalColumns)));
        out.add(new Scenario("incremental_delete_insert_predicates", a -> runModel(a, database, config("materialized",
                "incremental", "incremental_strategy", "delete+insert", "unique_key", "order_id",
                "predicates", List.of("dbt_internal_dest.status <> 'closed'")),
                Map.of("orders_summary", RelationKind.TABLE), incrementalColumns)));
        out.add(new Scenario("persist_docs", a -> {
            Map<String, Object> c = config("materialized", "table", "persist_docs", Map.of("relation", true, "columns", true));
            CompiledNode m = model(a, database, "orders_summary", NodeType.MODEL, c);
            Node n = m.node();
            Node documented = new Node(n.uniqueId(), n.type(), n.name(), n.file(), n.fqn(), n.rawCode(), c,
                    "One row per order; the customer's \"latest\" status", List.of(
                    new dev.sluice.project.ColumnSpec("order_id", "The order's id, from the shop's system", null, Map.of(), List.of()),
                    new dev.sluice.project.ColumnSpec("not_built", "documented but not in the model", null, Map.of(), List.of())),
                    null, null, 0);
            RecordingSession s = new RecordingSession(a, Map.of("orders_summary", RelationKind.TABLE),
                    Map.of("orders_summary", MODEL_COLUMNS));
            new ModelJob(new CompiledNode(documented, c, m.relation(), List.of(), m.compiledSql(), null, List.of(), Map.of(),
                    true, List.of(), List.of()), a, false).execute(s);
            return s.transcript();
        }));
        out.add(new Scenario("grants", a -> runModel(a, database, config("materialized", "table",
                "grants", Map.of("select", List.of("reporter"))), Map.of("orders_summary", RelationKind.TABLE), Map.of())));
        // The table already grants select to reporter (kept), select to intern and insert to reporter (both revoked;
        // Databricks calls insert MODIFY), and its owner's rights (never revoked). Each dialect reads its own columns.
        out.add(new Scenario("grants_revoke_extras", a -> {
            RecordingSession s = new RecordingSession(a, Map.of("orders_summary", RelationKind.TABLE), Map.of()).withGrants(List.of(
                    grantRow("reporter", "SELECT", "SELECT"), grantRow("intern", "SELECT", "SELECT"), grantRow("reporter", "INSERT", "MODIFY"),
                    Map.of("privilege", "OWNERSHIP", "grantee_name", "SYSADMIN", "granted_to", "ROLE", "Principal", "owner",
                            "ActionType", "OWN", "ObjectType", "TABLE")));
            new ModelJob(model(a, database, "orders_summary", NodeType.MODEL, config("materialized", "incremental",
                    "grants", Map.of("select", List.of("reporter")))), a, false).execute(s);
            return s.transcript();
        }));
        out.add(new Scenario("snapshot_timestamp", a -> snapshot(a, database, config("strategy", "timestamp",
                "unique_key", "order_id", "updated_at", "updated_at", "invalidate_hard_deletes", true))));
        out.add(new Scenario("snapshot_check", a -> snapshot(a, database, config("strategy", "check",
                "unique_key", "order_id", "check_cols", List.of("status", "amount")))));
        out.add(new Scenario("snapshot_first_build", a -> {
            RecordingSession s = new RecordingSession(a, Map.of(), Map.of());
            new SnapshotJob(model(a, database, "orders_snapshot", NodeType.SNAPSHOT, config("strategy", "check",
                    "unique_key", "order_id", "check_cols", "all")), a, RUN).execute(s);
            return s.transcript();
        }));
        out.add(new Scenario("seed_new_columns", a -> seed(a, database, Map.of("payments", RelationKind.TABLE), Map.of(
                "payments", List.of(new ColumnInfo("id", "bigint"))))));
        out.add(new Scenario("seed_same_columns", a -> {
            List<ColumnInfo> same = List.of(new ColumnInfo("id", "bigint"), new ColumnInfo("name", "varchar"));
            return seed(a, database, Map.of("payments", RelationKind.TABLE), Map.of("payments", same, "payments__sluice_tmp", same));
        }));
        return out;
    }

    private static String snapshot(Adapter a, String database, Map<String, Object> config) {
        List<ColumnInfo> snap = new ArrayList<>(MODEL_COLUMNS);
        for (String c : List.of("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")) snap.add(new ColumnInfo(c, "timestamp"));
        List<ColumnInfo> staging = new ArrayList<>(MODEL_COLUMNS);
        staging.add(new ColumnInfo("dbt_change_ts", "timestamp"));
        RecordingSession s = new RecordingSession(a, Map.of("orders_snapshot", RelationKind.TABLE),
                Map.of("orders_snapshot", snap, "orders_snapshot__sluice_snap", staging));
        new SnapshotJob(model(a, database, "orders_snapshot", NodeType.SNAPSHOT, config), a, RUN).execute(s);
        return s.transcript();
    }

    private static String seed(Adapter a, String database, Map<String, RelationKind> existing, Map<String, List<ColumnInfo>> columns) {
        Path root = resource("golden/payments.csv").getParent();
        Node n = new Node("seed.shop.payments", NodeType.SEED, "payments", Path.of("payments.csv"), List.of("shop", "payments"),
                "", Map.of(), "", List.of(), null, null, 0);
        CompiledNode c = new CompiledNode(n, Map.of(), rel(a, database, "payments"), List.of(), "", null, List.of(), Map.of(),
                true, List.of(), List.of());
        RecordingSession s = new RecordingSession(a, existing, columns);
        new SeedJob(c, a, root, false).execute(s);
        return s.transcript();
    }

    private static Path resource(String name) {
        try {
            return Path.of(GoldenSqlTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The built-in dialects; the plugin modules' subclasses give theirs (snowflake, databricks). */
    protected List<String> types() {
        return List.of("duckdb", "postgres");
    }

    @TestFactory
    List<DynamicTest> eachDialectEmitsTheFrozenSql() {
        boolean update = Boolean.getBoolean("golden.update");
        List<DynamicTest> tests = new ArrayList<>();
        for (String type : types()) {
            Target t = target(type);
            for (Scenario sc : scenarios(t.database())) {
                tests.add(DynamicTest.dynamicTest(type + " " + sc.name(), () -> {
                    String actual;
                    try (Adapter a = Adapters.forTarget(t)) {
                        actual = sc.run().apply(a);
                    }
                    Path source = Path.of("src/test/resources/golden", type, sc.name() + ".sql");
                    if (update) write(source, actual);
                    Path expected = resource("golden/" + type).resolve(sc.name() + ".sql");
                    assertTrue(update || Files.exists(expected), "no golden file " + source + "; run with -Dgolden.update=true and review it");
                    if (!update) assertEquals(Files.readString(expected), actual, "SQL of " + type + " " + sc.name());
                }));
            }
        }
        return tests;
    }

    private static void write(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
