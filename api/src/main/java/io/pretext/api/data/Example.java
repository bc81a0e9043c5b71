package io.pretext.api.data;

import io.pretext.api.ApiStatus;

/**
 * One raw example of a modality, as a {@code DataSource} yields it and an augmentation transforms
 * it. Arrays are owned by the example: augmentations return new examples rather than mutate.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public sealed interface Example permits Example.TableRow, Example.Image, Example.TokenSequence, Example.Clip {

    /** Label value meaning "no label". */
    int NO_LABEL = -1;

    /** @return the class index, or {@link #NO_LABEL} */
    int label();

    /** @return the modality of this example */
    Modality modality();

    /**
     * A table row, one value per column of the {@link TableSchema}: numeric columns as their value,
     * categorical columns as the category index, missing values as NaN.
     *
     * @param values one value per feature column
     * @param label class index or {@link #NO_LABEL}
     */
    record TableRow(float[] values, int label) implements Example {
        @Override
        public Modality modality() {
            return Modality.TABLE;
        }
    }

    /**
     * An image in HWC order with values in [0, 1].
     *
     * @param height rows
     * @param width columns
     * @param channels 1 (grey) or 3 (RGB)
     * @param pixels height * width * channels values, row-major HWC
     * @param label class index or {@link #NO_LABEL}
     */
    record Image(int height, int width, int channels, float[] pixels, int label) implements Example {
        /** Checks the pixel count. */
        public Image {
            if ((long) height * width * channels != pixels.length) {
                throw new IllegalArgumentException("image " + height + "x" + width + "x" + channels + " needs "
                        + ((long) height * width * channels) + " values, got " + pixels.length);
            }
        }

        @Override
        public Modality modality() {
            return Modality.IMAGE;
        }
    }

    /**
     * A sequence of token ids.
     *
     * @param tokens token ids into the source's vocabulary
     * @param label class index or {@link #NO_LABEL}
     */
    record TokenSequence(int[] tokens, int label) implements Example {
        @Override
        public Modality modality() {
            return Modality.TEXT;
        }
    }

    /**
     * A clip of frames, each HWC in [0, 1].
     *
     * @param frames number of frames
     * @param height rows
     * @param width columns
     * @param channels channels per frame
     * @param pixels frames * height * width * channels values
     * @param label class index or {@link #NO_LABEL}
     */
    record Clip(int frames, int height, int width, int channels, float[] pixels, int label) implements Example {
        /** Checks the pixel count. */
        public Clip {
            if ((long) frames * height * width * channels != pixels.length) {
                throw new IllegalArgumentException("clip needs " + ((long) frames * height * width * channels) + " values, got "
                        + pixels.length);
            }
        }

        @Override
        public Modality modality() {
            return Modality.VIDEO;
        }
    }
}
