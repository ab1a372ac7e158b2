package dev.sluice.lazy;

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
public final class LazyMap extends AbstractMap<String, Object> {
    private final Once<Map<String, Object>> map;

    public LazyMap(Supplier<Map<String, Object>> build) {
        this.map = new Once<>(build);
    }

    @Override
    public Object get(Object key) {
        return map.get().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map.get().containsKey(key);
    }

    @Override
    public int size() {
        return map.get().size();
    }

    @Override
    public Set<String> keySet() {
        return map.get().keySet();
    }

    @Override
    public Collection<Object> values() {
        return map.get().values();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return map.get().entrySet();
    }

    @Override
    public String toString() {
        return map.get().toString();
    }
}
