package dev.sluice.log;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values that must never reach a log: profile passwords and tokens and the values env_var() returned. Masked
 * by value, wherever they occur, longest first so a secret containing another is masked whole.
 */
public final class Secrets {
    static final String MASK = "*****";
    /** Shorter values are too likely to be ordinary words or digits ("1", "dev") to be masked everywhere. */
    private static final int MIN_LENGTH = 4;
    private final Set<String> values = ConcurrentHashMap.newKeySet();
    private volatile List<String> ordered = List.of();
    private final List<java.util.function.UnaryOperator<String>> masks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Another invocation-wide mask (the workspace's, which learns env_var() values as models compile). */
    public void addMask(java.util.function.UnaryOperator<String> mask) {
        if (!masks.contains(mask)) masks.add(mask);
    }

    public void add(String value) {
        if (value == null || value.strip().length() < MIN_LENGTH) return;
        if (values.add(value)) {
            ordered = values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    public String mask(String text) {
        if (text == null) return null;
        String out = text;
        for (String v : ordered) {
            if (out.contains(v)) out = out.replace(v, MASK);
        }
        for (java.util.function.UnaryOperator<String> m : masks) out = m.apply(out);
        return out;
    }
}
