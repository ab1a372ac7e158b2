package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt's error semantics: a node that cannot be compiled or built once the project is parsed is an ERROR of that
 * node, its dependants are SKIPPED, the rest of the run goes on and the exit code is 1; a broken model that is
 * not selected does not stop a run.
 */
class NodeErrorsTest extends ProjectTest {

    private CliHarness project() {
        CliHarness p = copy("shop");
        p.write("models/broken/bad_strategy.sql",
                "{{ config(materialized='incremental', incremental_strategy='upsert', unique_key='id') }}\nselect 1 as id\n");
        p.write("models/broken/after_bad_strategy.sql", "select * from {{ ref('bad_strategy') }}\n");
        // Parses (the template is fine) but is not SQL: DuckDB's parser or the warehouse rejects it.
        p.write("models/broken/eph.sql", "{{ config(materialized='ephemeral') }}\nselect from from where\n");
        p.write("models/broken/uses_eph.sql", "select * from {{ ref('eph') }}\n");
        p.write("models/broken/after_uses_eph.sql", "select * from {{ ref('uses_eph') }}\n");
        return p;
    }

    private Map<String, String> statuses(CliHarness p) throws Exception {
        JsonNode results = new ObjectMapper().readTree(p.read("target/run_results.json")).get("results");
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode r : results) out.put(r.get("unique_id").asText().replace("model.shop.", ""), r.get("status").asText());
        return out;
    }

    @Test
    void aNodeThatCannotBuildFailsAloneAndItsDependantsAreSkipped() throws Exception {
        CliHarness p = project();
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("run");
        assertEquals(1, r.exitCode(), r.all());
        Map<String, String> st = statuses(p);
        assertEquals("error", st.get("bad_strategy"), st.toString());
        assertEquals("skipped", st.get("after_bad_strategy"), st.toString());
        assertEquals("error", st.get("uses_eph"), st.toString());
        assertEquals("skipped", st.get("after_uses_eph"), st.toString());
        assertEquals("success", st.get("customers"), st.toString());
        assertEquals("success", st.get("orders"), st.toString());
        assertTrue(r.out().contains("incremental_strategy 'upsert' of model 'bad_strategy' is not one of"), r.out());
        assertTrue(r.out().contains("ephemeral model 'eph' that uses_eph selects from does not compile"), r.out());
        assertTrue(r.out().contains("Done. PASS=4 WARN=0 ERROR=2 SKIP=2 TOTAL=8"), r.out());
        assertTrue(p.count("main.customers") > 0);
    }

    @Test
    void aBrokenModelThatIsNotSelectedDoesNotStopTheRun() {
        CliHarness p = project();
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("run", "-s", "stg_orders");
        assertEquals(0, r.exitCode(), r.all());
        r = p.run("compile", "-s", "customers");
        assertEquals(0, r.exitCode(), r.all());
        // Selected, a node that does not compile is still bad input for compile.
        r = p.run("compile", "-s", "uses_eph");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("models/broken/uses_eph.sql"), r.err());
    }

    @Test
    void buildRetriesOnlyWhatFailed() throws Exception {
        CliHarness p = project();
        assertEquals(1, p.run("build", "-s", "+after_bad_strategy").exitCode());
        p.write("models/broken/bad_strategy.sql",
                "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='id') }}\nselect 1 as id\n");
        CliHarness.Result r = p.run("retry");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, p.count("main.after_bad_strategy"));
        assertEquals("{bad_strategy=success, after_bad_strategy=success}", statuses(p).toString());
    }
}
