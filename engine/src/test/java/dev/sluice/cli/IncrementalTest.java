package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Incremental strategies across runs with changing seed data, schema change policies, full refresh. */
class IncrementalTest extends ProjectTest {

    private static final String EVENTS_V1 = "event_id,customer_id,amount,updated_at\n1,1,10,2024-01-01\n2,1,20,2024-01-02\n3,2,30,2024-01-03\n";
    private static final String EVENTS_V2 = "event_id,customer_id,amount,updated_at\n1,1,10,2024-01-01\n2,1,25,2024-01-05\n3,2,30,2024-01-03\n4,3,40,2024-01-06\n";

    private CliHarness project(String strategyConfig) {
        CliHarness p = copy("shop");
        p.write("seeds/raw_events.csv", EVENTS_V1);
        p.write("models/marts/events_inc.sql", """
                {{ config(materialized='incremental', %s) }}
                select event_id, customer_id, amount, updated_at
                from {{ ref('raw_events') }}
                {%% if is_incremental() %%}
                where updated_at > (select max(updated_at) from {{ this }})
                {%% endif %%}
                """.formatted(strategyConfig));
        return p;
    }

    private String rows(CliHarness p) {
        return p.query("select event_id, customer_id, amount from main.events_inc order by event_id, amount").toString();
    }

    @Test
    void appendAddsOnlyNewRows() {
        CliHarness p = project("incremental_strategy='append'");
        assertEquals(0, p.run("build", "-s", "+events_inc").exitCode());
        assertEquals(3L, p.count("main.events_inc"));
        p.write("seeds/raw_events.csv", EVENTS_V2);
        CliHarness.Result r = p.run("build", "-s", "+events_inc");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("OK created sql incremental model main.events_inc"), r.out());
        // Append keeps the old version of event 2 beside the new one.
        assertEquals("[{event_id=1, customer_id=1, amount=10}, {event_id=2, customer_id=1, amount=20}, "
                + "{event_id=2, customer_id=1, amount=25}, {event_id=3, customer_id=2, amount=30}, "
                + "{event_id=4, customer_id=3, amount=40}]", rows(p));
        // Running again with the same data adds nothing: idempotent.
        assertEquals(0, p.run("build", "-s", "+events_inc").exitCode());
        assertEquals(5L, p.count("main.events_inc"));
    }

    @Test
    void mergeUpdatesByKeyAndFullRefreshRebuilds() {
        CliHarness p = project("unique_key='event_id', incremental_strategy='merge'");
        assertEquals(0, p.run("build", "-s", "+events_inc").exitCode());
        p.write("seeds/raw_events.csv", EVENTS_V2);
        assertEquals(0, p.run("build", "-s", "+events_inc").exitCode());
        String expected = "[{event_id=1, customer_id=1, amount=10}, {event_id=2, customer_id=1, amount=25}, "
                + "{event_id=3, customer_id=2, amount=30}, {event_id=4, customer_id=3, amount=40}]";
        assertEquals(expected, rows(p));
        assertEquals(0, p.run("run", "-s", "events_inc").exitCode());
        assertEquals(expected, rows(p), "a second run with unchanged data is identical");
        String compiled = p.read("target/compiled/shop/models/marts/events_inc.sql");
        assertTrue(compiled.contains("where updated_at > (select max(updated_at) from \"main\".\"events_inc\")"), compiled);
        // --full-refresh: is_incremental() is false and the table is rebuilt from scratch.
        p.query("select 1");
        assertEquals(0, p.run("run", "-s", "events_inc", "--full-refresh").exitCode());
        assertTrue(!p.read("target/compiled/shop/models/marts/events_inc.sql").contains("select max(updated_at)"));
        assertEquals(expected, rows(p));
    }

    @Test
    void deleteInsertWithCompositeKey() {
        CliHarness p = project("unique_key=['event_id', 'customer_id'], incremental_strategy='delete+insert'");
        assertEquals(0, p.run("build", "-s", "+events_inc").exitCode());
        p.write("seeds/raw_events.csv", EVENTS_V2);
        CliHarness.Result r = p.run("build", "-s", "+events_inc");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("[{event_id=1, customer_id=1, amount=10}, {event_id=2, customer_id=1, amount=25}, "
                + "{event_id=3, customer_id=2, amount=30}, {event_id=4, customer_id=3, amount=40}]", rows(p));
    }

    @Test
    void schemaChangePolicies() {
        CliHarness p = project("unique_key='event_id', on_schema_change='fail'");
        assertEquals(0, p.run("build", "-s", "+events_inc").exitCode());
        String withChannel = p.read("models/marts/events_inc.sql").replace("amount, updated_at\n", "amount, updated_at, 'web' as channel\n");
        p.write("models/marts/events_inc.sql", withChannel);
        CliHarness.Result r = p.run("run", "-s", "events_inc");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("on_schema_change is 'fail'"), r.out());
        assertEquals(3L, p.count("main.events_inc"), "the table is untouched");

        p.write("models/marts/events_inc.sql", withChannel.replace("on_schema_change='fail'", "on_schema_change='append_new_columns'"));
        p.write("seeds/raw_events.csv", EVENTS_V2);
        assertEquals(0, p.run("build", "-s", "+events_inc").exitCode());
        List<Map<String, Object>> rows = p.query("select event_id, channel from main.events_inc order by event_id");
        assertEquals("[{event_id=1, channel=null}, {event_id=2, channel=web}, {event_id=3, channel=null}, {event_id=4, channel=web}]",
                rows.toString());

        p.write("models/marts/events_inc.sql", withChannel.replace("on_schema_change='fail'", "on_schema_change='ignore'")
                .replace(", 'web' as channel", ", 'web' as channel, 1 as extra"));
        assertEquals(0, p.run("run", "-s", "events_inc").exitCode());
        assertEquals(0L, ((Number) p.scalar("select count(*) from information_schema.columns where table_name = 'events_inc' and column_name = 'extra'")).longValue());
    }

    /**
     * A DuckDB ENUM column of an incremental table takes a wider ENUM from the model's new rows (the table keeps its
     * first build's ENUM otherwise, and a new value fails the merge): the widening is applied with the merge, in its
     * transaction, so a merge that fails leaves the type as well as the rows as they were.
     */
    @Test
    void enumColumnWidensWithTheMergeAndOnlyWithIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(warehouse().isDuckDb(), "ENUM types are DuckDB's");
        CliHarness p = copy("shop");
        p.write("seeds/raw_channel_events.csv", "event_id,channel,amount\n1,Web,10\n2,Mobile,20\n");
        String model = """
                {{ config(materialized='incremental', unique_key='event_id', incremental_strategy='merge',
                          on_schema_change='append_new_columns') }}
                select event_id, cast(channel as enum(%s)) as channel, %s as amount from {{ ref('raw_channel_events') }}
                """;
        p.write("models/marts/channel_events.sql", model.formatted("'Mobile', 'Web'", "amount"));
        assertEquals(0, p.run("build", "-s", "+channel_events").exitCode());
        String type = "select data_type from information_schema.columns where table_name = 'channel_events' and column_name = 'channel'";
        assertEquals("ENUM('Mobile', 'Web')", p.scalar(type));

        // A new value, sorting between the old ones: the table's ENUM grows to the model's, every row keeps its text.
        p.write("seeds/raw_channel_events.csv", "event_id,channel,amount\n1,Web,10\n2,Mobile,20\n3,Kiosk,30\n");
        p.write("models/marts/channel_events.sql", model.formatted("'Kiosk', 'Mobile', 'Web'", "amount"));
        CliHarness.Result r = p.run("build", "-s", "+channel_events");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("ENUM('Kiosk', 'Mobile', 'Web')", p.scalar(type));
        String rows = "select event_id, cast(channel as varchar) as channel, amount from main.channel_events order by event_id";
        String widened = "[{event_id=1, channel=Web, amount=10}, {event_id=2, channel=Mobile, amount=20}, {event_id=3, channel=Kiosk, amount=30}]";
        assertEquals(widened, p.query(rows).toString());
        assertEquals("Kiosk", p.scalar("select cast(min(channel) as varchar) from main.channel_events"));

        // A wider ENUM again, but a merge that fails (an amount that is no number): the ALTER is rolled back with it.
        p.write("seeds/raw_channel_events.csv", "event_id,channel,amount\n1,Web,10\n4,Store,40\n");
        p.write("models/marts/channel_events.sql", model.formatted("'Kiosk', 'Mobile', 'Store', 'Web'",
                "case when event_id = 4 then 'forty' else cast(amount as varchar) end"));
        r = p.run("build", "-s", "+channel_events");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.all().contains("'forty'"), r.all());
        assertEquals("ENUM('Kiosk', 'Mobile', 'Web')", p.scalar(type), "the failed run left the table's type");
        assertEquals(widened, p.query(rows).toString(), "and its rows");

        // An incoming ENUM that orders the table's values differently is no widening: nothing is altered.
        p.write("models/marts/channel_events.sql", model.formatted("'Web', 'Mobile', 'Kiosk', 'Store'", "amount"));
        r = p.run("build", "-s", "+channel_events");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.all().contains("Conversion Error"), r.all());
        assertEquals("ENUM('Kiosk', 'Mobile', 'Web')", p.scalar(type));
        assertEquals(widened, p.query(rows).toString());
    }
}
