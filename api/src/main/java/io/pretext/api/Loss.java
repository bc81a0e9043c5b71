package io.pretext.api;

import io.pretext.api.option.Options;

/** A loss family (InfoNCE, NT-Xent, VICReg, MSE, cross-entropy...) of one {@link LossKind}. */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public non-sealed interface Loss extends Provider {

    /** @return what the loss compares */
    LossKind kind();

    /**
     * @param options validated options (temperature, margins, term weights)
     * @return the configured loss
     */
    LossFunction create(Options options);
}
