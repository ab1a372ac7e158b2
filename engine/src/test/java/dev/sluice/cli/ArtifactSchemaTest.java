package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The artifacts have the structure of dbt's published JSON schemas (manifest v12, run-results v6, sources v3,
 * catalog v1), which dbt tools validate against: each kind of entry has dbt's required keys and no key dbt's schema
 * does not allow (its objects are closed, except config), and enumerated values are among dbt's. The lists below
 * are what we learned reading those schemas; the validation against the real schema files is in README ("Artifacts").
 */
class ArtifactSchemaTest extends ProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Required on every entry of manifest.json's nodes, whatever its kind. */
    private static final List<String> NODE_REQUIRED = List.of("database", "schema", "name", "resource_type",
            "package_name", "path", "original_file_path", "unique_id", "fqn", "alias", "checksum");
    /** What every kind of node may have. */
    private static final Set<String> NODE_COMMON = Set.of("database", "schema", "name", "resource_type",
            "package_name", "path", "original_file_path", "unique_id", "fqn", "alias", "checksum", "config", "tags",
            "description", "columns", "meta", "group", "docs", "patch_path", "build_path", "unrendered_config",
            "created_at", "config_call_dict", "unrendered_config_call_dict", "relation_name", "raw_code", "doc_blocks",
            "depends_on");
    /** What a node with SQL of its own (all but seeds) may have besides. */
    private static final Set<String> COMPILED = Set.of("language", "refs", "sources", "metrics", "compiled_path",
            "compiled", "compiled_code", "extra_ctes_injected", "extra_ctes", "_pre_injected_sql", "contract");
    private static final Map<String, Set<String>> NODE_EXTRA = Map.of(
            "seed", Set.of("root_path", "defer_relation"),
            "model", Set.of("access", "constraints", "version", "latest_version", "deprecation_date", "defer_relation",
                    "primary_key", "time_spine", "freshness"),
            "snapshot", Set.of("defer_relation"),
            "test", Set.of("test_metadata", "column_name", "file_key_name", "attached_node"),
            "analysis", Set.of(), "operation", Set.of("index"), "sql_operation", Set.of());
    private static final Set<String> TOP = Set.of("metadata", "nodes", "sources", "macros", "docs", "exposures",
            "metrics", "groups", "selectors", "disabled", "parent_map", "child_map", "group_map", "saved_queries",
            "semantic_models", "unit_tests");
    private static final Set<String> MANIFEST_METADATA = Set.of("dbt_schema_version", "dbt_version", "generated_at",
            "invocation_id", "invocation_started_at", "env", "project_name", "project_id", "user_id",
            "send_anonymous_usage_stats", "adapter_type", "quoting");
    /** The metadata of run_results.json, sources.json and catalog.json. */
    private static final Set<String> METADATA = Set.of("dbt_schema_version", "dbt_version", "generated_at",
            "invocation_id", "invocation_started_at", "env");
    private static final Set<String> SOURCE_REQUIRED = Set.of("database", "schema", "name", "resource_type",
            "package_name", "path", "original_file_path", "unique_id", "fqn", "source_name", "source_description",
            "loader", "identifier");
    private static final Set<String> SOURCE_ALLOWED = union(SOURCE_REQUIRED, Set.of("columns", "config", "created_at",
            "description", "doc_blocks", "external", "freshness", "loaded_at_field", "loaded_at_query", "meta",
            "patch_path", "quoting", "relation_name", "source_meta", "tags", "unrendered_config", "unrendered_database",
            "unrendered_schema"));
    private static final Set<String> UNIT_TEST_REQUIRED = Set.of("model", "given", "expect", "name", "resource_type",
            "package_name", "path", "original_file_path", "unique_id", "fqn");
    private static final Set<String> UNIT_TEST_ALLOWED = union(UNIT_TEST_REQUIRED, Set.of("checksum", "config",
            "created_at", "depends_on", "description", "overrides", "schema", "version", "versions"));
    private static final Set<String> DOC_KEYS = Set.of("name", "resource_type", "package_name", "path",
            "original_file_path", "unique_id", "block_contents");
    private static final Set<String> GROUP_ALLOWED = Set.of("name", "resource_type", "package_name", "path",
            "original_file_path", "unique_id", "owner", "config", "description");
    private static final Set<String> EXPOSURE_REQUIRED = Set.of("name", "resource_type", "package_name", "path",
            "original_file_path", "unique_id", "fqn", "type", "owner");
    private static final Set<String> EXPOSURE_ALLOWED = union(EXPOSURE_REQUIRED, Set.of("config", "created_at",
            "depends_on", "description", "label", "maturity", "meta", "metrics", "refs", "sources", "tags",
            "unrendered_config", "url"));
    private static final Set<String> MACRO_REQUIRED = Set.of("name", "resource_type", "package_name", "path",
            "original_file_path", "unique_id", "macro_sql");
    private static final Set<String> MACRO_ALLOWED = union(MACRO_REQUIRED, Set.of("arguments", "created_at",
            "depends_on", "description", "docs", "meta", "patch_path", "supported_languages"));
    private static final Set<String> RESULT_REQUIRED = Set.of("status", "timing", "thread_id", "execution_time",
            "adapter_response", "message", "failures", "unique_id", "compiled", "compiled_code", "relation_name");
    /** run_results' status: a node's (success ... no-op), a test's (pass ... skipped) or a freshness check's. */
    private static final Set<String> RESULT_STATUS = Set.of("success", "error", "skipped", "partial success", "no-op",
            "pass", "fail", "warn", "runtime error");
    private static final Set<String> FRESHNESS_RESULT = Set.of("unique_id", "max_loaded_at", "snapshotted_at",
            "max_loaded_at_time_ago_in_s", "status", "criteria", "adapter_response", "timing", "thread_id",
            "execution_time");

    @Test
    void everyArtifactHasDbtsStructure() throws IOException {
        CliHarness p = copy("shop");
        p.write("models/marts/docs.md", "{% docs customers_doc %}One row per customer, with their orders.{% enddocs %}\n");
        p.write("seeds/raw_loads.csv", "id,loaded_at\n1,2024-01-01 00:00:00\n");
        p.write("models/marts/extra.yml", """
                version: 2
                groups:
                  - name: sales
                    owner: {name: Ann, email: ann@example.com}
                sources:
                  - name: landing
                    schema: "{{ target.schema }}"
                    tables:
                      - name: raw_loads
                        loaded_at_field: loaded_at
                        freshness: {warn_after: {count: 1, period: day}}
                        columns: [{name: loaded_at, tags: [audit]}]
                unit_tests:
                  - name: counts_orders
                    model: customers
                    given:
                      - input: ref('orders')
                        rows: [{order_id: 1, customer_id: 1, order_date: '2024-01-01', status: placed, amount: 3}]
                      - input: ref('stg_customers')
                        rows: [{customer_id: 1, first_name: Ann, last_name: B}]
                    expect:
                      rows: [{customer_id: 1, number_of_orders: 1}]
                exposures:
                  - name: weekly_dashboard
                    type: dashboard
                    owner: {name: Ann, email: ann@example.com}
                    depends_on: [ref('customers')]
                operators:
                  - name: customers_webhook
                    type: export_webhook
                    sql: "select * from {{ ref('customers') }}"
                    config: {url: "http://127.0.0.1:9/hook"}
                """);
        // The source is the seed's table: built after it (dbt's depends_on comment).
        p.write("models/marts/landing_rows.sql", "-- depends_on: {{ ref('raw_loads') }}\n"
                + "select count(*) as n from {{ source('landing', 'raw_loads') }}\n");
        p.write("snapshots/orders_snapshot.sql", """
                {% snapshot orders_snapshot %}
                {{ config(target_schema=target.schema, unique_key='id', strategy='check', check_cols='all') }}
                select * from {{ ref('raw_orders') }}
                {% endsnapshot %}
                """);
        CliHarness.Result build = p.run("build", "--exclude", "customers_webhook");
        assertEquals(0, build.exitCode(), build.all());
        assertEquals(0, p.run("source", "freshness").exitCode());
        assertEquals(0, p.run("docs", "generate").exitCode());

        JsonNode manifest = JSON.readTree(p.read("target/manifest.json"));
        List<String> problems = new ArrayList<>();
        keys(problems, "manifest", manifest, TOP, TOP);
        keys(problems, "manifest metadata", manifest.path("metadata"), Set.of("dbt_schema_version"), MANIFEST_METADATA);
        assertEquals("https://schemas.getdbt.com/dbt/manifest/v12.json", manifest.path("metadata").path("dbt_schema_version").asText());
        Set<String> kinds = new HashSet<>();
        manifest.path("nodes").properties().forEach(e -> {
            JsonNode n = e.getValue();
            String type = n.path("resource_type").asText();
            kinds.add(type);
            if (!NODE_EXTRA.containsKey(type)) {
                problems.add(e.getKey() + ": resource_type '" + type + "' is not one of dbt's node kinds");
                return;
            }
            Set<String> allowed = union(NODE_COMMON, NODE_EXTRA.get(type));
            if (!type.equals("seed")) allowed = union(allowed, COMPILED);
            keys(problems, e.getKey(), n, Set.copyOf(NODE_REQUIRED), allowed);
            keys(problems, e.getKey() + " depends_on", n.path("depends_on"), Set.of(),
                    type.equals("seed") ? Set.of("macros") : Set.of("macros", "nodes"));
            if (!n.path("config").isObject()) problems.add(e.getKey() + ": config is not an object");
            if (!n.path("checksum").path("checksum").isTextual()) problems.add(e.getKey() + ": checksum has no checksum");
            n.path("columns").properties().forEach(c -> {
                if (!c.getValue().path("name").isTextual()) problems.add(e.getKey() + " column " + c.getKey() + ": no name");
            });
        });
        assertEquals(Set.of("model", "seed", "test", "snapshot"), kinds);
        manifest.path("sources").properties().forEach(e -> keys(problems, e.getKey(), e.getValue(), SOURCE_REQUIRED, SOURCE_ALLOWED));
        // A column's tags, as written in the schema file.
        assertEquals("[\"audit\"]", manifest.path("sources").properties().stream().filter(e -> e.getKey().endsWith(".landing.raw_loads"))
                .findFirst().orElseThrow().getValue().path("columns").path("loaded_at").path("tags").toString());
        manifest.path("unit_tests").properties().forEach(e -> keys(problems, e.getKey(), e.getValue(), UNIT_TEST_REQUIRED, UNIT_TEST_ALLOWED));
        manifest.path("docs").properties().forEach(e -> keys(problems, e.getKey(), e.getValue(), DOC_KEYS, DOC_KEYS));
        manifest.path("groups").properties().forEach(e -> keys(problems, e.getKey(), e.getValue(),
                Set.of("name", "resource_type", "package_name", "path", "original_file_path", "unique_id", "owner"), GROUP_ALLOWED));
        manifest.path("exposures").properties().forEach(e -> keys(problems, e.getKey(), e.getValue(), EXPOSURE_REQUIRED, EXPOSURE_ALLOWED));
        manifest.path("macros").properties().forEach(e -> keys(problems, e.getKey(), e.getValue(), MACRO_REQUIRED, MACRO_ALLOWED));
        assertTrue(problems.isEmpty(), String.join("\n", problems));

        // Each section holds what the project declares, keyed by unique id as dbt keys it.
        JsonNode doc = manifest.path("docs").path("doc.shop.customers_doc");
        assertEquals("One row per customer, with their orders.", doc.path("block_contents").asText(), manifest.path("docs").toString());
        assertEquals("models/marts/docs.md", doc.path("original_file_path").asText());
        assertEquals("marts/docs.md", doc.path("path").asText());
        JsonNode unit = manifest.path("unit_tests").path("unit_test.shop.customers.counts_orders");
        assertEquals("customers", unit.path("model").asText(), manifest.path("unit_tests").toString());
        assertEquals("ref('orders')", unit.path("given").get(0).path("input").asText());
        assertEquals(1, unit.path("expect").path("rows").get(0).path("number_of_orders").asInt());
        JsonNode source = manifest.path("sources").path("source.shop.landing.raw_loads");
        assertEquals(List.of("shop", "landing", "raw_loads"), strings(source.path("fqn")));
        assertEquals("models/marts/extra.yml", source.path("original_file_path").asText());
        JsonNode customers = manifest.path("nodes").path("model.shop.customers");
        assertEquals("marts/customers.sql", customers.path("path").asText());
        assertEquals("models/marts/customers.sql", customers.path("original_file_path").asText());
        assertTrue(strings(customers.path("refs")).isEmpty() || customers.path("refs").get(0).has("name"));
        assertTrue(customers.path("config").path("sluice").has("column_lineage"),
                "the engine's facts sit in config, the one object dbt's schema leaves open: " + customers.path("config"));
        JsonNode seed = manifest.path("nodes").path("seed.shop.raw_orders");
        assertEquals("raw_orders.csv", seed.path("path").asText());

        // An operator is a model whose config says what it is (dbt has no operator kind).
        JsonNode operator = manifest.path("nodes").path("operator.shop.customers_webhook");
        assertEquals("model", operator.path("resource_type").asText(), manifest.path("nodes").fieldNames().toString());
        assertEquals("operator", operator.path("config").path("sluice").path("resource_type").asText());

        JsonNode runResults = JSON.readTree(p.read("target/run_results.json"));
        keys(problems, "run_results", runResults, Set.of("metadata", "results", "elapsed_time"), Set.of("metadata", "results", "elapsed_time", "args"));
        keys(problems, "run_results metadata", runResults.path("metadata"), Set.of("dbt_schema_version"), METADATA);
        for (JsonNode r : runResults.path("results")) {
            keys(problems, "result " + r.path("unique_id").asText(), r, RESULT_REQUIRED, union(RESULT_REQUIRED, Set.of("batch_results")));
            if (!RESULT_STATUS.contains(r.path("status").asText())) problems.add(r.path("unique_id") + ": status " + r.path("status"));
            if (!r.path("compiled").isBoolean()) problems.add(r.path("unique_id") + ": compiled is not a boolean");
        }
        assertTrue(runResults.path("results").size() > 10, runResults.toString());

        JsonNode sources = JSON.readTree(p.read("target/sources.json"));
        keys(problems, "sources.json", sources, Set.of("metadata", "results", "elapsed_time"), Set.of("metadata", "results", "elapsed_time"));
        keys(problems, "sources.json metadata", sources.path("metadata"), Set.of("dbt_schema_version"), METADATA);
        for (JsonNode r : sources.path("results")) keys(problems, "freshness " + r.path("unique_id").asText(), r, FRESHNESS_RESULT, FRESHNESS_RESULT);
        // Loaded in 2024, a day's warn_after: a warning.
        assertEquals("warn", sources.path("results").get(0).path("status").asText(), sources.toString());

        JsonNode catalog = JSON.readTree(p.read("target/catalog.json"));
        keys(problems, "catalog.json", catalog, Set.of("metadata", "nodes", "sources"), Set.of("metadata", "nodes", "sources", "errors"));
        keys(problems, "catalog metadata", catalog.path("metadata"), Set.of("dbt_schema_version"), METADATA);
        for (String section : List.of("nodes", "sources")) {
            catalog.path(section).properties().forEach(e -> {
                keys(problems, "catalog " + e.getKey(), e.getValue(), Set.of("metadata", "columns", "stats"), Set.of("metadata", "columns", "stats", "unique_id"));
                keys(problems, "catalog " + e.getKey() + " metadata", e.getValue().path("metadata"), Set.of("type", "schema", "name"),
                        Set.of("type", "schema", "name", "database", "comment", "owner"));
                e.getValue().path("columns").properties().forEach(c -> keys(problems, "catalog " + e.getKey() + "." + c.getKey(),
                        c.getValue(), Set.of("type", "index", "name"), Set.of("type", "index", "name", "comment")));
            });
        }
        assertTrue(catalog.path("sources").has("source.shop.landing.raw_loads"), catalog.path("sources").toString());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Records each required key the object lacks and each key it has that is not allowed. */
    private static void keys(List<String> problems, String what, JsonNode object, Set<String> required, Set<String> allowed) {
        if (!object.isObject()) {
            problems.add(what + ": not an object but " + object);
            return;
        }
        for (String k : required) if (!object.has(k)) problems.add(what + ": lacks required '" + k + "'");
        object.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) problems.add(what + ": has '" + k + "', which dbt's schema does not allow");
        });
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.isTextual() ? x.asText() : x.toString()));
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
