package io.pretext.api;

import io.pretext.api.data.Example;
import java.util.SplittableRandom;

/**
 * A configured augmentation: a pure function of the example and the random stream. Runs on loader
 * threads for every example of every epoch, so it must be thread-safe (no mutable fields) and
 * allocate little.
 */
@FunctionalInterface
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface Transform {
    /**
     * @param example the input; never modified
     * @param random the stream to draw from (one per worker; pass the same seed for the same result)
     * @return the transformed example
     */
    Example apply(Example example, SplittableRandom random);
}
