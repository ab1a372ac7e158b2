package dev.sluice.lazy;

import java.util.function.Supplier;

/**
 * A value computed on its first {@link #get()}, once: the thread that asks first computes it, others asking
 * meanwhile wait for it, and later reads take no lock. The value must not be null (null means not yet computed).
 */
public final class Once<T> implements Supplier<T> {
    private final Supplier<? extends T> compute;
    private volatile T value;

    public Once(Supplier<? extends T> compute) {
        this.compute = compute;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) value = v = compute.get();
            }
        }
        return v;
    }
}
