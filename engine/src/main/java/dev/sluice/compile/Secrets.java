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
 * The secret values of one invocation, as dbt has them: the values of the environment variables named
 * DBT_ENV_SECRET_* and the profile's passwords, tokens and passphrases. Every artifact, message and file the
 * engine writes passes through {@link #mask(String)}, so a secret is hidden by its value wherever it ends up (a
 * webhook url, an error), not only under key names that look secret. Other env_var() values are not secrets: they
 * appear in clear, as in dbt. Thread-safe: nodes compile and run on several threads.
 */
public final class Secrets {
    public static final String MASK = "*****";
    /** dbt's prefix of secret environment variables. */
    public static final String SECRET_ENV_PREFIX = "DBT_ENV_SECRET_";
    /** Shorter values (a count, "dev") would mask ordinary words everywhere and protect nothing. */
    private static final int MIN_LENGTH = 4;

    private final Set<String> values = ConcurrentHashMap.newKeySet();
    private volatile List<String> longestFirst = List.of();

    /** The secrets of this process's environment; the profile's are added as it is read. */
    public Secrets() {
        this(System.getenv());
    }

    /** Every DBT_ENV_SECRET_* value of env is secret, used or not: a log line may quote one anyway (dbt does so too). */
    public Secrets(Map<String, String> env) {
        env.forEach((name, value) -> {
            if (name.startsWith(SECRET_ENV_PREFIX)) add(value);
        });
    }

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

    /** Whether no secret value satisfies test. */
    public boolean noneMatch(java.util.function.Predicate<String> test) {
        // longestFirst is a sorted copy of values, which only grows.
        return values.stream().noneMatch(test);
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

    /**
     * env_var() where dbt refuses secret variables: models, macros, hooks, tests, the project and schema files.
     * Their rendered text goes into compiled SQL and artifacts, where a secret has no place.
     */
    public TemplateFunction envVar() {
        return (args, kwargs) -> {
            if (!args.isEmpty() && String.valueOf(args.get(0)).startsWith(SECRET_ENV_PREFIX)) {
                throw new dev.sluice.error.CompilationException("secret env vars (" + SECRET_ENV_PREFIX
                        + "*) are allowed only in profiles.yml, packages.yml and operator settings; found '"
                        + args.get(0) + "' referenced elsewhere", null);
            }
            return EnvVars.envVar(args, kwargs);
        };
    }

    /** env_var() for profiles.yml, packages.yml and operator settings, where secret variables are allowed. */
    public TemplateFunction secretEnvVar() {
        return EnvVars::envVar;
    }
}
