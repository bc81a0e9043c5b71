package io.pretext.api;

import io.pretext.api.data.Modality;
import io.pretext.api.option.Options;

/**
 * A self-supervised objective: SCARF, SimCLR, masked autoencoding, frame-order prediction, or a
 * user's own. Declares its modality and the loss kind it needs, so any loss of that kind can be
 * swapped in (SCARF with InfoNCE, VICReg or Barlow Twins).
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public non-sealed interface PretextTask extends Provider {

    /** @return the modality it trains on */
    Modality modality();

    /** @return the kind of loss it feeds */
    LossKind lossKind();

    /**
     * @param context the run: data, encoder, loss, registry, seed
     * @param options validated options of this task
     * @return the task bound to the run
     */
    TaskModel bind(TaskContext context, Options options);
}
