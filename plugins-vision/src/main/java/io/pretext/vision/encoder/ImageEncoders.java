package io.pretext.vision.encoder;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;

/** Checks shared by the image encoders. */
final class ImageEncoders {
    private ImageEncoders() {
    }

    /**
     * @param encoder encoder id, for messages
     * @param input per-example input shape
     * @return {height, width, channels}
     * @throws ShapeException unless the input is [H, W, C]
     */
    static int[] image(String encoder, Shape input) {
        if (input.rank() != 3 || input.size() == 0) {
            throw new ShapeException(encoder, "needs images [height, width, channels] per example, got " + input
                    + " (is the data source an image source?)");
        }
        return input.dims();
    }

    /**
     * @param scope encoder scope, for keys
     * @param options validated options
     * @param name an integer-list option
     * @param min smallest allowed element
     * @return the list as ints, checked non-empty and at least {@code min}
     */
    static int[] positiveList(String scope, Options options, String name, int min) {
        int[] v = options.getInts(name);
        if (v.length == 0) {
            throw new InvalidOptionException(scope + "." + name, "needs at least one value");
        }
        for (int x : v) {
            if (x < min) {
                throw new InvalidOptionException(scope + "." + name, "values must be >= " + min + ", got " + options.getLongs(name));
            }
        }
        return v;
    }

    /**
     * @param scope encoder scope
     * @param options validated options
     * @param name an integer option
     * @param min smallest allowed
     * @param max largest allowed
     * @return its value, checked
     */
    static int intWithin(String scope, Options options, String name, int min, int max) {
        long v = options.getLong(name);
        if (v < min || v > max) {
            throw new InvalidOptionException(scope + "." + name, "must be in [" + min + ", " + max + "], got " + v);
        }
        return (int) v;
    }
}
