package io.pretext.vision.encoder;

import io.pretext.api.error.InvalidOptionException;
import java.util.Locale;

/** Normalizations the convolutional encoders insert after a convolution. */
public enum Norm {
    /** None. */
    NONE,
    /** Batch normalization (per channel over batch and space; running averages for evaluation). */
    BATCH,
    /** Group normalization (per example over groups of channels and space): independent of the batch. */
    GROUP,
    /** Layer normalization over the last axis (Transformers). */
    LAYER;

    /**
     * @param key option key, for messages
     * @param value option value: none, batch or group
     * @return the normalization
     */
    static Norm ofImage(String key, String value) {
        Norm n = valueOf(value.toUpperCase(Locale.ROOT));
        if (n == LAYER) {
            throw new InvalidOptionException(key, "layer normalization is for Transformers; use none, batch or group");
        }
        return n;
    }
}
