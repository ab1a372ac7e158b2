package dev.sluice.compile;

import java.util.AbstractList;
import java.util.List;
import java.util.function.Supplier;

/** A read-only list built the first time anything reads it, as {@link LazyMap} (model.refs reads the graph). */
final class LazyList extends AbstractList<Object> {
    private final Supplier<List<Object>> build;
    private volatile List<Object> built;

    LazyList(Supplier<List<Object>> build) {
        this.build = build;
    }

    private List<Object> list() {
        List<Object> l = built;
        if (l == null) {
            synchronized (this) {
                l = built;
                if (l == null) built = l = List.copyOf(build.get());
            }
        }
        return l;
    }

    @Override
    public Object get(int index) {
        return list().get(index);
    }

    @Override
    public int size() {
        return list().size();
    }
}
