package dev.sluice.activation;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One item an export sends: a row to add or update, or an id to remove. For full (non-incremental) webhook
 * exports every row is an item with action "row".
 *
 * @param row  index in the export's rows, or -1 for a remove
 * @param data the row as JSON, or null for a remove
 */
public record Change(String action, String id, String payloadHash, int row, Map<String, Object> data) {
    public static final String ADD = "add";
    public static final String UPDATE = "update";
    public static final String REMOVE = "remove";
    public static final String ROW = "row";

    /** Numeric ids in numeric order, then the rest as text, so batches read naturally and never vary. */
    public static final Comparator<String> ID_ORDER = (a, b) -> {
        Long x = asLong(a);
        Long y = asLong(b);
        if (x != null && y != null) return Long.compare(x, y);
        if (x != null) return -1;
        if (y != null) return 1;
        return a.compareTo(b);
    };

    public static final Comparator<Change> ORDER = Comparator.comparing(Change::id, ID_ORDER)
            .thenComparing(Change::action).thenComparing(c -> c.payloadHash() == null ? "" : c.payloadHash());

    private static Long asLong(String s) {
        if (s.isEmpty() || s.length() > 18) return null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(ch >= '0' && ch <= '9') && !(i == 0 && ch == '-' && s.length() > 1)) return null;
        }
        return Long.parseLong(s);
    }

    /**
     * The Idempotency-Key of a batch: SHA-256 of the export name and the batch's (action, id, payload_hash)
     * items in sorted order. Only content goes in, so a batch re-sent after a failed run carries the same key.
     */
    public static String batchKey(String exportName, List<Change> batch) {
        StringBuilder s = new StringBuilder(exportName).append('\n');
        batch.stream().map(c -> c.action() + '\t' + c.id() + '\t' + (c.payloadHash() == null ? "" : c.payloadHash()))
                .sorted().forEach(line -> s.append(line).append('\n'));
        return Hashing.sha256Hex(s.toString());
    }
}
