package io.pretext.tabular.task;

import java.util.function.Supplier;

/**
 * A value computed once, on first use, by whichever thread gets there first (loader threads
 * call {@code prepare} concurrently).
 *
 * @param <T> the value type
 */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> compute;
    private volatile T value;

    /** @param compute how to compute the value */
    Lazy(Supplier<T> compute) {
        this.compute = compute;
    }

    /**
     * @param value an already known value
     * @param <T> its type
     * @return a supplier of it
     */
    static <T> Lazy<T> of(T value) {
        Lazy<T> l = new Lazy<>(() -> value);
        l.value = value;
        return l;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = compute.get();
                    value = v;
                }
            }
        }
        return v;
    }
}
