package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** engine parse: manifest.json and perf_info.json from the project alone, without the warehouse. */
class ParseCommandTest extends ProjectTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void writesManifestAndPerfInfo() throws IOException {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("parse");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("wrote target/manifest.json and target/perf_info.json"), r.out());
        JsonNode manifest = json.readTree(p.dir.resolve("target/manifest.json").toFile());
        assertTrue(manifest.path("nodes").has("model.shop.customers"), manifest.path("nodes").toString());
        assertTrue(manifest.path("nodes").has("seed.shop.raw_orders"));
        // customers.sql refs orders and stg_customers.
        assertEquals(java.util.List.of("model.shop.orders", "model.shop.stg_customers"),
                sorted(manifest.path("parent_map").path("model.shop.customers")));

        assertEquals(0, manifest.path("selectors").size(), "no selectors.yml, no selectors");

        JsonNode perf = json.readTree(p.dir.resolve("target/perf_info.json").toFile());
        // Recount the files the way a user would: everything under the project's resource folders.
        long files;
        try (var walk = Files.walk(p.dir)) {
            files = walk.filter(Files::isRegularFile).map(f -> p.dir.relativize(f).toString())
                    .filter(f -> f.matches("(models|seeds|tests|macros)/.*")).count();
        }
        assertEquals(files, perf.path("path_count").asLong(), perf.toString());
        assertEquals(files, perf.path("parsed_path_count").asLong());
        for (String key : java.util.List.of("static_analysis_path_count", "static_analysis_parsed_path_count")) {
            assertTrue(perf.path(key).isInt(), key);
        }
        // A first parse: partial parsing is on, and nothing could be reused yet.
        assertTrue(perf.path("is_partial_parse_enabled").asBoolean());
        assertEquals(0, perf.path("partial_parse_reused_nodes").asInt());
        for (String key : java.util.List.of("read_files_elapsed", "load_macros_elapsed", "parse_project_elapsed",
                "process_manifest_elapsed", "load_all_elapsed")) {
            assertTrue(perf.path(key).isNumber() && perf.path(key).asDouble() >= 0, key + " in " + perf);
            assertTrue(perf.path(key).asDouble() <= perf.path("load_all_elapsed").asDouble(), key);
        }
        JsonNode project = perf.path("projects").get(0);
        assertEquals("shop", project.path("project_name").asText());
        int byParser = 0;
        for (JsonNode parser : project.path("parsers")) byParser += parser.path("parsed_path_count").asInt();
        assertEquals(files, byParser);
    }

    @Test
    void theManifestListsTheSelectors() throws IOException {
        CliHarness p = copy("shop");
        p.write("selectors.yml", "selectors:\n  - name: marts\n    description: The marts.\n    default: true\n"
                + "    definition:\n      union:\n        - tag:marts\n        - exclude: [orders]\n");
        CliHarness.Result r = p.run("parse");
        assertEquals(0, r.exitCode(), r.all());
        JsonNode marts = json.readTree(p.dir.resolve("target/manifest.json").toFile()).path("selectors").path("marts");
        assertEquals("The marts.", marts.path("description").asText());
        assertTrue(marts.path("default").asBoolean());
        assertEquals("tag:marts", marts.path("definition").path("union").get(0).asText());
        assertEquals("orders", marts.path("definition").path("union").get(1).path("exclude").get(0).asText());
    }

    @Test
    void doesNotConnectToTheWarehouse() throws IOException {
        CliHarness p = copy("shop");
        // Nothing listens on port 9 of this machine: any connection attempt would fail the command.
        p.write("profiles.yml", "shop:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n      host: 127.0.0.1\n"
                + "      port: 9\n      user: nobody\n      password: wrong\n      dbname: nowhere\n      schema: public\n");
        CliHarness.Result r = p.run("parse");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(Files.exists(p.dir.resolve("target/manifest.json")));
        assertTrue(Files.exists(p.dir.resolve("target/perf_info.json")));
        // The same profile does fail a command that needs the warehouse, so the parse above really did not connect.
        CliHarness.Result debug = p.run("debug");
        assertTrue(debug.exitCode() != 0, debug.all());
    }

    @Test
    void aParseErrorIsOneLineWithFileAndLine() {
        CliHarness p = copy("shop");
        p.write("models/broken.sql", "select 1 as id\nfrom {{ ref('customers' }}\n");
        CliHarness.Result r = p.run("parse");
        assertEquals(2, r.exitCode(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("models/broken.sql:2"), r.err());
        assertFalse(r.all().contains("Exception"), r.all());

        p.write("models/broken.sql", "select 1 as id\n");
        p.write("models/marts/schema.yml", p.read("models/marts/schema.yml") + "  - name: [unclosed\n");
        r = p.run("parse");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("models/marts/schema.yml:"), r.err());
    }

    private static java.util.List<String> sorted(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        java.util.Collections.sort(out);
        return out;
    }
}
