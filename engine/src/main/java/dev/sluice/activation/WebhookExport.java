package dev.sluice.activation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Sends an export's rows, or only its changes, to a webhook in batches. */
public final class WebhookExport {
    /**
     * @param items  rows or changes delivered
     * @param counts the changes by action; null when every row was sent
     */
    public record Outcome(int batches, int items, String message, ActivationLog.Counts counts) {
    }

    private final String name;
    private final WebhookSender sender;
    private final int batchSize;
    private final Consumer<String> log;

    public WebhookExport(String name, WebhookSender sender, int batchSize, Consumer<String> log) {
        if (batchSize < 1) throw new IllegalArgumentException("batch_size must be at least 1");
        this.name = name;
        this.sender = sender;
        this.batchSize = batchSize;
        this.log = log;
    }

    /** Every row, every run: body {"export": name, "rows": [...]}. */
    public Outcome sendAll(ExportRows rows, String idColumn) {
        List<List<Change>> batches = ChangeSet.batches(ChangeSet.all(rows, idColumn), batchSize);
        int sent = 0;
        for (int b = 0; b < batches.size(); b++) {
            List<Change> batch = batches.get(b);
            List<Object> data = new ArrayList<>(batch.size());
            batch.forEach(c -> data.add(c.data()));
            deliver(batch, body("rows", data), b, batches.size(), sent, false);
            sent += batch.size();
        }
        return new Outcome(batches.size(), sent, "POST " + sent + " rows in " + batches.size() + " batches", null);
    }

    /**
     * Only what changed since the state table's view of the receiver: body {"export": name, "changes":
     * [{"action", "id", "data"}]} with data null for a remove. Each acknowledged batch is recorded in the state
     * table before the next is sent, so a run that fails resumes after the last acknowledged batch.
     */
    public Outcome sendChanges(ExportRows rows, String idColumn, ExportState state, Supplier<Instant> clock) {
        state.ensureExists();
        List<Change> changes = ChangeSet.diff(rows, idColumn, state.load());
        List<List<Change>> batches = ChangeSet.batches(changes, batchSize);
        int sent = 0;
        for (int b = 0; b < batches.size(); b++) {
            List<Change> batch = batches.get(b);
            List<Object> items = new ArrayList<>(batch.size());
            for (Change c : batch) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("action", c.action());
                item.put("id", c.id());
                item.put("data", c.data());
                items.add(item);
            }
            deliver(batch, body("changes", items), b, batches.size(), sent, true);
            state.apply(batch, clock.get());
            sent += batch.size();
        }
        return new Outcome(batches.size(), sent, summary(changes) + " in " + batches.size() + " batches", ActivationLog.Counts.of(changes));
    }

    /** @param recorded whether delivered batches are in the state table, so that no later run re-sends them */
    private void deliver(List<Change> batch, byte[] body, int index, int total, int sentBefore, boolean recorded) {
        String what = "batch " + (index + 1) + "/" + total;
        try {
            int attempts = sender.send(body, Change.batchKey(name, batch), what);
            if (attempts > 1) log.accept(what + " delivered after " + attempts + " attempts");
        } catch (ExportException e) {
            throw new ExportException(e.getMessage() + " (" + index + " of " + total + " batches, " + sentBefore
                    + " items, were delivered before" + (recorded ? "; a later run does not send them again)" : ")"), e);
        }
    }

    private byte[] body(String key, List<Object> items) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("export", name);
        m.put(key, items);
        return ExportRows.jsonBytes(m);
    }

    static String summary(List<Change> changes) {
        long add = changes.stream().filter(c -> c.action().equals(Change.ADD)).count();
        long update = changes.stream().filter(c -> c.action().equals(Change.UPDATE)).count();
        long remove = changes.stream().filter(c -> c.action().equals(Change.REMOVE)).count();
        return add + " added, " + update + " updated, " + remove + " removed";
    }
}
