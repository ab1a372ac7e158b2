package dev.sluice.compile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads target/partial_parse.json token by token into the cache's records. Jackson's data binding (what writes the
 * file) built its record deserializers by reflection on every start: with the mapper it initialised 550 classes,
 * the largest part of `engine ls`. The values come out as data binding gave them (lists as ArrayList, objects as
 * LinkedHashMap, whole numbers as the smallest of Integer, Long, BigInteger, others as Double), so what a command
 * finds in the cache does not depend on the reader. Anything unexpected (an unknown field, a wrong token, a
 * truncated file) is a {@link Malformed}: the caller parses afresh, as for any unreadable cache.
 */
final class ParseCacheReader {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** The file holds something other than what {@link ParseCache} writes. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final JsonParser p;

    private ParseCacheReader(JsonParser p) {
        this.p = p;
    }

    static ParseCache.Stored read(Path file) throws IOException, Malformed {
        try (JsonParser p = FACTORY.createParser(file.toFile())) {
            ParseCacheReader r = new ParseCacheReader(p);
            r.next();
            ParseCache.Stored s = r.stored();
            if (p.nextToken() != null) throw new Malformed("content after the end");
            return s;
        }
    }

    private JsonToken next() throws IOException, Malformed {
        JsonToken t = p.nextToken();
        if (t == null) throw new Malformed("truncated");
        return t;
    }

    private void expect(JsonToken t) throws Malformed {
        if (p.currentToken() != t) throw new Malformed("expected " + t + ", found " + p.currentToken());
    }

    /** Steps to the next field of the current object; its name, or null at the object's end. */
    private String field() throws IOException, Malformed {
        JsonToken t = next();
        if (t == JsonToken.END_OBJECT) return null;
        if (t != JsonToken.FIELD_NAME) throw new Malformed("expected a field, found " + t);
        String name = p.currentName();
        next();
        return name;
    }

    private ParseCache.Stored stored() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        String key = null;
        Map<String, ParseCache.Entry> nodes = null;
        Map<String, ParseCache.Analysis> analyses = null;
        String macros = null;
        for (String f = field(); f != null; f = field()) {
            switch (f) {
                case "key" -> key = string();
                case "macros" -> macros = string();
                case "nodes" -> nodes = map(this::entry);
                case "analyses" -> analyses = map(this::analysis);
                default -> throw new Malformed("unknown field " + f);
            }
        }
        return new ParseCache.Stored(key, nodes, analyses, macros);
    }

    private ParseCache.Entry entry() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        String hash = null;
        List<String> dependsOn = null;
        Map<String, Object> inFile = null;
        List<List<String>> refs = null;
        List<List<String>> sources = null;
        List<List<Object>> envVars = null;
        Map<String, String> macros = null;
        String sql = null;
        List<String> read = null;
        boolean sideEffects = false;
        List<String> self = null;
        Map<String, List<String>> refsSeen = null;
        List<String> tested = null;
        boolean testedUnknown = false;
        List<String> configReads = null;
        Map<String, String> varsUsed = null;
        for (String f = field(); f != null; f = field()) {
            switch (f) {
                case "hash" -> hash = string();
                case "dependsOn" -> dependsOn = strings();
                case "inFile" -> inFile = map(this::value);
                case "refs" -> refs = list(this::strings);
                case "sources" -> sources = list(this::strings);
                case "envVars" -> envVars = list(this::values);
                case "macros" -> macros = map(this::string);
                case "sql" -> sql = string();
                case "read" -> read = strings();
                case "sideEffects" -> sideEffects = bool();
                case "self" -> self = strings();
                case "refsSeen" -> refsSeen = map(this::strings);
                case "tested" -> tested = strings();
                case "testedUnknown" -> testedUnknown = bool();
                case "configReads" -> configReads = strings();
                case "varsUsed" -> varsUsed = map(this::string);
                default -> throw new Malformed("unknown field " + f);
            }
        }
        return new ParseCache.Entry(hash, dependsOn, inFile, refs, sources, envVars, macros, sql, read, sideEffects, self,
                refsSeen, tested, testedUnknown, configReads, varsUsed);
    }

    private ParseCache.Analysis analysis() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        String sql = null;
        List<ParseCache.Lookup> lookups = null;
        List<List<String>> tables = null;
        List<String> columns = null;
        Map<String, List<ParseCache.Source>> lineage = null;
        String unparsed = null;
        boolean tooDeep = false;
        for (String f = field(); f != null; f = field()) {
            switch (f) {
                case "sql" -> sql = string();
                case "lookups" -> lookups = list(this::lookup);
                case "tables" -> tables = list(this::strings);
                case "columns" -> columns = strings();
                case "lineage" -> lineage = map(() -> list(this::source));
                case "unparsed" -> unparsed = string();
                case "tooDeep" -> tooDeep = bool();
                default -> throw new Malformed("unknown field " + f);
            }
        }
        return new ParseCache.Analysis(sql, lookups, tables, columns, lineage, unparsed, tooDeep);
    }

    private ParseCache.Lookup lookup() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        List<String> table = null;
        List<String> columns = null;
        for (String f = field(); f != null; f = field()) {
            switch (f) {
                case "table" -> table = strings();
                case "columns" -> columns = strings();
                default -> throw new Malformed("unknown field " + f);
            }
        }
        return new ParseCache.Lookup(table, columns);
    }

    private ParseCache.Source source() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        List<String> table = null;
        String name = null;
        for (String f = field(); f != null; f = field()) {
            switch (f) {
                case "table" -> table = strings();
                case "column" -> name = string();
                default -> throw new Malformed("unknown field " + f);
            }
        }
        return new ParseCache.Source(table, name);
    }

    /** Reads the value at the current token. */
    @FunctionalInterface
    private interface Element<T> {
        T read() throws IOException, Malformed;
    }

    /** The array at the current token, each element read by {@code element}; null for null. */
    private <T> List<T> list(Element<T> element) throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_ARRAY);
        List<T> out = new ArrayList<>();
        while (next() != JsonToken.END_ARRAY) out.add(element.read());
        return out;
    }

    /** The object at the current token, each field's value read by {@code element}; null for null. */
    private <T> Map<String, T> map(Element<T> element) throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        Map<String, T> out = new LinkedHashMap<>();
        for (String k = field(); k != null; k = field()) out.put(k, element.read());
        return out;
    }

    private String string() throws Malformed, IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.VALUE_STRING) throw new Malformed("expected a string, found " + t);
        return p.getText();
    }

    private boolean bool() throws Malformed {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE) return true;
        if (t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) return false;
        throw new Malformed("expected a boolean, found " + t);
    }

    private List<String> strings() throws IOException, Malformed {
        return list(this::string);
    }

    /** An array of any values (or null), as data binding gives them for List<Object>. */
    private List<Object> values() throws IOException, Malformed {
        return list(this::value);
    }

    /** Any value, as data binding gives it for Object. */
    private Object value() throws IOException, Malformed {
        JsonToken t = p.currentToken();
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_STRING -> p.getText();
            // The smallest of Integer, Long and BigInteger for whole numbers, Double for others: data binding's choice.
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case START_OBJECT -> map(this::value);
            case START_ARRAY -> list(this::value);
            default -> throw new Malformed("unexpected " + t);
        };
    }
}
