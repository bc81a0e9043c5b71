package io.pretext.api;

/** The shape of what a loss compares; a task needs one kind and accepts any loss of that kind. */
@ApiStatus(ApiStatus.Status.STABLE)
public enum LossKind {
    /** Two batches of embeddings, row i of each a positive pair (InfoNCE, VICReg, Barlow Twins...). */
    PAIR,
    /** A prediction and its target, optionally weighted per element (MSE). */
    RECONSTRUCTION,
    /** Logits and integer class labels (cross-entropy). */
    CLASSIFICATION
}
