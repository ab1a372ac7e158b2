package dev.sluice.activation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class WebhookExportTest {
    private static final String SECRET = "Bearer s3cr3t-t0ken-9f2";
    private final Receiver receiver = new Receiver();
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private DuckDbAdapter adapter;
    private Session session;
    private ExportState state;

    @BeforeEach
    void open() {
        adapter = new DuckDbAdapter(new Target("p", "dev", "duckdb", null, "main", 1, Map.of(), null));
        session = adapter.open();
        state = new ExportState(adapter, session, new Relation(null, "exports", "hook_state"));
    }

    @AfterEach
    void close() {
        receiver.close();
        session.close();
        adapter.close();
    }

    private WebhookSender sender(int maxRetries, long backoffMs, long capMs, long timeoutMs) {
        Map<String, String> headers = Map.of("Authorization", SECRET, "X-Source", "sluice");
        return new WebhookSender(WebhookSender.client(Duration.ofSeconds(5)),
                new WebhookSender.Settings(URI.create(receiver.url()), headers, maxRetries, backoffMs, capMs,
                        Duration.ofMillis(timeoutMs)),
                ms -> {
                    sleeps.add(ms);
                    Thread.sleep(ms);
                }, logs::add, new Redactor(new ArrayList<>(headers.values())));
    }

    private WebhookExport export(int maxRetries, int batchSize) {
        return new WebhookExport("winback", sender(maxRetries, 5, 40, 5_000), batchSize, logs::add);
    }

    /** Customers 1..n, e-mail and spend; spend of the ids in bumped is changed. */
    private static ExportRows customers(List<Integer> ids, Set<Integer> bumped) {
        List<List<Object>> rows = new ArrayList<>();
        for (int id : ids) {
            rows.add(List.of((long) id, "  Customer" + id + "@Example.com ", bumped.contains(id) ? 1000.5 : id * 10.0));
        }
        return ExportRows.of(List.of("customer_id", "email", "spend"), rows).hashed(List.of("email"));
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    private static Set<String> ids(int from, int to) {
        return range(from, to).stream().map(String::valueOf).collect(Collectors.toSet());
    }

    @Test
    void retriesServerErrorsAndRateLimitsWithTheSameKeyAndBody() {
        receiver.failOn(1, Receiver.Fault.FAIL_500).failOn(2, Receiver.Fault.RATE_LIMIT).failOn(3, Receiver.Fault.DROP);
        WebhookExport.Outcome o = export(5, 500).sendAll(customers(range(1, 3), Set.of()), "customer_id");
        assertEquals(3, o.items());
        List<Receiver.Request> reqs = receiver.requests();
        assertEquals(4, reqs.size());
        assertEquals(1, reqs.stream().map(Receiver.Request::key).distinct().count(), "one key for every attempt");
        assertEquals(1, reqs.stream().map(Receiver.Request::body).distinct().count(), "same body every attempt");
        // Backoff 5 ms then doubled; Retry-After: 0 of the 429 replaces the backoff.
        assertEquals(List.of(5L, 0L, 20L), sleeps);
        assertTrue(reqs.get(1).nanos() - reqs.get(0).nanos() >= 5_000_000L, "waited before retrying");
        assertEquals(3, receiver.rows().size());
        assertEquals("sluice", reqs.get(3).header("X-Source"));
        assertEquals(SECRET, reqs.get(3).header("Authorization"));
        assertTrue(logs.stream().anyMatch(l -> l.contains("retry 1 of 5")), logs.toString());
    }

    @Test
    void backoffDoublesUpToTheCapAndTheNodeFailsWhenRetriesRunOut() {
        for (int i = 1; i <= 6; i++) receiver.failOn(i, Receiver.Fault.FAIL_500);
        ExportException e = assertThrows(ExportException.class,
                () -> export(5, 500).sendAll(customers(range(1, 2), Set.of()), "customer_id"));
        assertEquals(List.of(5L, 10L, 20L, 40L, 40L), sleeps);
        assertEquals(6, receiver.requests().size());
        assertTrue(e.getMessage().contains("gave up on batch 1/1 after 6 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    }

    @Test
    void aRequestThatTimesOutIsRetried() {
        receiver.failOn(1, Receiver.Fault.SLOW);
        WebhookExport export = new WebhookExport("winback", sender(3, 5, 40, 300), 500, logs::add);
        export.sendAll(customers(range(1, 2), Set.of()), "customer_id");
        assertEquals(2, receiver.requests().size());
        assertTrue(logs.stream().anyMatch(l -> l.contains("HttpTimeoutException")), logs.toString());
    }

    @Test
    void clientErrorsAreNotRetriedAndSecretsNeverShow() {
        receiver.failOn(1, Receiver.Fault.REJECT_ECHO).failOn(2, Receiver.Fault.REJECT_ECHO);
        ExportException e = assertThrows(ExportException.class,
                () -> export(5, 500).sendAll(customers(range(1, 2), Set.of()), "customer_id"));
        assertEquals(1, receiver.requests().size(), "a 400 is final");
        assertEquals(SECRET, receiver.requests().get(0).header("Authorization"), "the header was sent");
        assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertTrue(e.getMessage().contains("***"), "the echoed secret is masked: " + e.getMessage());

        // Retried failures log their reason: still without the secret.
        receiver.failOn(2, Receiver.Fault.FAIL_500);
        export(2, 500).sendAll(customers(range(1, 2), Set.of()), "customer_id");
        assertFalse(logs.isEmpty());
        logs.forEach(l -> assertFalse(l.contains("s3cr3t"), l));
    }

    @Test
    void aRunThatFailsMidExportResumesWithoutLosingOrRepeatingBatches() {
        // 10 members in batches of 3: 4 batches. Batch 3 fails (twice: max_retries 1), so the run fails.
        receiver.failOn(3, Receiver.Fault.FAIL_500).failOn(4, Receiver.Fault.FAIL_500);
        ExportRows rows = customers(range(1, 10), Set.of());
        ExportException e = assertThrows(ExportException.class,
                () -> export(1, 3).sendChanges(rows, "customer_id", state, Instant::now));
        assertTrue(e.getMessage().contains("2 of 4 batches"), e.getMessage());
        assertEquals(ids(1, 6), receiver.members());
        assertEquals(ids(1, 6), state.load().keySet(), "only acknowledged batches are recorded");
        String failedKey = receiver.requests().get(2).key();

        WebhookExport.Outcome o = export(1, 3).sendChanges(rows, "customer_id", state, Instant::now);
        assertEquals(4, o.items());
        assertEquals(ids(1, 10), receiver.members(), "no member missing");
        assertEquals(List.of(), receiver.duplicateKeys(), "nothing processed twice");
        List<Receiver.Request> reqs = receiver.requests();
        assertEquals(6, reqs.size(), "2 ok + 2 failed + 2 resumed");
        assertEquals(failedKey, reqs.get(4).key(), "the unacknowledged batch comes back with the same key");
        assertEquals(reqs.get(2).body(), reqs.get(4).body());
        // Adds only, sorted by id, hashed e-mails in the data.
        List<String> order = receiver.changes().stream().map(c -> c.get("id").asText()).toList();
        assertEquals(range(1, 10).stream().map(String::valueOf).toList(), order);
        JsonNode m7 = receiver.member("7");
        assertEquals(Hashing.sha256Hex("customer7@example.com"), m7.get("email_sha256").asText());
        assertFalse(m7.has("email"));
    }

    @Test
    void aBatchProcessedButNotAcknowledgedIsResentWithItsKeyAndDeduplicated() {
        // Batch 2 arrives and is processed, but the answer is 500 and no retries are left: the run fails.
        receiver.failOn(2, Receiver.Fault.ACCEPT_THEN_500);
        ExportRows rows = customers(range(1, 7), Set.of());
        assertThrows(ExportException.class, () -> export(0, 3).sendChanges(rows, "customer_id", state, Instant::now));
        assertEquals(ids(1, 3), state.load().keySet());

        export(0, 3).sendChanges(rows, "customer_id", state, Instant::now);
        List<Receiver.Request> reqs = receiver.requests();
        assertEquals(4, reqs.size());
        assertEquals(reqs.get(1).key(), reqs.get(2).key());
        assertEquals(List.of(reqs.get(1).key()), receiver.duplicateKeys(), "the duplicate carries the same key");
        assertEquals(3, receiver.processedBatches());
        assertEquals(ids(1, 7), receiver.members());
        assertEquals(7, receiver.changes().size(), "each change applied once");
    }

    @Test
    void aSecondIncrementalRunSendsOnlyAddsRemovesAndUpdates() {
        export(0, 500).sendChanges(customers(range(1, 5), Set.of()), "customer_id", state, Instant::now);
        assertEquals(5, receiver.changes().size());

        // 2 is gone, 4 spends more, 6 is new.
        List<Integer> now = new ArrayList<>(List.of(1, 3, 4, 5, 6));
        WebhookExport.Outcome o = export(0, 500).sendChanges(customers(now, Set.of(4)), "customer_id", state, Instant::now);
        assertEquals("1 added, 1 updated, 1 removed in 1 batches", o.message());
        List<JsonNode> second = receiver.changes().subList(5, 8);
        assertEquals(List.of("remove 2", "update 4", "add 6"),
                second.stream().map(c -> c.get("action").asText() + " " + c.get("id").asText()).toList());
        assertTrue(second.get(0).get("data").isNull());
        assertEquals(1000.5, second.get(1).get("data").get("spend").asDouble());
        assertEquals(Set.of("1", "3", "4", "5", "6"), receiver.members());
        assertEquals(Set.of("1", "3", "4", "5", "6"), state.load().keySet());

        int before = receiver.requests().size();
        WebhookExport.Outcome none = export(0, 500).sendChanges(customers(now, Set.of(4)), "customer_id", state, Instant::now);
        assertEquals(0, none.items());
        assertEquals(before, receiver.requests().size(), "nothing changed, nothing sent");
    }

    @Test
    void fullExportsResendEverythingWithKeysThatDependOnlyOnContent() {
        ExportRows rows = customers(range(1, 5), Set.of());
        export(0, 2).sendAll(rows, "customer_id");
        export(0, 2).sendAll(rows, "customer_id");
        List<Receiver.Request> reqs = receiver.requests();
        assertEquals(6, reqs.size());
        for (int i = 0; i < 3; i++) assertEquals(reqs.get(i).key(), reqs.get(i + 3).key());
        assertEquals(3, new HashSet<>(reqs.stream().map(Receiver.Request::key).toList()).size());
        export(0, 2).sendAll(customers(range(1, 5), Set.of(5)), "customer_id");
        assertNotEquals(reqs.get(2).key(), receiver.requests().get(8).key(), "other content, other key");
    }

    @Test
    void duplicateIdsAreRefused() {
        ExportRows rows = ExportRows.of(List.of("id", "x"), List.of(List.of(1L, "a"), List.of(1L, "b")));
        ExportException e = assertThrows(ExportException.class,
                () -> export(0, 10).sendChanges(rows, "id", state, Instant::now));
        assertTrue(e.getMessage().contains("not unique"), e.getMessage());
        assertTrue(receiver.requests().isEmpty());
    }
}
