package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The run order as a user sees it in the START lines: after a previous run whose run_results.json says a node was
 * slow, a run on two threads starts that node first among those ready at once; on one thread the file is not read
 * and the order stays topological.
 */
class RunOrderTimingsTest extends ProjectTest {
    @Test
    void theNodeThatWasSlowLastTimeStartsFirst() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/order/root.sql", "{{ config(materialized='table') }}\nselect 1 as id union all select 2 as id\n");
        for (String m : new String[] {"x", "y", "z"}) {
            p.write("models/order/" + m + ".sql", "{{ config(materialized='table') }}\nselect id, '" + m + "' as m from {{ ref('root') }}\n");
        }
        CliHarness.Result first = p.run("run", "-s", "path:models/order", "--threads", "2");
        assertEquals(0, first.exitCode(), first.all());
        assertEquals(4, startIndex(first.out(), "z"), "no timings yet: x, y, z in topological order after root\n" + first.out());

        // The previous run as if z had taken 100 s.
        ObjectMapper json = new ObjectMapper();
        ObjectNode results = (ObjectNode) json.readTree(p.read("target/run_results.json"));
        for (var r : results.withArray("results")) {
            if (r.path("unique_id").asText().endsWith(".z")) ((ObjectNode) r).put("execution_time", 100.0);
        }
        p.write("target/run_results.json", json.writeValueAsString(results));
        CliHarness.Result timed = p.run("run", "-s", "path:models/order", "--threads", "2", "--no-skip-unchanged");
        assertEquals(0, timed.exitCode(), timed.all());
        assertEquals(2, startIndex(timed.out(), "z"), "z, slow last time, right after root\n" + timed.out());
        assertEquals(2L, p.count("main.z"));

        p.write("target/run_results.json", json.writeValueAsString(results));
        CliHarness.Result single = p.run("run", "-s", "path:models/order", "--threads", "1", "--no-skip-unchanged");
        assertEquals(0, single.exitCode(), single.all());
        assertEquals(4, startIndex(single.out(), "z"), "one thread: the order of the total is the same, timings unread\n" + single.out());
    }

    /** N of "N of M START sql table model main.<name>". */
    private static int startIndex(String out, String name) {
        Matcher m = Pattern.compile("(\\d+) of \\d+ START [a-z ]*model [a-z_]*\\." + name + " ").matcher(out);
        if (!m.find()) throw new AssertionError("no START line for " + name + " in\n" + out);
        return Integer.parseInt(m.group(1));
    }
}
