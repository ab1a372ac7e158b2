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
                case "nodes" -> nodes = nodes();
                case "analyses" -> analyses = analyses();
                default -> throw new Malformed("unknown field " + f);
            }
        }
        return new ParseCache.Stored(key, nodes, analyses, macros);
    }

    private Map<String, ParseCache.Entry> nodes() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        Map<String, ParseCache.Entry> out = new LinkedHashMap<>();
        for (String id = field(); id != null; id = field()) out.put(id, entry());
        return out;
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
                case "inFile" -> inFile = objectMap();
                case "refs" -> refs = stringLists();
                case "sources" -> sources = stringLists();
                case "envVars" -> envVars = valueLists();
                case "macros" -> macros = stringMap();
                case "sql" -> sql = string();
                case "read" -> read = strings();
                case "sideEffects" -> sideEffects = bool();
                case "self" -> self = strings();
                case "refsSeen" -> refsSeen = stringListMap();
                case "tested" -> tested = strings();
                case "testedUnknown" -> testedUnknown = bool();
                case "configReads" -> configReads = strings();
                case "varsUsed" -> varsUsed = stringMap();
                default -> throw new Malformed("unknown field " + f);
            }
        }
        return new ParseCache.Entry(hash, dependsOn, inFile, refs, sources, envVars, macros, sql, read, sideEffects, self,
                refsSeen, tested, testedUnknown, configReads, varsUsed);
    }

    private Map<String, ParseCache.Analysis> analyses() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        Map<String, ParseCache.Analysis> out = new LinkedHashMap<>();
        for (String id = field(); id != null; id = field()) out.put(id, analysis());
        return out;
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
                case "lookups" -> lookups = lookups();
                case "tables" -> tables = stringLists();
                case "columns" -> columns = strings();
                case "lineage" -> lineage = lineage();
                case "unparsed" -> unparsed = string();
                case "tooDeep" -> tooDeep = bool();
                default -> throw new Malformed("unknown field " + f);
            }
        }
        return new ParseCache.Analysis(sql, lookups, tables, columns, lineage, unparsed, tooDeep);
    }

    private List<ParseCache.Lookup> lookups() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_ARRAY);
        List<ParseCache.Lookup> out = new ArrayList<>();
        while (next() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                out.add(null);
                continue;
            }
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
            out.add(new ParseCache.Lookup(table, columns));
        }
        return out;
    }

    private Map<String, List<ParseCache.Source>> lineage() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        Map<String, List<ParseCache.Source>> out = new LinkedHashMap<>();
        for (String column = field(); column != null; column = field()) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                out.put(column, null);
                continue;
            }
            expect(JsonToken.START_ARRAY);
            List<ParseCache.Source> sources = new ArrayList<>();
            while (next() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.VALUE_NULL) {
                    sources.add(null);
                    continue;
                }
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
                sources.add(new ParseCache.Source(table, name));
            }
            out.put(column, sources);
        }
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
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_ARRAY);
        List<String> out = new ArrayList<>();
        while (next() != JsonToken.END_ARRAY) out.add(string());
        return out;
    }

    private List<List<String>> stringLists() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_ARRAY);
        List<List<String>> out = new ArrayList<>();
        while (next() != JsonToken.END_ARRAY) out.add(strings());
        return out;
    }

    private List<List<Object>> valueLists() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_ARRAY);
        List<List<Object>> out = new ArrayList<>();
        while (next() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                out.add(null);
                continue;
            }
            expect(JsonToken.START_ARRAY);
            out.add(valueList());
        }
        return out;
    }

    private Map<String, String> stringMap() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k = field(); k != null; k = field()) out.put(k, string());
        return out;
    }

    private Map<String, List<String>> stringListMap() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k = field(); k != null; k = field()) out.put(k, strings());
        return out;
    }

    private Map<String, Object> objectMap() throws IOException, Malformed {
        if (p.currentToken() == JsonToken.VALUE_NULL) return null;
        expect(JsonToken.START_OBJECT);
        return valueMap();
    }

    /** The object whose START_OBJECT is the current token, with values as data binding gives them for Object. */
    private Map<String, Object> valueMap() throws IOException, Malformed {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k = field(); k != null; k = field()) out.put(k, value());
        return out;
    }

    private List<Object> valueList() throws IOException, Malformed {
        List<Object> out = new ArrayList<>();
        while (next() != JsonToken.END_ARRAY) out.add(value());
        return out;
    }

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
            case START_OBJECT -> valueMap();
            case START_ARRAY -> valueList();
            default -> throw new Malformed("unexpected " + t);
        };
    }
}
