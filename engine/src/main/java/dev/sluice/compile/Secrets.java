package dev.sluice.compile;

import dev.sluice.template.TemplateFunction;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values of one invocation: whatever env_var() returned and the profile's passwords, tokens and
 * passphrases. Every artifact, message and file the engine writes passes through {@link #mask(String)}, so
 * a secret is hidden by its value wherever it ends up (a webhook url, a hook, compiled SQL, an error),
 * not only under key names that look secret. Thread-safe: nodes compile and run on several threads.
 */
public final class Secrets {
    public static final String MASK = "*****";
    /** Shorter values (a count, "dev") would mask ordinary words everywhere and protect nothing. */
    private static final int MIN_LENGTH = 4;

    private final Set<String> values = ConcurrentHashMap.newKeySet();
    private volatile List<String> longestFirst = List.of();

    /** Records a value as secret; blank, short, numeric and boolean values are not worth masking. */
    public void add(Object value) {
        if (!(value instanceof String s)) return;
        String v = s.strip();
        if (v.length() < MIN_LENGTH || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")
                || v.matches("[-+]?\\d+(\\.\\d+)?")) {
            return;
        }
        boolean changed = values.add(v);
        // "Bearer <token>": the token alone is masked too, in case something echoes just that.
        for (String part : v.split("\\s+")) {
            if (part.length() >= 8 && !part.equals(v)) changed |= values.add(part);
        }
        changed |= addUrlParts(v);
        // A value that ends up in a url is percent-encoded there.
        String encoded = URLEncoder.encode(v, StandardCharsets.UTF_8);
        if (!encoded.equals(v)) changed |= values.add(encoded);
        if (changed) {
            List<String> sorted = new ArrayList<>(values);
            // Longest first, so a secret that contains another is masked whole.
            sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
            longestFirst = List.copyOf(sorted);
        }
    }

    /** A url's password and query values are secret on their own: messages may show just a part of the url. */
    private boolean addUrlParts(String v) {
        if (!v.contains("://")) return false;
        boolean changed = false;
        try {
            java.net.URI uri = java.net.URI.create(v);
            for (String part : new String[]{uri.getRawUserInfo(), uri.getUserInfo(), uri.getRawQuery(), uri.getQuery()}) {
                if (part == null) continue;
                changed |= addPart(part);
                if (part.contains(":")) changed |= addPart(part.substring(part.indexOf(':') + 1));
                for (String pair : part.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq >= 0) changed |= addPart(pair.substring(eq + 1));
                }
            }
        } catch (IllegalArgumentException notAUrl) {
            return changed;
        }
        return changed;
    }

    private boolean addPart(String part) {
        return part.length() >= MIN_LENGTH && values.add(part);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public String mask(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        for (String s : longestFirst) {
            if (out.contains(s)) out = out.replace(s, MASK);
        }
        return out;
    }

    /** Masks strings inside maps and lists (keys too), for JSON artifacts; other values are kept. */
    public Object maskTree(Object value) {
        if (longestFirst.isEmpty()) return value;
        if (value instanceof String s) return mask(s);
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(mask(String.valueOf(k)), maskTree(v)));
            return out;
        }
        if (value instanceof Iterable<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(maskTree(v)));
            return out;
        }
        return value;
    }

    /** env_var() for templates that records what it returns. */
    public TemplateFunction envVar() {
        return (args, kwargs) -> {
            Object v = EnvVars.envVar(args, kwargs);
            add(v);
            return v;
        };
    }
}
