package io.pretext.api.tensor;

/** Padding of convolutions and pooling windows, with TensorFlow's meaning. */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public enum Padding {
    /** No padding: the output shrinks by the window size minus one. */
    VALID,
    /** Zero padding so that output size = ceil(input / stride). */
    SAME
}
