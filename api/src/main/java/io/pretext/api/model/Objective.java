package io.pretext.api.model;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.Ops;

/** A differentiable function from parameters and a batch to a loss: what a training step minimizes. */
@FunctionalInterface
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface Objective {
    /**
     * @param ops the backend's op set
     * @param params the parameters
     * @param inputs the batch
     * @param mode training or evaluation
     * @return the loss and its diagnostics
     */
    LossOutput apply(Ops ops, Params params, Inputs inputs, Mode mode);
}
