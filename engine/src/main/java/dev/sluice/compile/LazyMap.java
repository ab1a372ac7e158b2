package dev.sluice.compile;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A read-only map built the first time anything reads it. dbt's {@code graph} variable describes every node: a
 * project of 10,000 models spends a noticeable part of its compile building it, while few templates read it.
 * Built once, by whichever render thread reads it first.
 */
final class LazyMap extends AbstractMap<String, Object> {
    private final Supplier<Map<String, Object>> build;
    private volatile Map<String, Object> built;

    LazyMap(Supplier<Map<String, Object>> build) {
        this.build = build;
    }

    private Map<String, Object> map() {
        Map<String, Object> m = built;
        if (m == null) {
            synchronized (this) {
                m = built;
                if (m == null) built = m = build.get();
            }
        }
        return m;
    }

    @Override
    public Object get(Object key) {
        return map().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map().containsKey(key);
    }

    @Override
    public int size() {
        return map().size();
    }

    @Override
    public Set<String> keySet() {
        return map().keySet();
    }

    @Override
    public Collection<Object> values() {
        return map().values();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return map().entrySet();
    }

    @Override
    public String toString() {
        return map().toString();
    }
}
