package io.pretext.api;

import io.pretext.api.model.LossOutput;
import io.pretext.api.tensor.Ops;

/** A configured loss: backend-neutral math on {@link Ops}. */
@FunctionalInterface
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface LossFunction {
    /**
     * @param ops the backend's op set
     * @param inputs inputs of the loss's kind
     * @return the scalar loss (mean over the batch) and its named terms
     * @throws IllegalArgumentException when given inputs of another kind
     */
    LossOutput compute(Ops ops, LossInputs inputs);
}
