package io.pretext.api.model;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.HostTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A prepared batch in Java memory: named host tensors whose first axis is the batch axis. A
 * pretext task produces one from raw examples; a backend feeds it to a compiled program.
 *
 * @param tensors inputs by name, in a stable order
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record Batch(Map<String, HostTensor> tensors) {

    /** Copies the map and checks that every tensor has the same leading dimension. */
    public Batch {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        int n = -1;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            if (e.getValue().shape().rank() == 0) {
                continue;
            }
            int d = e.getValue().shape().dim(0);
            if (n >= 0 && d != n) {
                throw new IllegalArgumentException("batch inputs disagree on batch size: '" + e.getKey() + "' has " + d
                        + ", others " + n);
            }
            n = d;
        }
    }

    /**
     * @param name an input name
     * @return its tensor
     */
    public HostTensor get(String name) {
        HostTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("batch has no input '" + name + "'; has " + tensors.keySet());
        }
        return t;
    }

    /** @return the leading dimension shared by the inputs (0 for an empty batch) */
    public int size() {
        return tensors.values().stream().filter(t -> t.shape().rank() > 0).findFirst().map(t -> t.shape().dim(0)).orElse(0);
    }
}
