package io.pretext.vision.encoder;

import io.pretext.api.error.ShapeException;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;

/** The input check every image encoder shares, so that each refuses a wrong batch with the same message. */
final class ImageInput {
    private ImageInput() {
    }

    /**
     * Checks that a batch fed to an image encoder is [batch, height, width, channels] with the
     * encoder's image shape.
     *
     * @param encoderId the encoder's plugin id, named in the error
     * @param scope the encoder's parameter scope, named in the error
     * @param imageShape the expected per-image shape, NHWC without the batch axis
     * @param input the batch
     * @throws ShapeException if the batch has another rank or image shape
     */
    static void requireBatch(String encoderId, String scope, Shape imageShape, Tensor input) {
        if (input.shape().rank() != 4 || !input.shape().dropFirst().equals(imageShape)) {
            throw new ShapeException(encoderId, "scope '" + scope + "' expects [batch, " + imageShape.toString().substring(1)
                    + " NHWC, got " + input.shape());
        }
    }
}
