package dev.sluice.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns dbt-shaped artifacts into the compact object the page reads: graph nodes with their
 * columns, tests and resolved column lineage, the test results, a precomputed DAG layout,
 * run timings and insights. The page never sees the raw artifacts, so their quirks stay here.
 */
final class SiteData {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SiteData() {
    }

    static ObjectNode build(JsonNode manifest, JsonNode runResults, JsonNode insights, List<String> warnings) {
        Map<String, JsonNode> results = new HashMap<>();
        if (runResults != null) {
            for (JsonNode r : runResults.path("results")) results.put(r.path("unique_id").asText(), r);
        }

        // Graph nodes: everything but tests, sources first so they sit on the left of the layout.
        Map<String, ObjectNode> nodes = new LinkedHashMap<>();
        Map<String, JsonNode> tests = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.path("sources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            nodes.put(e.getKey(), source(e.getKey(), e.getValue()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.path("nodes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if ("test".equals(e.getValue().path("resource_type").asText())) tests.put(e.getKey(), e.getValue());
            else nodes.put(e.getKey(), node(e.getKey(), e.getValue()));
        }

        List<String[]> edges = new ArrayList<>();
        for (ObjectNode n : nodes.values()) {
            for (JsonNode d : n.path("depends_on")) {
                if (nodes.containsKey(d.asText())) {
                    edges.add(new String[]{d.asText(), n.path("id").asText()});
                    ((ArrayNode) nodes.get(d.asText()).path("children")).add(n.path("id").asText());
                }
            }
        }

        ArrayNode testOut = F.arrayNode();
        for (Map.Entry<String, JsonNode> e : tests.entrySet()) {
            ObjectNode t = test(e.getKey(), e.getValue(), results.get(e.getKey()));
            testOut.add(t);
            // A generic test names the node it checks; a singular one only has what it selects from.
            List<String> on = new ArrayList<>();
            if (!t.path("attached").asText("").isEmpty()) on.add(t.path("attached").asText());
            else t.path("depends_on").forEach(d -> on.add(d.asText()));
            for (String id : on) {
                ObjectNode n = nodes.get(id);
                if (n != null) ((ArrayNode) n.path("tests")).add(e.getKey());
            }
        }

        for (ObjectNode n : nodes.values()) {
            JsonNode r = results.get(n.path("id").asText());
            if (r != null) {
                n.put("status", r.path("status").asText(""));
                n.put("execution_time", r.path("execution_time").asDouble());
                n.put("message", r.path("message").asText(""));
            }
        }
        resolveLineage(nodes, warnings);

        DagLayout.Result layout = DagLayout.layout(new ArrayList<>(nodes.keySet()), edges);
        ObjectNode layoutOut = F.objectNode();
        layoutOut.put("width", layout.width()).put("height", layout.height())
                .put("node_width", DagLayout.NODE_WIDTH).put("node_height", DagLayout.NODE_HEIGHT);
        ObjectNode positions = layoutOut.putObject("positions");
        layout.positions().forEach((id, p) -> positions.putObject(id).put("x", p.x()).put("y", p.y()).put("layer", p.layer()));
        ArrayNode routes = layoutOut.putArray("routes");
        for (DagLayout.Route r : layout.routes()) {
            ArrayNode slots = routes.addObject().put("from", r.from()).put("to", r.to()).putArray("slots");
            for (int[] slot : r.slots()) slots.add(F.arrayNode().add(slot[0]).add(slot[1]).add(slot[2]));
        }

        ObjectNode out = F.objectNode();
        JsonNode md = manifest.path("metadata");
        out.put("project", md.path("project_name").asText("sluice project"));
        out.put("adapter", md.path("adapter_type").asText(""));
        out.put("generated_at", md.path("generated_at").asText(""));
        ArrayNode nodeArr = out.putArray("nodes");
        nodes.values().forEach(nodeArr::add);
        out.set("tests", testOut);
        ArrayNode edgeArr = out.putArray("edges");
        for (String[] e : edges) edgeArr.add(F.arrayNode().add(e[0]).add(e[1]));
        out.set("layout", layoutOut);
        out.set("run", run(runResults, nodes, tests));
        ObjectNode ins = insights == null ? Insights.read(F.objectNode(), warnings) : Insights.read(insights, warnings);
        resolveChurnModel(ins, nodes);
        out.set("insights", ins);
        return out;
    }

    private static ObjectNode source(String id, JsonNode s) {
        ObjectNode j = base(id, "source", s.path("source_name").asText() + "." + s.path("name").asText(), s);
        j.put("relation", relation(s.path("schema").asText(""), s.path("identifier").asText(s.path("name").asText())));
        j.put("alias", s.path("identifier").asText(s.path("name").asText()));
        return j;
    }

    private static ObjectNode node(String id, JsonNode n) {
        ObjectNode j = base(id, n.path("resource_type").asText("model"), n.path("name").asText(id), n);
        j.put("relation", n.path("relation_name").asText(""));
        j.put("alias", n.path("alias").asText(n.path("name").asText()));
        j.put("materialized", n.path("config").path("materialized").asText(""));
        j.put("raw_code", n.path("raw_code").asText(""));
        j.put("compiled_code", n.path("compiled_code").asText(""));
        j.set("config", n.path("config").isObject() ? n.get("config") : F.objectNode());
        ArrayNode tags = j.putArray("tags");
        n.path("tags").forEach(tags::add);
        ArrayNode deps = j.putArray("depends_on");
        n.path("depends_on").path("nodes").forEach(d -> deps.add(d.asText()));
        ObjectNode lineage = j.putObject("column_lineage_raw");
        // In the node's engine facts (config.sluice); at the top of the entry in manifests of earlier versions.
        JsonNode recorded = n.path("config").path("sluice").has("column_lineage")
                ? n.path("config").path("sluice").path("column_lineage") : n.path("column_lineage");
        recorded.fields().forEachRemaining(e -> lineage.set(e.getKey(), e.getValue()));
        return j;
    }

    /** Fields every graph node has, whatever its kind. */
    private static ObjectNode base(String id, String type, String name, JsonNode n) {
        ObjectNode j = F.objectNode();
        j.put("id", id);
        j.put("type", type);
        j.put("name", name);
        j.put("description", n.path("description").asText(""));
        j.put("path", n.path("original_file_path").asText(""));
        j.put("schema", n.path("schema").asText(""));
        ArrayNode cols = j.putArray("columns");
        n.path("columns").fields().forEachRemaining(e -> {
            JsonNode c = e.getValue();
            ObjectNode col = cols.addObject();
            col.put("name", c.path("name").asText(e.getKey()));
            col.put("description", c.path("description").asText(""));
            col.put("data_type", c.path("data_type").isTextual() ? c.path("data_type").asText() : "");
        });
        j.putArray("children");
        j.putArray("tests");
        if (!j.has("tags")) j.putArray("tags");
        if (!j.has("depends_on")) j.putArray("depends_on");
        return j;
    }

    private static ObjectNode test(String id, JsonNode t, JsonNode result) {
        ObjectNode j = F.objectNode();
        j.put("id", id);
        j.put("name", t.path("name").asText(id));
        j.put("test", t.path("test_metadata").path("name").asText("singular"));
        j.put("column", t.path("column_name").isTextual() ? t.path("column_name").asText() : "");
        j.put("attached", t.path("attached_node").isTextual() ? t.path("attached_node").asText() : "");
        j.put("path", t.path("original_file_path").asText(""));
        j.put("compiled_code", t.path("compiled_code").asText(""));
        ArrayNode deps = j.putArray("depends_on");
        t.path("depends_on").path("nodes").forEach(d -> deps.add(d.asText()));
        if (result != null) {
            j.put("status", result.path("status").asText(""));
            if (result.path("failures").isNumber()) j.put("failures", result.path("failures").asLong());
            else j.putNull("failures");
            j.put("message", result.path("message").asText(""));
            j.put("execution_time", result.path("execution_time").asDouble());
        } else {
            j.put("status", "not run");
        }
        return j;
    }

    /**
     * column_lineage names upstream columns as "schema.table.column" (relations, not nodes), so
     * they are matched back to nodes by schema and alias; an unmatched one is still shown as text.
     */
    private static void resolveLineage(Map<String, ObjectNode> nodes, List<String> warnings) {
        Map<String, String> byRelation = new HashMap<>();
        for (ObjectNode n : nodes.values()) {
            String schema = n.path("schema").asText("").toLowerCase(Locale.ROOT);
            String alias = n.path("alias").asText("").toLowerCase(Locale.ROOT);
            byRelation.putIfAbsent(schema + "." + alias, n.path("id").asText());
            byRelation.putIfAbsent(alias, n.path("id").asText());
        }
        for (ObjectNode n : nodes.values()) {
            JsonNode raw = n.remove("column_lineage_raw");
            ObjectNode out = n.putObject("column_lineage");
            if (raw == null) continue;
            raw.fields().forEachRemaining(e -> {
                ArrayNode ups = out.putArray(e.getKey());
                for (JsonNode ref : e.getValue()) {
                    String text = ref.asText();
                    String[] parts = text.split("\\.");
                    ObjectNode u = ups.addObject();
                    u.put("ref", text);
                    u.put("column", parts[parts.length - 1]);
                    String node = null;
                    if (parts.length >= 3) {
                        String key = (parts[parts.length - 3] + "." + parts[parts.length - 2]).toLowerCase(Locale.ROOT);
                        node = byRelation.get(key);
                    } else if (parts.length == 2) {
                        node = byRelation.get(parts[0].toLowerCase(Locale.ROOT));
                    }
                    if (node == null) u.putNull("node");
                    else u.put("node", node);
                }
            });
        }
    }

    private static ObjectNode run(JsonNode runResults, Map<String, ObjectNode> nodes, Map<String, JsonNode> tests) {
        ObjectNode run = F.objectNode();
        if (runResults == null) {
            run.put("available", false);
            run.putArray("timings");
            run.putObject("counts");
            return run;
        }
        run.put("available", true);
        run.put("elapsed_time", runResults.path("elapsed_time").asDouble());
        run.put("generated_at", runResults.path("metadata").path("generated_at").asText(""));
        run.put("command", runResults.path("args").path("which").asText(""));
        ObjectNode runTags = run.putObject("tags");
        // args.tags; metadata.tags in run results of earlier versions
        JsonNode recordedTags = runResults.path("args").has("tags") ? runResults.path("args").path("tags")
                : runResults.path("metadata").path("tags");
        recordedTags.fields().forEachRemaining(e -> runTags.put(e.getKey(), e.getValue().asText()));
        Map<String, Integer> counts = new TreeMap<>();
        ArrayNode timings = run.putArray("timings");
        for (JsonNode r : runResults.path("results")) {
            String id = r.path("unique_id").asText();
            String status = r.path("status").asText("");
            counts.merge(status, 1, Integer::sum);
            ObjectNode t = timings.addObject();
            t.put("id", id);
            ObjectNode n = nodes.get(id);
            JsonNode test = tests.get(id);
            t.put("name", n != null ? n.path("name").asText() : test != null ? test.path("name").asText(id) : id);
            t.put("type", n != null ? n.path("type").asText() : test != null ? "test" : id.split("\\.")[0]);
            t.put("status", status);
            t.put("seconds", r.path("execution_time").asDouble());
        }
        ObjectNode c = run.putObject("counts");
        counts.forEach(c::put);
        return run;
    }

    private static void resolveChurnModel(ObjectNode insights, Map<String, ObjectNode> nodes) {
        JsonNode churn = insights.path("churn");
        if (!churn.isObject()) return;
        String model = churn.path("model").asText("");
        String id = nodes.containsKey(model) ? model : null;
        for (ObjectNode n : nodes.values()) {
            if (id == null && n.path("name").asText().equals(model)) id = n.path("id").asText();
        }
        if (id == null) ((ObjectNode) churn).putNull("model_id");
        else ((ObjectNode) churn).put("model_id", id);
    }

    private static String relation(String schema, String identifier) {
        return schema.isEmpty() ? identifier : schema + "." + identifier;
    }
}
