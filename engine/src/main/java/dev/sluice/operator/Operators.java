package dev.sluice.operator;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The operators available: built-ins plus any found with ServiceLoader. */
public final class Operators {
    private final Map<String, Operator> byType = new TreeMap<>();

    public Operators(List<Operator> builtIns) {
        builtIns.forEach(o -> byType.put(o.type(), o));
        ServiceLoader.load(Operator.class).forEach(o -> byType.putIfAbsent(o.type(), o));
    }

    /** The operator of a type, or null when there is none. */
    public Operator find(String type) {
        return byType.get(type);
    }

    public Operator get(String type, SourceLocation where) {
        Operator o = byType.get(type);
        if (o == null) {
            throw new ConfigException("unknown operator type '" + type + "'; known: " + String.join(", ", byType.keySet()), where);
        }
        return o;
    }
}
