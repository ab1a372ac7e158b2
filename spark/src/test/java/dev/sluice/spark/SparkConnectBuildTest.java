package dev.sluice.spark;

import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;
import dev.sluice.sparksql.SparkSqlSession;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shop fixture's builds (ShopOnSpark) on a real cluster through Spark Connect (method connect): a master,
 * two workers and a Connect server, each its own JVM started by bin/spark-cluster. Beyond the shared checks:
 * the executors of both workers ran tasks, a worker lost mid-build leaves every table readable and as it was,
 * and a server that is not there is one clear error.
 */
class SparkConnectBuildTest extends ShopOnSpark {
    private static SparkCluster cluster;
    private static SparkSession reader;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = SparkCluster.start("spark-cluster-shop");
        reader = org.apache.spark.sql.connect.SparkSession.builder().remote(cluster.url()).create();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (reader != null) reader.close();
        if (cluster != null) cluster.close();
    }

    @Override
    String output(String schema) {
        return """
                      type: spark
                      method: connect
                      host: 127.0.0.1
                      port: %d
                      schema: %s
                      threads: 2
                      server_side_parameters:
                        spark.sql.shuffle.partitions: 4
                """.formatted(cluster.connectPort, schema);
    }

    @Override
    List<Row> rows(String sql) {
        return reader.sql(sql).collectAsList();
    }

    /** The acceptance of the cluster: retail at test size gives DuckDB's results, with work on both workers. */
    @Test
    void retailProjectGivesTheSameResultsOnTheClusterAsOnDuckDb() throws Exception {
        int[] before = {count(cluster.executorLogs(1), "Finished task"), count(cluster.executorLogs(2), "Finished task")};
        RetailComparison.compare(tmp.resolve("retail"), output("main"), this::rows);
        for (int w = 1; w <= 2; w++) {
            int tasks = count(cluster.executorLogs(w), "Finished task") - before[w - 1];
            System.out.println("retail build: worker " + w + " finished " + tasks + " tasks");
            assertTrue(tasks > 0, "worker " + w + " ran none of the retail build's tasks");
        }
    }

    @Test
    void losingAWorkerMidBuildLeavesEveryTableAsItWas() throws Exception {
        Path p = project("lost", "lost");
        Result first = run(p, "build");
        assertEquals(0, first.code(), first.out());
        List<String> tables = new ArrayList<>();
        // The engine's own run state (sluice_state) changes with every run by design: the models' tables are compared.
        for (Row r : rows("show tables in lost")) if (!r.getString(1).equals("sluice_state")) tables.add(r.getString(1));
        assertTrue(tables.size() >= 5, tables.toString());
        List<String> before = contents(tables);

        // The next build starts; once worker 2's executor has run some of its tasks, the worker dies with it.
        int tasksBefore = count(cluster.executorLogs(2), "Finished task");
        // Unchanged nodes would be skipped: --no-skip-unchanged makes the build rerun the work while the worker dies.
        CompletableFuture<Result> build = CompletableFuture.supplyAsync(() -> run(p, "build", "--no-skip-unchanged"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (count(cluster.executorLogs(2), "Finished task") < tasksBefore + 3 && !build.isDone()
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(build.isDone(), "the build ended before worker 2 could be killed:\n"
                + (build.isDone() ? build.get().out() : ""));
        cluster.killWorker(2);
        Result during = build.get(10, TimeUnit.MINUTES);
        // Spark reruns the lost tasks on worker 1 (exit 0); a failure must name what failed (exit 1). Either way
        // every table is there with the rows it had: the same input gives the same tables.
        assertTrue(during.code() == 0 || during.code() == 1 && during.out().contains("ERROR"), during.out());
        assertEquals(before, contents(tables), "tables after the build that lost a worker\n" + during.out());
        System.out.println("build that lost worker 2: exit " + during.code());

        // The worker comes back (start launches only what is not running) and the next build succeeds.
        String restart = cluster.script("start");
        assertTrue(restart.contains("Spark Connect on"), restart);
        Result after = run(p, "build", "--no-skip-unchanged");
        assertEquals(0, after.code(), after.out());
        assertEquals(before, contents(tables));
    }

    /**
     * The engine's bulk append (the generator's loads, the model registry) over Spark Connect: awkward values come
     * back as they went, read by a second session; a batch larger than one INSERT's JSON spans several INSERTs.
     */
    @Test
    void appendedRowsComeBackAsTheyWent() throws Exception {
        Map<String, Object> settings = Map.of("type", "spark", "method", "connect", "host", "127.0.0.1",
                "port", String.valueOf(cluster.connectPort), "schema", "appends");
        Target t = new Target("p", "dev", "spark", null, "appends", 1, settings, null);
        try (SparkConnectAdapter a = new SparkConnectAdapter(t); Session s = a.open()) {
            s.execute("create schema if not exists appends");
            s.execute("drop table if exists appends.odd");
            s.execute("create table appends.odd (id bigint, name string, amount decimal(38, 10), "
                    + "ratio double, day date, at timestamp, flag boolean) using delta");
            List<String> columns = List.of("id", "name", "amount", "ratio", "day", "at", "flag");
            List<ColumnType> types = List.of(ColumnType.BIGINT, ColumnType.TEXT, ColumnType.DECIMAL, ColumnType.DOUBLE,
                    ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.BOOLEAN);
            List<List<Object>> rows = List.of(
                    Arrays.asList(1L, "say \"hi\", then\nleave", new BigDecimal("19.99"), 0.1, LocalDate.of(2024, 2, 29),
                            LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000), true),
                    Arrays.asList(2, "back\\slash \u00e9\u4e2d\ud83d\ude00 tab\there \u0001", new BigDecimal("-0.0000000001"),
                            Double.NaN, LocalDate.of(1, 1, 1), LocalDateTime.of(1970, 1, 1, 23, 59, 59, 999_999_000), false),
                    Arrays.asList(3L, "", new BigDecimal("12345678901234567890.1234567891"), Double.NEGATIVE_INFINITY,
                            LocalDate.of(9999, 12, 31), LocalDateTime.of(2000, 1, 1, 0, 0), null),
                    Arrays.asList(4L, "{\"c0\": 1}]", 7L, 1e300, null, null, true),
                    Arrays.asList(5L, null, null, null, null, null, null));
            assertEquals(5, s.append(new Relation(null, "appends", "odd"), columns, types, rows.iterator()));
            List<String> back = new ArrayList<>();
            for (Row r : rows("select id, name, cast(amount as string), ratio, cast(day as string), "
                    + "cast(at as string), flag from appends.odd order by id")) back.add(r.toString());
            assertEquals(List.of(
                    "[1,say \"hi\", then\nleave,19.9900000000,0.1,2024-02-29,2024-03-31 02:30:00.123456,true]",
                    "[2,back\\slash \u00e9\u4e2d\ud83d\ude00 tab\there \u0001,-0.0000000001,NaN,0001-01-01,1970-01-01 23:59:59.999999,false]",
                    "[3,,12345678901234567890.1234567891,-Infinity,9999-12-31,2000-01-01 00:00:00,null]",
                    "[4,{\"c0\": 1}],7.0000000000,1.0E300,null,null,true]",
                    "[5,null,null,null,null,null,null]"), back);

            // More rows than one INSERT's JSON holds: all of them arrive, once.
            s.execute("drop table if exists appends.many");
            s.execute("create table appends.many (id bigint, pad string) using delta");
            String pad = "x".repeat(1000);
            int n = SparkSqlSession.JSON_CHARS / 1000 + 5_000;
            Iterator<List<Object>> many = java.util.stream.LongStream.rangeClosed(1, n)
                    .mapToObj(i -> List.<Object>of(i, pad)).iterator();
            assertEquals(n, s.append(new Relation(null, "appends", "many"), List.of("id", "pad"),
                    List.of(ColumnType.BIGINT, ColumnType.TEXT), many));
            Row sums = rows("select count(*), count(distinct id), sum(id), min(length(pad)) from appends.many").get(0);
            assertEquals(List.of((long) n, (long) n, (long) n * (n + 1) / 2, 1000),
                    List.of(sums.getLong(0), sums.getLong(1), sums.getLong(2), sums.getInt(3)));
        }
    }

    @Test
    void aServerThatIsNotThereIsOneClearError() throws IOException {
        Path p = project("nowhere", "nowhere");
        String profile = Files.readString(p.resolve("profiles.yml"))
                .replace("port: " + cluster.connectPort, "port: 1");
        Files.writeString(p.resolve("profiles.yml"), profile);
        Result r = run(p, "build");
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.out().contains("cannot reach the Spark Connect server of target 'dev' at sc://127.0.0.1:1"), r.out());
        assertFalse(r.out().contains("\tat "), "no stack trace:\n" + r.out());
    }

    @Test
    void anUnknownProfileKeyIsNamed() throws IOException {
        Path p = project("typo", "typo");
        Files.writeString(p.resolve("profiles.yml"), Files.readString(p.resolve("profiles.yml"))
                .replace("host: 127.0.0.1", "host: 127.0.0.1\n      use_sll: true"));
        Result r = run(p, "build");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("has keys it does not read: [use_sll]"), r.out());
    }

    private List<String> contents(List<String> tables) {
        List<String> out = new ArrayList<>();
        for (String t : tables) {
            List<String> rows = new ArrayList<>();
            for (Row r : rows("select * from lost." + t)) rows.add(r.toString());
            java.util.Collections.sort(rows);
            out.add(t + ": " + rows);
        }
        return out;
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) n++;
        return n;
    }
}
