package dev.sluice.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small hand-written target folder: a source, a seed, two models, two tests and their run. */
final class DocsFixture {
    static final String EVIL = "Customers <script>alert('x')</script> & friends";

    private DocsFixture() {
    }

    static void writeManifest(Path target) throws IOException {
        Files.createDirectories(target);
        Files.writeString(target.resolve("manifest.json"), """
                {
                  "metadata": {"project_name": "tiny", "adapter_type": "duckdb", "generated_at": "2025-01-02T03:04:05Z"},
                  "nodes": {
                    "seed.tiny.raw_customers": {
                      "unique_id": "seed.tiny.raw_customers", "resource_type": "seed", "name": "raw_customers",
                      "original_file_path": "seeds/raw_customers.csv", "description": "", "config": {}, "tags": [],
                      "schema": "main", "alias": "raw_customers", "relation_name": "\\"main\\".\\"raw_customers\\"",
                      "raw_code": "", "compiled_code": "", "depends_on": {"nodes": []},
                      "columns": {"id": {"name": "id", "description": "Customer id", "data_type": "integer"}},
                      "column_lineage": {}
                    },
                    "model.tiny.stg_orders": {
                      "unique_id": "model.tiny.stg_orders", "resource_type": "model", "name": "stg_orders",
                      "original_file_path": "models/stg_orders.sql", "description": "Orders, cleaned.",
                      "config": {"materialized": "view"}, "tags": ["staging"], "schema": "main", "alias": "stg_orders",
                      "relation_name": "\\"main\\".\\"stg_orders\\"",
                      "raw_code": "select * from {{ source('shop', 'orders') }}",
                      "compiled_code": "select * from \\"raw\\".\\"orders\\"",
                      "depends_on": {"nodes": ["source.tiny.shop.orders"]},
                      "columns": {"order_id": {"name": "order_id", "description": "", "data_type": null},
                                  "customer_id": {"name": "customer_id", "description": ""}},
                      "column_lineage": {"order_id": ["raw.orders.id"], "customer_id": ["raw.orders.customer"]}
                    },
                    "model.tiny.customers": {
                      "unique_id": "model.tiny.customers", "resource_type": "model", "name": "customers",
                      "original_file_path": "models/customers.sql", "description": "%s",
                      "config": {"materialized": "table", "tags": ["core"]}, "tags": ["core"], "schema": "main", "alias": "customers",
                      "relation_name": "\\"main\\".\\"customers\\"",
                      "raw_code": "select c.id as customer_id, count(o.order_id) as orders from {{ ref('raw_customers') }} c left join {{ ref('stg_orders') }} o on o.customer_id < c.id group by 1",
                      "compiled_code": "select 1",
                      "depends_on": {"nodes": ["seed.tiny.raw_customers", "model.tiny.stg_orders"]},
                      "columns": {"customer_id": {"name": "customer_id", "description": "Primary key", "data_type": "integer"},
                                  "orders": {"name": "orders", "description": "Number of orders"}},
                      "column_lineage": {"customer_id": ["main.raw_customers.id"], "orders": ["main.stg_orders.order_id"]}
                    },
                    "test.tiny.not_null_customers_customer_id.abc": {
                      "unique_id": "test.tiny.not_null_customers_customer_id.abc", "resource_type": "test",
                      "name": "not_null_customers_customer_id", "original_file_path": "models/schema.yml",
                      "description": "", "config": {}, "tags": [], "schema": "main_dbt_test__audit",
                      "depends_on": {"nodes": ["model.tiny.customers"]}, "columns": {}, "column_lineage": {},
                      "test_metadata": {"name": "not_null", "kwargs": {}}, "column_name": "customer_id",
                      "attached_node": "model.tiny.customers"
                    },
                    "test.tiny.assert_orders_positive": {
                      "unique_id": "test.tiny.assert_orders_positive", "resource_type": "test",
                      "name": "assert_orders_positive", "original_file_path": "tests/assert_orders_positive.sql",
                      "description": "", "config": {}, "tags": [], "schema": "main_dbt_test__audit",
                      "depends_on": {"nodes": ["model.tiny.stg_orders"]}, "columns": {}, "column_lineage": {}
                    }
                  },
                  "sources": {
                    "source.tiny.shop.orders": {
                      "unique_id": "source.tiny.shop.orders", "resource_type": "source", "source_name": "shop",
                      "name": "orders", "schema": "raw", "identifier": "orders", "description": "Raw orders.",
                      "columns": {"id": {"name": "id", "description": "", "data_type": null}}
                    }
                  },
                  "docs": {}, "parent_map": {}, "child_map": {}
                }
                """.formatted(EVIL));
    }

    static void writeRunResults(Path target) throws IOException {
        Files.writeString(target.resolve("run_results.json"), """
                {
                  "metadata": {"generated_at": "2025-01-02T03:05:00Z"},
                  "elapsed_time": 1.5,
                  "args": {"which": "build"},
                  "results": [
                    {"unique_id": "seed.tiny.raw_customers", "status": "success", "execution_time": 0.2, "message": "INSERT 3", "failures": null},
                    {"unique_id": "model.tiny.stg_orders", "status": "success", "execution_time": 0.1, "message": "OK", "failures": null},
                    {"unique_id": "test.tiny.assert_orders_positive", "status": "pass", "execution_time": 0.01, "message": null, "failures": 0},
                    {"unique_id": "model.tiny.customers", "status": "success", "execution_time": 0.4, "message": "SELECT 3", "failures": null},
                    {"unique_id": "test.tiny.not_null_customers_customer_id.abc", "status": "fail", "execution_time": 0.02, "message": "Got 2 results, configured to fail if != 0", "failures": 2}
                  ]
                }
                """);
    }

    static void writeInsights(Path target) throws IOException {
        Files.writeString(target.resolve("insights.json"), """
                {
                  "segments": [
                    {"name": "loyal", "size": 30, "profile": {"orders": 6.5, "basket": 40}},
                    {"name": "new", "size": 10, "profile": {"orders": 1, "basket": 25}}
                  ],
                  "churn": {"model": "customers", "auc": 0.8, "precision": 0.7, "recall": 0.6,
                            "roc": [[1, 1], [0, 0], [0.2, 0.6], "bad"], "threshold": 0.31,
                            "threshold_objective": "f1", "threshold_roc": [0.2, 0.6],
                            "pr": [[0.1, 0.9, 0.8], [0.6, 0.7, 0.31], [1.0, 0.3, 0.01]]},
                  "timings": [{"name": "train churn", "seconds": 1.25}]
                }
                """);
    }

    /** A complete target folder. */
    static Path target(Path dir) throws IOException {
        Path target = dir.resolve("target");
        writeManifest(target);
        writeRunResults(target);
        writeInsights(target);
        return target;
    }
}
