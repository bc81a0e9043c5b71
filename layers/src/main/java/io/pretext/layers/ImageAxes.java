package io.pretext.layers;

import io.pretext.api.error.ShapeException;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;

/** Where the axes of a rank-4 image activation are in the backend's layout. */
final class ImageAxes {
    private ImageAxes() {
    }

    /**
     * @param ops op set
     * @param v a [C] vector
     * @return v shaped to broadcast over the channel axis of an image activation
     */
    static Tensor perChannel(Ops ops, Tensor v) {
        return ops.imageLayout() == ImageLayout.NHWC ? v : ops.reshape(v, Shape.of(1, v.shape().dim(0), 1, 1));
    }

    /**
     * @param ops op set
     * @return the height and width axes of an image activation
     */
    static int[] spatial(Ops ops) {
        return ops.imageLayout() == ImageLayout.NHWC ? new int[] {1, 2} : new int[] {2, 3};
    }

    /**
     * @param layer layer kind, for the message
     * @param name layer name, for the message
     * @param ops op set
     * @param x the activation
     * @param channels channels the layer was built for
     * @throws ShapeException unless x is a rank-4 image activation with that many channels
     */
    static void require(String layer, String name, Ops ops, Tensor x, int channels) {
        ImageLayout layout = ops.imageLayout();
        if (x.shape().rank() != 4 || x.shape().dim(layout.channelAxis()) != channels) {
            throw new ShapeException(layer, "layer '" + name + "' takes a " + layout + " image activation with " + channels
                    + " channels, got " + x.shape());
        }
    }
}
