package dev.sluice.task;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a JSON tree of maps, lists and values without indentation, byte for byte as one
 * {@code ObjectMapper.writeValue} of the whole tree writes it, with the entries of its large maps serialized on
 * every core: a 10,000-model manifest.json is 30 MB, and writing it on one thread was a tenth of a compile's CPU.
 * Compact JSON of a map is its entries joined by commas inside braces, so entries serialized apart and joined
 * in their order give the same bytes. A map given as {@link Entries} is written straight from its records, each
 * entry by its own writer, so its entries are never held as maps.
 */
final class CompactJson {
    /** Entries per piece: enough to outweigh a task's hand-off, few enough to share the work between cores. */
    private static final int CHUNK = 256;

    private CompactJson() {
    }

    static void write(OutputStream out, Object tree, ObjectMapper json) throws IOException {
        List<Object> pieces = new ArrayList<>();
        plan(tree, 0, json, pieces);
        List<byte[]> bytes;
        try {
            bytes = dev.sluice.compile.Parallel.map(pieces, p -> p instanceof byte[] b ? b : serialize(json, p));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        for (byte[] b : bytes) out.write(b);
    }

    /**
     * Splits the tree into literal bytes (byte[]) and parts serialized by the mapper: Chunk (some entries of a
     * map, written without its braces) or any other value (written whole). The root's values and the entries of
     * its maps are the parts; deeper values are written whole.
     */
    private static void plan(Object value, int depth, ObjectMapper json, List<Object> pieces) throws IOException {
        if (value instanceof Entries<?> entries && depth == 1) {
            pieces.add(new byte[] {'{'});
            for (int from = 0; from < entries.items().size(); from += CHUNK) {
                if (from > 0) pieces.add(new byte[] {','});
                pieces.add(new EntryChunk(entries, from, Math.min(from + CHUNK, entries.items().size())));
            }
            pieces.add(new byte[] {'}'});
            return;
        }
        if (!(value instanceof Map<?, ?> map) || depth > 1 || !stringKeys(map) || (depth == 1 && map.size() <= CHUNK)) {
            pieces.add(value == null ? serialize(json, null) : value);
            return;
        }
        pieces.add(new byte[] {'{'});
        if (depth == 1) {
            Map<Object, Object> chunk = new LinkedHashMap<>();
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                chunk.put(e.getKey(), e.getValue());
                if (chunk.size() == CHUNK) {
                    if (!first) pieces.add(new byte[] {','});
                    pieces.add(new Chunk(chunk));
                    chunk = new LinkedHashMap<>();
                    first = false;
                }
            }
            if (!chunk.isEmpty()) {
                if (!first) pieces.add(new byte[] {','});
                pieces.add(new Chunk(chunk));
            }
        } else {
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                byte[] key = json.writeValueAsBytes(e.getKey());
                byte[] head = new byte[key.length + (first ? 1 : 2)];
                int at = 0;
                if (!first) head[at++] = ',';
                System.arraycopy(key, 0, head, at, key.length);
                head[head.length - 1] = ':';
                pieces.add(head);
                plan(e.getValue(), depth + 1, json, pieces);
                first = false;
            }
        }
        pieces.add(new byte[] {'}'});
    }

    /** Jackson writes a map's keys with toString(); only String keys are written here as values are. */
    private static boolean stringKeys(Map<?, ?> map) {
        for (Object k : map.keySet()) {
            if (!(k instanceof String)) return false;
        }
        return true;
    }

    /** Writes one entry's value (a whole JSON value) from its record. */
    interface EntryWriter<T> {
        void write(T item, JsonGenerator out) throws IOException;
    }

    /**
     * A map of the root given as its records: each record's key (as written, so already masked when it must be)
     * and the writer of its value. Serialized in pieces like any large map, entry after entry, in the list's order.
     */
    record Entries<T>(List<T> items, java.util.function.Function<T, String> key, EntryWriter<T> value) {
        void write(int from, int to, JsonGenerator out) throws IOException {
            for (int i = from; i < to; i++) {
                T item = items.get(i);
                out.writeFieldName(key.apply(item));
                value.write(item, out);
            }
        }
    }

    /** Entries from..to of an {@link Entries}. */
    private record EntryChunk(Entries<?> entries, int from, int to) {
    }

    /** Some consecutive entries of a map. */
    private record Chunk(Map<Object, Object> entries) {
    }

    private static byte[] serialize(ObjectMapper json, Object part) {
        try {
            if (part instanceof EntryChunk c) {
                java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(8192);
                // The mapper's own generator (its settings applied), as writeValueAsBytes makes it.
                try (JsonGenerator out = json.createGenerator(buf)) {
                    out.writeStartObject();
                    c.entries().write(c.from(), c.to(), out);
                    out.writeEndObject();
                }
                byte[] whole = buf.toByteArray();
                return java.util.Arrays.copyOfRange(whole, 1, whole.length - 1);
            }
            if (part instanceof Chunk c) {
                byte[] whole = json.writeValueAsBytes(c.entries());
                byte[] inner = new byte[whole.length - 2];
                System.arraycopy(whole, 1, inner, 0, inner.length);
                return inner;
            }
            return json.writeValueAsBytes(part);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
