package io.pretext.api;

import io.pretext.api.data.Modality;
import io.pretext.api.option.Options;

/** A host-side, seeded example transform for one modality (feature corruption, crops, masking). */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public non-sealed interface Augmentation extends Provider {

    /** @return the modality whose examples it transforms */
    Modality modality();

    /**
     * @param options validated options (strengths, probabilities)
     * @return the configured transform
     */
    Transform create(Options options);
}
