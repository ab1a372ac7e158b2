package dev.sluice.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.error.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocsGeneratorTest {
    @TempDir
    Path dir;

    /** data.js is "window.SLUICE_DOCS = {json};"; read the object back as JSON. */
    static JsonNode data(Path out) throws IOException {
        String js = Files.readString(out.resolve("data.js"));
        int start = js.indexOf("window.SLUICE_DOCS = ") + "window.SLUICE_DOCS = ".length();
        return new ObjectMapper().readTree(js.substring(start, js.lastIndexOf(';')));
    }

    static JsonNode node(JsonNode data, String id) {
        for (JsonNode n : data.path("nodes")) if (n.path("id").asText().equals(id)) return n;
        throw new AssertionError("no node " + id);
    }

    @Test
    void writesSiteWithModelsEdgesAndLayout() throws IOException {
        Path target = DocsFixture.target(dir);
        Path out = dir.resolve("site");
        DocsGenerator.Site site = DocsGenerator.generate(target, out);

        for (String f : DocsGenerator.FILES) assertTrue(Files.isRegularFile(out.resolve(f)), f);
        assertEquals(out.resolve("index.html"), site.index());
        assertEquals(4, site.nodes());
        assertEquals(2, site.tests());
        assertEquals(List.of("insights.json: ROC point is not [fpr, tpr]; ignored"), site.warnings());

        JsonNode d = data(out);
        assertEquals("tiny", d.path("project").asText());
        List<String> ids = new ArrayList<>();
        d.path("nodes").forEach(n -> ids.add(n.path("id").asText()));
        assertEquals(List.of("source.tiny.shop.orders", "seed.tiny.raw_customers", "model.tiny.stg_orders", "model.tiny.customers"), ids);

        List<String> edges = new ArrayList<>();
        d.path("edges").forEach(e -> edges.add(e.get(0).asText() + " -> " + e.get(1).asText()));
        assertTrue(edges.contains("source.tiny.shop.orders -> model.tiny.stg_orders"), edges.toString());
        assertTrue(edges.contains("model.tiny.stg_orders -> model.tiny.customers"), edges.toString());
        assertTrue(edges.contains("seed.tiny.raw_customers -> model.tiny.customers"), edges.toString());
        assertEquals(3, edges.size());

        JsonNode pos = d.path("layout").path("positions");
        for (String id : ids) assertTrue(pos.has(id), id);
        assertTrue(pos.path("model.tiny.customers").path("x").asInt() > pos.path("model.tiny.stg_orders").path("x").asInt());
        assertTrue(d.path("layout").path("width").asInt() > 0);

        JsonNode customers = node(d, "model.tiny.customers");
        assertEquals(DocsFixture.EVIL, customers.path("description").asText());
        assertEquals("table", customers.path("materialized").asText());
        assertEquals("success", customers.path("status").asText());
        assertEquals("integer", customers.path("columns").get(0).path("data_type").asText());
        assertEquals("model.tiny.stg_orders", node(d, "model.tiny.stg_orders").path("id").asText());
        assertEquals("[\"model.tiny.customers\"]", node(d, "model.tiny.stg_orders").path("children").toString());
        assertEquals("[\"test.tiny.not_null_customers_customer_id.abc\"]", customers.path("tests").toString());
        assertEquals("[\"test.tiny.assert_orders_positive\"]", node(d, "model.tiny.stg_orders").path("tests").toString());
    }

    @Test
    void resolvesColumnLineageToNodes() throws IOException {
        Path out = dir.resolve("site");
        DocsGenerator.generate(DocsFixture.target(dir), out);
        JsonNode d = data(out);
        JsonNode orders = node(d, "model.tiny.customers").path("column_lineage").path("orders").get(0);
        assertEquals("model.tiny.stg_orders", orders.path("node").asText());
        assertEquals("order_id", orders.path("column").asText());
        assertEquals("main.stg_orders.order_id", orders.path("ref").asText());
        assertEquals("seed.tiny.raw_customers",
                node(d, "model.tiny.customers").path("column_lineage").path("customer_id").get(0).path("node").asText());
        // A source is found by its schema and identifier.
        assertEquals("source.tiny.shop.orders",
                node(d, "model.tiny.stg_orders").path("column_lineage").path("order_id").get(0).path("node").asText());
    }

    @Test
    void carriesTestResultsTimingsAndInsights() throws IOException {
        Path out = dir.resolve("site");
        DocsGenerator.generate(DocsFixture.target(dir), out);
        JsonNode d = data(out);
        JsonNode notNull = d.path("tests").get(0);
        assertEquals("not_null", notNull.path("test").asText());
        assertEquals("customer_id", notNull.path("column").asText());
        assertEquals("fail", notNull.path("status").asText());
        assertEquals(2, notNull.path("failures").asInt());
        assertEquals("singular", d.path("tests").get(1).path("test").asText());

        assertTrue(d.path("run").path("available").asBoolean());
        assertEquals(5, d.path("run").path("timings").size());
        assertEquals(0.4, d.path("run").path("timings").get(3).path("seconds").asDouble());
        assertEquals(1, d.path("run").path("counts").path("fail").asInt());

        JsonNode ins = d.path("insights");
        assertEquals(0.75, ins.path("segments").get(0).path("share").asDouble(), 1e-9);
        assertEquals(6.5, ins.path("segments").get(0).path("profile").path("orders").asDouble());
        assertEquals("model.tiny.customers", ins.path("churn").path("model_id").asText());
        assertEquals("[[0.0,0.0],[0.2,0.6],[1.0,1.0]]", ins.path("churn").path("roc").toString());
        assertEquals(0.31, ins.path("churn").path("threshold").asDouble());
        assertEquals("[0.2,0.6]", ins.path("churn").path("threshold_roc").toString());
        assertEquals("[[0.1,0.9],[0.6,0.7],[1.0,0.3]]", ins.path("churn").path("pr").toString());
        assertEquals("train churn", ins.path("timings").get(0).path("name").asText());
    }

    @Test
    void escapesUserTextInHtmlAndData() throws IOException {
        Path out = dir.resolve("site");
        DocsGenerator.generate(DocsFixture.target(dir), out);
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("Customers &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends"), html);
        assertFalse(html.contains("<script>alert"), html);
        assertTrue(html.contains("<script src=\"data.js\"></script>"));
        assertTrue(html.contains("<script src=\"app.js\"></script>"));

        String js = Files.readString(out.resolve("data.js"));
        assertFalse(js.contains("<script>"), "markup characters are \\u-escaped in data.js");
        assertFalse(js.contains("</script"));
        assertTrue(js.contains("\\u003Cscript\\u003E") || js.contains("\\u003cscript\\u003e"), js);
    }

    @Test
    void worksWithoutRunResultsOrInsights() throws IOException {
        Path target = dir.resolve("target");
        DocsFixture.writeManifest(target);
        Path out = DocsGenerator.defaultOutDir(target);
        DocsGenerator.Site site = DocsGenerator.generate(target, out);
        assertEquals(target.resolve("docs"), site.outDir());
        assertTrue(site.warnings().isEmpty(), site.warnings().toString());
        JsonNode d = data(out);
        assertFalse(d.path("run").path("available").asBoolean());
        assertEquals("not run", d.path("tests").get(0).path("status").asText());
        assertEquals(0, d.path("insights").path("segments").size());
        assertTrue(d.path("insights").path("churn").isNull());
    }

    @Test
    void brokenOptionalFilesAreWarningsButAMissingManifestIsAnError() throws IOException {
        Path target = dir.resolve("target");
        DocsFixture.writeManifest(target);
        Files.writeString(target.resolve("insights.json"), "{not json");
        Files.writeString(target.resolve("run_results.json"), "[]");
        DocsGenerator.Site site = DocsGenerator.generate(target, dir.resolve("site"));
        assertEquals(2, site.warnings().size(), site.warnings().toString());

        EngineException e = assertThrows(EngineException.class, () -> DocsGenerator.generate(dir.resolve("nowhere"), dir.resolve("x")));
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
        Files.writeString(target.resolve("manifest.json"), "{");
        assertThrows(EngineException.class, () -> DocsGenerator.generate(target, dir.resolve("site")));
    }
}
