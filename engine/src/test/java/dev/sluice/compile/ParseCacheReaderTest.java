package dev.sluice.compile;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The parse cache's streaming reader gives what Jackson's data binding (which writes the file, and read it before)
 * gives for the same file, value types included; anything else in the file reads as no cache at all.
 */
class ParseCacheReaderTest {
    @TempDir
    Path tmp;

    private static ParseCache.Stored sample() {
        Map<String, Object> inFile = new LinkedHashMap<>();
        inFile.put("materialized", "incremental");
        inFile.put("small", 7L);
        inFile.put("large", 9_000_000_000L);
        inFile.put("huge", new BigInteger("123456789012345678901234567890"));
        inFile.put("ratio", 0.25);
        inFile.put("flag", true);
        inFile.put("none", null);
        inFile.put("nested", Map.of("tags", List.of("a", "b"), "deep", Map.of("x", List.of(1L, 2.5, false))));
        inFile.put("text", "quote \" backslash \\ newline \n tab \t unicode \u00e9\u4e2d \ud83d\ude00");
        List<Object> env = new ArrayList<>(Arrays.asList("PP_COLOUR", "-", null));
        ParseCache.Entry full = new ParseCache.Entry("h1", List.of("model.p.a"), inFile,
                List.of(List.of("", "a", "model.p.a")), List.of(List.of("s", "t", "source.p.s.t", "db", "main", "t")),
                List.of(env, List.of("X", "abc", "dflt")), Map.of("p.plus_one", "d1"), "select 1\n", List.of("config", "ref"),
                true, Arrays.asList(null, "main", "a"), Map.of("model.p.a", Arrays.asList(null, "main", "a")),
                List.of("db", "main", "a"), true, List.of("materialized"), Map.of("var.threshold", "5"));
        ParseCache.Entry sparse = new ParseCache.Entry("h2", List.of(), Map.of(), List.of(), List.of(), List.of(), Map.of(),
                null, List.of(), false, null, Map.of(), null, false, List.of(), Map.of());
        ParseCache.Analysis analysed = new ParseCache.Analysis("s1",
                List.of(new ParseCache.Lookup(List.of("main", "a"), List.of("id", "t")), new ParseCache.Lookup(List.of("x"), null)),
                List.of(List.of("main", "a")), List.of("id", "t2"),
                Map.of("id", List.of(new ParseCache.Source(List.of("main", "a"), "id")), "t2", List.of()), null, false);
        ParseCache.Analysis unparsed = new ParseCache.Analysis("s2", List.of(), List.of(), List.of(), Map.of(),
                "Encountered \"from\" at line 1", true);
        return new ParseCache.Stored("key1", new java.util.TreeMap<>(Map.of("model.p.b", full, "test.p.t", sparse)),
                new java.util.TreeMap<>(Map.of("model.p.b", analysed, "model.p.c", unparsed)), "macros1");
    }

    @Test
    void readsWhatDataBindingWritesAsDataBindingReadsIt() throws Exception {
        Path file = tmp.resolve("partial_parse.json");
        new ObjectMapper().writeValue(file.toFile(), sample());
        ParseCache.Stored streamed = ParseCache.read(file);
        ParseCache.Stored bound = new ObjectMapper().readValue(file.toFile(), ParseCache.Stored.class);
        assertNotNull(streamed);
        assertEquals(bound, streamed);
        // The same value classes, which equals() alone would not show for maps of Object.
        Map<String, Object> in = streamed.nodes().get("model.p.b").inFile();
        assertEquals(bound.nodes().get("model.p.b").inFile().toString(), in.toString());
        assertInstanceOf(Integer.class, in.get("small"));
        assertInstanceOf(Long.class, in.get("large"));
        assertInstanceOf(BigInteger.class, in.get("huge"));
        assertInstanceOf(Double.class, in.get("ratio"));
        assertInstanceOf(LinkedHashMap.class, in.get("nested"));
        assertInstanceOf(ArrayList.class, streamed.nodes().get("model.p.b").dependsOn());
        // The keys' order in the file is kept (the writer sorts them).
        assertEquals(List.of("model.p.b", "test.p.t"), new ArrayList<>(streamed.nodes().keySet()));
    }

    @Test
    void anythingButTheWrittenFormReadsAsNoCache() throws Exception {
        Path file = tmp.resolve("partial_parse.json");
        new ObjectMapper().writeValue(file.toFile(), sample());
        String good = Files.readString(file);
        List<String> bad = List.of(
                "",
                "not json",
                good.substring(0, good.length() / 2),
                good + "{}",
                // an older or newer format: a field this engine does not write
                good.replaceFirst("\"hash\":", "\"flavour\":1,\"hash\":"),
                good.replaceFirst("\"key\":", "\"version\":2,\"key\":"),
                // a value of the wrong kind
                good.replaceFirst("\"sideEffects\":true", "\"sideEffects\":\"yes\""),
                good.replaceFirst("\"dependsOn\":\\[\"model.p.a\"]", "\"dependsOn\":{}"),
                "[]");
        for (String text : bad) {
            Files.writeString(file, text);
            assertNull(ParseCache.read(file), text.length() > 80 ? text.substring(0, 80) : text);
        }
        Files.writeString(file, "null");
        assertNull(ParseCache.read(file));
        Files.delete(file);
        assertNull(ParseCache.read(file));
    }
}
