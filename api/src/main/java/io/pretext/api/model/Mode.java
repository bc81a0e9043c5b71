package io.pretext.api.model;

import io.pretext.api.ApiStatus;

/** Whether model code runs for training (dropout on, batch statistics updated) or inference. */
@ApiStatus(ApiStatus.Status.STABLE)
public enum Mode {
    /** Training: stochastic layers active, state updated. */
    TRAIN,
    /** Inference: deterministic, state read only. */
    EVAL
}
