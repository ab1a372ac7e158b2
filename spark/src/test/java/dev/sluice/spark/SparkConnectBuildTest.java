package dev.sluice.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
