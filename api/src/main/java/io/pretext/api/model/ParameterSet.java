package io.pretext.api.model;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Parameter values in Java memory, by name, in declaration order. What checkpoints store and what
 * crosses between backends.
 */
@ApiStatus(ApiStatus.Status.STABLE)
public final class ParameterSet {
    private final Map<String, HostTensor.Floats> values;

    /** @param values parameter values by name; copied into an unmodifiable, ordered map */
    public ParameterSet(Map<String, HostTensor.Floats> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Draws initial values for every spec. Each parameter gets its own random stream derived from
     * the seed and the parameter's name, so adding a parameter does not change the others and every
     * backend starts from the same numbers.
     *
     * @param specs the declared parameters
     * @param seed the run's seed
     * @return the initial values
     */
    public static ParameterSet initialize(List<ParamSpec> specs, long seed) {
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>();
        for (ParamSpec spec : specs) {
            if (out.containsKey(spec.name())) {
                throw new IllegalArgumentException("parameter '" + spec.name() + "' declared twice");
            }
            SplittableRandom random = new SplittableRandom(mix(seed, spec.name()));
            out.put(spec.name(), HostTensor.of(spec.shape(), spec.initializer().sample(spec.shape(), random)));
        }
        return new ParameterSet(out);
    }

    private static long mix(long seed, String name) {
        long h = 0xcbf29ce484222325L; // FNV-1a: stable across JVMs, unlike String.hashCode's spec-free uses
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        long z = seed ^ h;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** @return the names in declaration order */
    public Set<String> names() {
        return values.keySet();
    }

    /** @return the values by name (unmodifiable) */
    public Map<String, HostTensor.Floats> asMap() {
        return values;
    }

    /**
     * @param name a parameter name
     * @return its value
     * @throws IllegalArgumentException naming the known parameters when absent
     */
    public HostTensor.Floats get(String name) {
        HostTensor.Floats v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; have " + values.keySet());
        }
        return v;
    }

    /** @return the total number of scalar values */
    public long totalSize() {
        return values.values().stream().mapToLong(t -> t.shape().size()).sum();
    }

    /**
     * @param keep which names to keep
     * @return the parameters whose names pass the filter
     */
    public ParameterSet filter(Predicate<String> keep) {
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (keep.test(k)) {
                out.put(k, v);
            }
        });
        return new ParameterSet(out);
    }

    /**
     * @param others sets to add (names must not collide)
     * @return this set followed by the others
     */
    public ParameterSet merge(Collection<ParameterSet> others) {
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>(values);
        for (ParameterSet o : others) {
            o.values.forEach((k, v) -> {
                if (out.putIfAbsent(k, v) != null) {
                    throw new IllegalArgumentException("parameter '" + k + "' in both sets");
                }
            });
        }
        return new ParameterSet(out);
    }

    /**
     * @param specs the parameters a model declares
     * @throws IllegalArgumentException naming the first missing or mis-shaped parameter
     */
    public void checkMatches(List<ParamSpec> specs) {
        for (ParamSpec s : specs) {
            HostTensor.Floats v = values.get(s.name());
            if (v == null) {
                throw new IllegalArgumentException("parameter '" + s.name() + "' is missing; have " + values.keySet());
            }
            Shape have = v.shape();
            if (!have.equals(s.shape())) {
                throw new IllegalArgumentException("parameter '" + s.name() + "' has shape " + have + ", model expects " + s.shape());
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSet p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ParameterSet" + values.keySet();
    }
}
