package dev.sluice.template;

import dev.sluice.error.CompilationException;
import dev.sluice.error.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jinja's and dbt's global functions that need nothing from the caller. */
final class Builtins {

    private Builtins() {
    }

    static Object call(String name, List<Object> args, Map<String, Object> kwargs, SourceLocation here) {
        switch (name) {
            case "log":
            case "print":
                // dbt's log() writes to its log file, never into the SQL.
                return "";
            case "range":
                return range(args, here);
            case "dict":
            case "namespace": {
                Map<String, Object> m = name.equals("namespace") ? new Namespace() : new LinkedHashMap<>();
                if (!args.isEmpty() && args.get(0) instanceof Map<?, ?> src) {
                    src.forEach((k, v) -> m.put(String.valueOf(k), v));
                }
                m.putAll(kwargs);
                return m;
            }
            case "zip": {
                List<Object> out = new ArrayList<>();
                List<List<Object>> lists = new ArrayList<>();
                for (Object a : args) lists.add(Values.toList(a));
                int n = lists.stream().mapToInt(List::size).min().orElse(0);
                for (int k = 0; k < n; k++) {
                    List<Object> row = new ArrayList<>();
                    for (List<Object> l : lists) row.add(l.get(k));
                    out.add(row);
                }
                return out;
            }
            default:
                throw new CompilationException("'" + name + "' is undefined: no such function or macro", here);
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
