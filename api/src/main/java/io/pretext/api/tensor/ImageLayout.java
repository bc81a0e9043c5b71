package io.pretext.api.tensor;

/**
 * Where the channel axis of image activations lives inside a backend. Host images and checkpoints
 * are always NHWC (channels last) with HWIO convolution filters; a backend that computes in NCHW
 * converts at its boundary, so model code only asks {@link Ops#imageLayout()} for the axis.
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public enum ImageLayout {
    /** Batch, height, width, channels: TensorFlow's CPU kernels. */
    NHWC,
    /** Batch, channels, height, width: PyTorch. */
    NCHW;

    /** @return the channel axis of a rank-4 activation in this layout */
    public int channelAxis() {
        return this == NHWC ? 3 : 1;
    }
}
