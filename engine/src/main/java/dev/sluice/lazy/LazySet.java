package dev.sluice.lazy;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Supplier;

/** A read-only set built the first time anything reads it, as {@link LazyMap}. */
public final class LazySet<E> extends AbstractSet<E> {
    private final Once<Set<E>> set;

    public LazySet(Supplier<Set<E>> build) {
        this.set = new Once<>(() -> Set.copyOf(build.get()));
    }

    @Override
    public Iterator<E> iterator() {
        return set.get().iterator();
    }

    @Override
    public int size() {
        return set.get().size();
    }

    @Override
    public boolean contains(Object o) {
        return set.get().contains(o);
    }
}
