package dev.sluice.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The manifest written in parallel pieces is byte for byte what one ObjectMapper.writeValue of the tree writes. */
class CompactJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] pieces(Object tree) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompactJson.write(out, tree, JSON);
        return out.toByteArray();
    }

    @Test
    void largeAndSmallMapsGiveTheBytesOfOneWrite() throws Exception {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("metadata", Map.of("generated_at", "2026-12-01T00:00:00Z"));
        Map<String, Object> nodes = new LinkedHashMap<>();
        // Sizes around the chunk (256): a full last chunk, a single-entry one, and one in between.
        for (int i = 0; i < 3 * 256 + 1; i++) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", "m" + i + " \"quoted\" \u00e9\u4e2d\n\t\u0001");
            n.put("count", i);
            n.put("big", (long) i << 40);
            n.put("ratio", i / 7.0);
            n.put("flag", i % 2 == 0);
            n.put("none", null);
            n.put("path", Path.of("models", "m" + i + ".sql"));
            n.put("list", Arrays.asList("a", null, 1, List.of()));
            n.put("byNumber", Map.of(i, "number keys are written as text"));
            nodes.put("model.p.m" + i, n);
        }
        root.put("nodes", nodes);
        Map<String, List<String>> parents = new TreeMap<>();
        for (int i = 0; i < 512; i++) parents.put("model.p.m" + i, List.of("model.p.m" + (i + 1)));
        root.put("parent_map", parents);
        root.put("small", Map.of("one", 1));
        root.put("empty", Map.of());
        root.put("null", null);
        Map<Object, Object> numberKeys = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) numberKeys.put(i, List.of(i));
        root.put("numberKeys", numberKeys);
        root.put("array", new ArrayList<>(List.of(1, "two")));
        assertArrayEquals(JSON.writeValueAsBytes(root), pieces(root));
    }

    @Test
    void anythingButAMapIsWrittenWhole() throws Exception {
        assertArrayEquals(JSON.writeValueAsBytes(List.of(1, 2)), pieces(List.of(1, 2)));
        assertArrayEquals(JSON.writeValueAsBytes("text"), pieces("text"));
        assertEquals("null", new String(pieces(null)));
        assertEquals("{}", new String(pieces(Map.of())));
    }

    @Test
    void aValueJacksonCannotWriteFailsAsAnIoError() {
        Map<String, Object> nodes = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) nodes.put("n" + i, i == 299 ? new Object() : i);
        assertThrows(java.io.IOException.class, () -> pieces(Map.of("nodes", nodes)));
    }

    /** A record of the tests below: written as an entry {"id": .., "tags": [..], "config": {..}}. */
    private record Item(int id, List<String> tags, Map<String, Object> config) {
        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("tags", tags);
            m.put("config", config);
            return m;
        }
    }

    @Test
    void entriesWrittenFromRecordsGiveTheBytesOfTheSameMap() throws Exception {
        // Counts around the chunk (256): none, one, a full chunk, one more, several with a short last one.
        for (int count : new int[] {0, 1, 256, 257, 3 * 256 + 1}) {
            List<Item> items = new ArrayList<>();
            Map<String, Object> asMaps = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                Map<String, Object> config = new LinkedHashMap<>();
                config.put("materialized", i % 2 == 0 ? "table" : null);
                config.put("ratio", i / 3.0);
                config.put("nested", Map.of("k", List.of(i, "v\u00e9\n")));
                Item item = new Item(i, List.of("t" + i, "\"q\""), config);
                items.add(item);
                asMaps.put("node." + i, item.asMap());
            }
            CompactJson.Entries<Item> entries = new CompactJson.Entries<>(items, it -> "node." + it.id(), (it, g) -> {
                g.writeStartObject();
                g.writeNumberField("id", it.id());
                g.writeFieldName("tags");
                g.writeObject(it.tags());
                g.writeFieldName("config");
                g.writeObject(it.config());
                g.writeEndObject();
            });
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("metadata", Map.of("v", 1));
            root.put("nodes", entries);
            root.put("after", List.of());
            Map<String, Object> expected = new LinkedHashMap<>(root);
            expected.put("nodes", asMaps);
            assertArrayEquals(JSON.writeValueAsBytes(expected), pieces(root), "entries: " + count);
        }
    }

    @Test
    void anEntryWritersFailureIsAnIoError() {
        CompactJson.Entries<Integer> entries = new CompactJson.Entries<>(List.of(1, 2, 3), String::valueOf, (i, g) -> {
            if (i == 3) throw new java.io.IOException("cannot write entry 3");
            g.writeNumber(i);
        });
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> pieces(Map.of("nodes", entries)));
        assertEquals("cannot write entry 3", e.getMessage());
    }
}
