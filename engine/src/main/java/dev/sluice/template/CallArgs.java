package dev.sluice.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of a call as they travel through Pebble, which knows only positional ones: named
 * arguments as {@link KwArg}s, *items and **options as splats, all sorted out here.
 */
record CallArgs(List<Object> positional, Map<String, Object> kwargs) {

    /** *items in a call. */
    record Splat(Object items) {
    }

    /** **options in a call. */
    record KwSplat(Object options) {
    }

    static CallArgs of(List<Object> raw) {
        List<Object> positional = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        for (Object a : raw) {
            if (a instanceof KwArg kw) {
                kwargs.put(kw.name(), kw.value());
            } else if (a instanceof Splat s) {
                positional.addAll(Values.toList(s.items()));
            } else if (a instanceof KwSplat s) {
                if (!(s.options() instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("argument after ** must be a mapping, not " + Values.typeName(s.options()));
                }
                m.forEach((k, v) -> kwargs.put(String.valueOf(k), v));
            } else {
                positional.add(a);
            }
        }
        return new CallArgs(positional, kwargs);
    }
}
