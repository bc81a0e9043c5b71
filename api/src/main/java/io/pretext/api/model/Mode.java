package io.pretext.api.model;

/** Whether model code runs for training (dropout on, batch statistics updated) or inference. */
public enum Mode {
    /** Training: stochastic layers active, state updated. */
    TRAIN,
    /** Inference: deterministic, state read only. */
    EVAL
}
