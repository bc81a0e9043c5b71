package io.pretext.vision.encoder;

import io.pretext.api.error.ShapeException;
import io.pretext.api.tensor.Shape;

/** The input check shared by the image encoders. */
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
}
