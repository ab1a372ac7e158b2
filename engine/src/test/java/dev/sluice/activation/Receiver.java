package dev.sluice.activation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on 127.0.0.1 that records every request and can be told to misbehave on the Nth one.
 * It de-duplicates by Idempotency-Key as a careful receiver would, and keeps the audience the processed
 * batches describe, so tests can check what a real destination would end up with.
 */
final class Receiver implements AutoCloseable {
    enum Fault {
        /** Answer 500 without processing. */
        FAIL_500,
        /** Answer 429 with Retry-After: 0 without processing. */
        RATE_LIMIT,
        /** Close the connection without an answer. */
        DROP,
        /** Process the batch, then answer 500 anyway: the sender cannot know it arrived. */
        ACCEPT_THEN_500,
        /** Answer 400, echoing the token of the request's Authorization header in the body. */
        REJECT_ECHO,
        /** Wait 1.5 s before answering 200 without processing: longer than the sender's timeout in tests. */
        SLOW
    }

    /** @param status the answer sent, or -1 when the connection was dropped */
    record Request(String body, String key, Map<String, List<String>> headers, int status, long nanos) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<Integer, Fault> faults = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final Set<String> processedKeys = new HashSet<>();
    private final List<String> duplicateKeys = new ArrayList<>();
    private final Map<String, JsonNode> members = new TreeMap<>();
    private final List<JsonNode> rows = new ArrayList<>();
    private final List<JsonNode> changes = new ArrayList<>();

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Misbehave on the nth request (1-based, counted over the receiver's life). */
    synchronized Receiver failOn(int nth, Fault fault) {
        faults.put(nth, fault);
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized Set<String> members() {
        return Set.copyOf(members.keySet());
    }

    synchronized JsonNode member(String id) {
        return members.get(id);
    }

    synchronized List<String> duplicateKeys() {
        return List.copyOf(duplicateKeys);
    }

    synchronized int processedBatches() {
        return processedKeys.size();
    }

    /** The rows of processed full-export batches. */
    synchronized List<JsonNode> rows() {
        return List.copyOf(rows);
    }

    /** The change items of processed batches, in order. */
    synchronized List<JsonNode> changes() {
        return List.copyOf(changes);
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
        Fault fault;
        synchronized (this) {
            fault = faults.get(requests.size() + 1);
            int status = fault == null || fault == Fault.SLOW ? 200 : switch (fault) {
                case FAIL_500, ACCEPT_THEN_500 -> 500;
                case RATE_LIMIT -> 429;
                case DROP -> -1;
                case REJECT_ECHO -> 400;
                case SLOW -> 200;
            };
            requests.add(new Request(body, key, new HashMap<>(ex.getRequestHeaders()), status, System.nanoTime()));
            if (fault == null || fault == Fault.ACCEPT_THEN_500) process(key, body);
        }
        if (fault == Fault.SLOW) {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fault == Fault.DROP) {
            // Closing before any answer makes the server drop the connection.
            ex.close();
            return;
        }
        if (fault == Fault.RATE_LIMIT) ex.getResponseHeaders().set("Retry-After", "0");
        String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
        // Echoes the bare token, as a careless API might: the sender must mask it even without "Bearer ".
        String answer = fault == Fault.REJECT_ECHO ? "bad request, token " + auth.substring(auth.indexOf(' ') + 1)
                : fault == null ? "ok" : "try again";
        byte[] out = answer.getBytes(StandardCharsets.UTF_8);
        int status = fault == null || fault == Fault.SLOW ? 200 : fault == Fault.RATE_LIMIT ? 429 : fault == Fault.REJECT_ECHO ? 400 : 500;
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    private void process(String key, String body) throws IOException {
        if (!processedKeys.add(key)) {
            duplicateKeys.add(key);
            return;
        }
        JsonNode root = JSON.readTree(body);
        if (root.has("rows")) root.get("rows").forEach(rows::add);
        if (root.has("changes")) {
            for (JsonNode c : root.get("changes")) {
                changes.add(c);
                String id = c.get("id").asText();
                if (c.get("action").asText().equals("remove")) members.remove(id);
                else members.put(id, c.get("data"));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
