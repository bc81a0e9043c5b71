package io.pretext.vision.augment;

import io.pretext.api.Transform;
import io.pretext.api.data.Example;
import io.pretext.api.error.PretextException;
import java.util.SplittableRandom;

/**
 * An image augmentation that can work in place on a {@link Canvas}, applied with a probability.
 * As a plain {@link Transform} it copies the example first, so the input is never changed.
 */
public abstract class ImageTransform implements Transform {
    private final double probability;

    /** @param probability chance that the transform is applied to an image, in [0, 1] */
    protected ImageTransform(double probability) {
        this.probability = probability;
    }

    /** @return the chance of being applied */
    public final double probability() {
        return probability;
    }

    @Override
    public final Example apply(Example example, SplittableRandom random) {
        if (!(example instanceof Example.Image image)) {
            throw new PretextException("image augmentation " + getClass().getSimpleName() + " got a " + example.modality() + " example");
        }
        Canvas canvas = new Canvas().load(image);
        applyTo(canvas, random);
        return canvas.toImage(image.label());
    }

    /**
     * Applies the transform in place with the configured probability. A probability strictly
     * between 0 and 1 draws one number to decide; 0 and 1 draw nothing.
     *
     * @param canvas the working image, changed in place
     * @param random the stream to draw from
     */
    public final void applyTo(Canvas canvas, SplittableRandom random) {
        if (probability <= 0) {
            return;
        }
        if (probability < 1 && random.nextDouble() >= probability) {
            return;
        }
        transform(canvas, random);
    }

    /**
     * @param canvas the working image, changed in place (or through its scratch buffer and {@link Canvas#swap()})
     * @param random the stream to draw from
     */
    protected abstract void transform(Canvas canvas, SplittableRandom random);

    /**
     * @param v a value
     * @return v clamped to [0, 1]
     */
    protected static float clamp(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }

    /**
     * @param random a stream
     * @param low lower bound
     * @param high upper bound
     * @return a uniform draw in [low, high) (low when they are equal, drawing nothing)
     */
    protected static double uniform(SplittableRandom random, double low, double high) {
        return low == high ? low : low + (high - low) * random.nextDouble();
    }
}
