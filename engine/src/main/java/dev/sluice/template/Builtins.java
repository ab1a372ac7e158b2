package dev.sluice.template;

import dev.sluice.error.CompilationException;
import dev.sluice.error.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jinja's and dbt's global functions that need nothing from the caller. */
final class Builtins {

    private static final org.slf4j.Logger PRINT = org.slf4j.LoggerFactory.getLogger("engine.print");
    private static final org.slf4j.Logger JINJA_INFO = org.slf4j.LoggerFactory.getLogger("engine.jinja.info");
    private static final org.slf4j.Logger JINJA_DEBUG = org.slf4j.LoggerFactory.getLogger("engine.jinja.debug");

    private Builtins() {
    }

    static Object call(String name, List<Object> args, Map<String, Object> kwargs, SourceLocation here) {
        switch (name) {
            case "log": {
                // dbt's log() writes to its log file (and the console with info=True), never into the SQL.
                String msg = args.isEmpty() ? "" : String.valueOf(args.get(0));
                boolean info = Values.truthy(kwargs.getOrDefault("info", args.size() > 1 ? args.get(1) : false));
                if (info) JINJA_INFO.atInfo().addKeyValue("event", "JinjaLogInfo").log(msg);
                else JINJA_DEBUG.atDebug().addKeyValue("event", "JinjaLogDebug").log(msg);
                return "";
            }
            case "print":
                // Shown on the console unless --no-print (see dev.sluice.log.LogSetup), never in the SQL.
                PRINT.atInfo().addKeyValue("event", "PrintEvent").log(args.isEmpty() ? "" : String.valueOf(args.get(0)));
                return "";
            case "range":
                return range(args, here);
            case "tojson":
                return JinjaFilters.json(args.isEmpty() ? null : args.get(0));
            case "fromjson":
                return fromJson(args, kwargs);
            case "toyaml":
                return toYaml(args.isEmpty() ? null : args.get(0));
            case "fromyaml":
                return fromYaml(args, kwargs);
            case "local_md5":
                return md5(Values.str(args.isEmpty() ? null : args.get(0)));
            case "set":
                return new java.util.LinkedHashSet<>(args.isEmpty() ? List.of() : Values.toList(args.get(0)));
            case "list":
                return args.isEmpty() ? new ArrayList<>() : Values.toList(args.get(0));
            case "dict":
            case "namespace": {
                Map<String, Object> m = name.equals("namespace") ? new Namespace() : new LinkedHashMap<>();
                if (!args.isEmpty() && args.get(0) instanceof Map<?, ?> src) {
                    src.forEach((k, v) -> m.put(String.valueOf(k), v));
                }
                m.putAll(kwargs);
                return m;
            }
            case "__tuple":
                // A parenthesised tuple literal (see JinjaTranslator).
                return new Tuple(args.isEmpty() ? List.of() : Values.toList(args.get(0)));
            case "zip": {
                List<Object> out = new ArrayList<>();
                List<List<Object>> lists = new ArrayList<>();
                for (Object a : args) lists.add(Values.toList(a));
                int n = lists.stream().mapToInt(List::size).min().orElse(0);
                for (int k = 0; k < n; k++) {
                    List<Object> row = new ArrayList<>();
                    for (List<Object> l : lists) row.add(l.get(k));
                    out.add(new Tuple(row));
                }
                return out;
            }
            default:
                throw new CompilationException("'" + name + "' is undefined: no such function or macro", here);
        }
    }

    /** fromjson(string, default=None): the parsed value, or the default when the text is not JSON. */
    private static Object fromJson(List<Object> args, Map<String, Object> kwargs) {
        Object fallback = args.size() > 1 ? args.get(1) : kwargs.get("default");
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(Values.str(args.get(0)), Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return fallback;
        }
    }

    private static Object fromYaml(List<Object> args, Map<String, Object> kwargs) {
        Object fallback = args.size() > 1 ? args.get(1) : kwargs.get("default");
        try {
            return new org.yaml.snakeyaml.Yaml().load(Values.str(args.get(0)));
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static String toYaml(Object v) {
        org.yaml.snakeyaml.DumperOptions o = new org.yaml.snakeyaml.DumperOptions();
        o.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        return new org.yaml.snakeyaml.Yaml(o).dump(plain(v));
    }

    /** Engine values as plain maps, lists and scalars, for YAML. */
    private static Object plain(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(Values.str(k), plain(x)));
            return out;
        }
        if (v instanceof java.util.Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object x : c) out.add(plain(x));
            return out;
        }
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) return v;
        return Values.str(v);
    }

    private static String md5(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return String.format("%032x", new java.math.BigInteger(1, d));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Object> range(List<Object> args, SourceLocation here) {
        if (args.isEmpty() || args.size() > 3) throw new CompilationException("range() takes 1 to 3 arguments", here);
        long start = 0;
        long stop;
        long step = 1;
        if (args.size() == 1) {
            stop = Values.toNumber(args.get(0), 0).longValue();
        } else {
            start = Values.toNumber(args.get(0), 0).longValue();
            stop = Values.toNumber(args.get(1), 0).longValue();
            if (args.size() == 3) step = Values.toNumber(args.get(2), 1).longValue();
        }
        if (step == 0) throw new CompilationException("range() step must not be zero", here);
        List<Object> out = new ArrayList<>();
        for (long v = start; step > 0 ? v < stop : v > stop; v += step) {
            if (out.size() > 1_000_000) throw new CompilationException("range() too large", here);
            out.add(v);
        }
        return out;
    }
}
