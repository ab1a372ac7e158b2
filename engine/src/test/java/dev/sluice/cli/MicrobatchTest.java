package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's microbatch test (incremental/test_incremental_microbatch.py) ported, with --event-time-end
 * standing where dbt's test freezes the clock; and the rest of dbt's microbatch behaviour: lookback, a backfill of
 * a chosen range, inputs filtered per batch, and partial success when a batch fails.
 */
class MicrobatchTest extends ProjectTest {

    private static final String INPUT_MODEL = """
            {{ config(materialized='table', event_time='event_time') }}
            select 1 as id, TIMESTAMP '2020-01-01 00:00:00' as event_time
            union all
            select 2 as id, TIMESTAMP '2020-01-02 00:00:00' as event_time
            union all
            select 3 as id, TIMESTAMP '2020-01-03 00:00:00' as event_time
            """;
    private static final String MICROBATCH_MODEL = """
            {{ config(materialized='incremental', incremental_strategy='microbatch', unique_key='id', event_time='event_time', batch_size='day', begin=modules.datetime.datetime(2020, 1, 1, 0, 0, 0)) }}
            select * from {{ ref('input_model') }}
            """;

    private CliHarness project() {
        CliHarness p = copy("shop");
        p.write("models/mb/input_model.sql", INPUT_MODEL);
        p.write("models/mb/microbatch_model.sql", MICROBATCH_MODEL);
        return p;
    }

    private static void ok(CliHarness.Result r) {
        assertEquals(0, r.exitCode(), r.all());
    }

    /** BaseMicrobatch.test_run_with_event_time. */
    @Test
    void runWithEventTime() {
        CliHarness p = project();
        CliHarness.Result r = p.run("run", "-s", "input_model", "microbatch_model", "--event-time-end", "2020-01-03 13:57:00");
        ok(r);
        assertEquals(3L, p.count("main.microbatch_model"));
        assertTrue(r.out().contains("SUCCESS 3 batches"), r.out());

        // Same day, no new data: the same rows.
        ok(p.run("run", "-s", "input_model", "microbatch_model", "--event-time-end", "2020-01-03 14:57:00"));
        assertEquals(3L, p.count("main.microbatch_model"));

        execute(p, "insert into main.input_model (id, event_time) values (4, TIMESTAMP '2020-01-04 00:00:00'), "
                + "(5, TIMESTAMP '2020-01-05 00:00:00')");
        assertEquals(5L, p.count("main.input_model"));

        // Without advancing time no batch reaches the new rows.
        ok(p.run("run", "--select", "microbatch_model", "--event-time-end", "2020-01-03 14:57:00"));
        assertEquals(3L, p.count("main.microbatch_model"));

        ok(p.run("run", "--select", "microbatch_model", "--event-time-end", "2020-01-04 14:57:00"));
        assertEquals(4L, p.count("main.microbatch_model"));

        r = p.run("run", "--select", "microbatch_model", "--event-time-end", "2020-01-05 14:57:00");
        ok(r);
        assertEquals(5L, p.count("main.microbatch_model"));
        // lookback 1: yesterday's batch and today's, each its own statements.
        assertTrue(r.out().contains("SUCCESS 2 batches"), r.out());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(p, "main.microbatch_model"));
    }

    /** Each batch reads only its window of an input with event_time; inputs without one are read whole. */
    @Test
    void batchesReadTheirWindowAndReplaceTheirRows() {
        CliHarness p = project();
        // A second input without event_time: every batch joins all of it.
        p.write("models/mb/labels.sql", "{{ config(materialized='table') }}\n"
                + "select 1 as id, 'one' as label union all select 2, 'two' union all select 3, 'three'\n");
        p.write("models/mb/microbatch_model.sql", """
                {{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_time',
                          batch_size='day', begin='2020-01-01', lookback=1) }}
                select i.id, i.event_time, l.label, '{{ model.batch.id if model.batch else "none" }}' as batch_id
                from {{ ref('input_model') }} i left join {{ ref('labels') }} as l on l.id = i.id
                """);
        ok(p.run("run", "-s", "+microbatch_model", "--event-time-end", "2020-01-04 00:00:00"));
        assertEquals(List.of(1L, 2L, 3L), ids(p, "main.microbatch_model"));
        List<Map<String, Object>> rows = p.query("select id, label, batch_id from main.microbatch_model order by id");
        assertEquals("one", rows.get(0).get("label"));
        assertEquals("20200101", rows.get(0).get("batch_id"));
        assertEquals("20200103", rows.get(2).get("batch_id"));

        // A late row for the 2nd and a changed one of the 1st: the current batch (the 3rd, as the checkpoint is on a
        // boundary) and lookback 1 before it are reprocessed, the 1st is not.
        execute(p, "insert into main.input_model (id, event_time) values (7, TIMESTAMP '2020-01-02 12:00:00')");
        execute(p, "update main.input_model set id = 9 where id = 1");
        ok(p.run("run", "-s", "microbatch_model", "--event-time-end", "2020-01-04 00:00:00"));
        assertEquals(List.of(1L, 2L, 3L, 7L), ids(p, "main.microbatch_model"));

        // A backfill of a chosen range rebuilds just those batches.
        CliHarness.Result r = p.run("run", "-s", "microbatch_model", "--event-time-start", "2020-01-01",
                "--event-time-end", "2020-01-02");
        ok(r);
        assertTrue(r.out().contains("SUCCESS 1 batch,"), r.out());
        assertEquals(List.of(2L, 3L, 7L, 9L), ids(p, "main.microbatch_model"));

        // --full-refresh starts again from begin.
        execute(p, "delete from main.input_model where id = 7");
        ok(p.run("run", "-s", "microbatch_model", "--full-refresh", "--event-time-end", "2020-01-03 10:00:00"));
        assertEquals(List.of(2L, 3L, 9L), ids(p, "main.microbatch_model"));

        CliHarness.Result bad = p.run("run", "-s", "microbatch_model", "--event-time-start", "2020-01-03",
                "--event-time-end", "2020-01-02");
        assertEquals(2, bad.exitCode(), bad.all());
        assertTrue(bad.all().contains("--event-time-start (2020-01-03) must be before --event-time-end (2020-01-02)"),
                bad.all());
    }

    /** A failing batch does not stop the others: the model ends in partial success, the run exits 1. */
    @Test
    void aFailingBatchGivesPartialSuccess() throws Exception {
        CliHarness p = project();
        p.write("models/mb/microbatch_model.sql", """
                {{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_time',
                          batch_size='day', begin='2020-01-01') }}
                select id, event_time, cast(case when id = 2 then 'two' else '1' end as integer) as one
                from {{ ref('input_model') }}
                """);
        CliHarness.Result r = p.run("run", "-s", "+microbatch_model", "--event-time-end", "2020-01-04");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("PARTIAL SUCCESS (2/3)"), r.out());
        assertTrue(r.out().contains("batch 2 of 3 (2020-01-02 00:00:00 to 2020-01-03 00:00:00)"), r.out());
        assertTrue(r.out().contains("PARTIAL-SUCCESS=1"), r.out());
        assertEquals(List.of(1L, 3L), ids(p, "main.microbatch_model"));
        JsonNode results = new ObjectMapper().readTree(p.read("target/run_results.json")).path("results");
        boolean found = false;
        for (JsonNode res : results) {
            if (res.path("unique_id").asText().equals("model.shop.microbatch_model")) {
                assertEquals("partial success", res.path("status").asText());
                found = true;
            }
        }
        assertTrue(found, results.toString());

        // Every batch failing is the model's error.
        p.write("models/mb/microbatch_model.sql", """
                {{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_time',
                          batch_size='day', begin='2020-01-01') }}
                select id, event_time, cast('x' as integer) as one from {{ ref('input_model') }}
                """);
        r = p.run("run", "-s", "microbatch_model", "--event-time-end", "2020-01-04", "--full-refresh");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("every batch of microbatch model 'microbatch_model' failed"), r.out());
        assertEquals(List.of(1L, 3L), ids(p, "main.microbatch_model"), "the table is left as it was");
    }

    /** Configs microbatch needs are checked; concurrent_batches is not supported and says so. */
    @Test
    void missingConfigsAreErrorsOfTheModel() {
        CliHarness p = project();
        p.write("models/mb/microbatch_model.sql", """
                {{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_time',
                          batch_size='week', begin='2020-01-01', concurrent_batches=true) }}
                select * from {{ ref('input_model') }}
                """);
        CliHarness.Result r = p.run("run", "-s", "+microbatch_model");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("needs a batch_size of hour, day, month or year, not 'week'"), r.out());
        assertTrue(r.out().contains("concurrent_batches of microbatch model 'microbatch_model' is not supported"), r.out());
        assertEquals(3L, p.count("main.input_model"), "the rest of the run goes on");

        p.write("models/mb/microbatch_model.sql", """
                {{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_time',
                          batch_size='month') }}
                select * from {{ ref('input_model') }}
                """);
        r = p.run("run", "-s", "microbatch_model");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("microbatch model 'microbatch_model' needs begin"), r.out());

        // Monthly batches over the year's start: one batch holds all three rows.
        p.write("models/mb/microbatch_model.sql", """
                {{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_time',
                          batch_size='month', begin='2019-12-15') }}
                select * from {{ ref('input_model') }}
                """);
        r = p.run("run", "-s", "microbatch_model", "--event-time-end", "2020-02-01");
        ok(r);
        assertTrue(r.out().contains("SUCCESS 2 batches"), r.out());
        assertEquals(3L, p.count("main.microbatch_model"));
    }

    private static List<Long> ids(CliHarness p, String relation) {
        return p.query("select id from " + relation + " order by id").stream()
                .map(m -> ((Number) m.get("id")).longValue()).toList();
    }

    private static void execute(CliHarness p, String sql) {
        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
