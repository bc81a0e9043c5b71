package io.pretext.vision.encoder;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.layers.BatchNorm;
import io.pretext.layers.GroupNorm;
import io.pretext.layers.Normalization;
import java.util.Locale;
import java.util.Optional;

/** The normalization option of the convolutional encoders: what follows each convolution. */
public enum Norm {
    /** None. */
    NONE,
    /** Batch normalization (per channel over batch and space; running averages for evaluation). */
    BATCH,
    /** Group normalization (per example over groups of channels and space): independent of the batch. */
    GROUP;

    /**
     * @param key option key, for messages
     * @param value option value: none, batch or group
     * @return the normalization
     * @throws InvalidOptionException for any other value
     */
    static Norm ofImage(String key, String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new InvalidOptionException(key, "must be none, batch or group, got '" + value + "'");
        }
    }

    /**
     * @param name parameter-name prefix of the layer
     * @param channels channels it normalizes
     * @param groups groups of group normalization (ignored otherwise)
     * @return the layer of the library, or empty for {@link #NONE}
     */
    Optional<Normalization> layer(String name, int channels, int groups) {
        return switch (this) {
            case NONE -> Optional.empty();
            case BATCH -> Optional.of(BatchNorm.of(name, channels));
            case GROUP -> Optional.of(GroupNorm.of(name, channels, groups));
        };
    }
}
