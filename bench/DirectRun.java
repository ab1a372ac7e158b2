import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Baseline for the overhead benchmark: runs the compiled SQL of the models the engine just ran (from
 * target/run_results.json and target/manifest.json), in dependency order, on one JDBC connection, with plain
 * CREATE OR REPLACE statements: no templating, no parsing, no temporary names, no tests.
 * Usage: java -cp engine-cli.jar:bench DirectRun <target dir> <duckdb file>
 */
public class DirectRun {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(new File(args[0], "manifest.json"));
        JsonNode results = json.readTree(new File(args[0], "run_results.json"));
        List<String> order = new ArrayList<>();
        Set<String> ran = new HashSet<>();
        for (JsonNode r : results.get("results")) if (r.get("unique_id").asText().startsWith("model.")) ran.add(r.get("unique_id").asText());
        Set<String> done = new HashSet<>();
        while (done.size() < ran.size()) {
            boolean progressed = false;
            for (String id : ran) {
                if (done.contains(id)) continue;
                boolean ready = true;
                for (JsonNode d : manifest.get("nodes").get(id).get("depends_on").get("nodes")) {
                    if (ran.contains(d.asText()) && !done.contains(d.asText())) ready = false;
                }
                if (ready) {
                    order.add(id);
                    done.add(id);
                    progressed = true;
                }
            }
            if (!progressed) throw new IllegalStateException("cycle");
        }
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[1]); Statement st = c.createStatement()) {
            for (String id : order) {
                JsonNode n = manifest.get("nodes").get(id);
                String kind = n.get("config").path("materialized").asText("view").equals("view") ? "view" : "table";
                String rel = n.get("relation_name").asText();
                // A view and a table of one name cannot replace each other; start clean.
                for (String k : new String[]{"view", "table"}) {
                    try (Statement drop = c.createStatement()) {
                        drop.execute("drop " + k + " if exists " + rel);
                    } catch (java.sql.SQLException wrongKind) {
                        // DuckDB refuses DROP VIEW on a table and the reverse; the other statement drops it.
                    }
                }
                st.execute("create " + kind + " " + rel + " as (" + n.get("compiled_code").asText() + ")");
            }
        }
        System.out.printf("direct: %d models in %.1f s%n", order.size(), (System.nanoTime() - start) / 1e9);
    }
}
