package dev.sluice.lazy;

import java.util.AbstractList;
import java.util.List;
import java.util.function.Supplier;

/** A read-only list built the first time anything reads it, as {@link LazyMap} (model.refs reads the graph). */
public final class LazyList extends AbstractList<Object> {
    private final Once<List<Object>> list;

    public LazyList(Supplier<List<Object>> build) {
        this.list = new Once<>(() -> List.copyOf(build.get()));
    }

    @Override
    public Object get(int index) {
        return list.get().get(index);
    }

    @Override
    public int size() {
        return list.get().size();
    }
}
