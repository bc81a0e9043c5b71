package io.pretext.api.tensor;

/**
 * An opaque handle to a value inside a backend: a graph node for TensorFlow, an NDArray for DJL, a
 * traced value for ONNX export. Model code only passes handles between {@link Ops} calls; the
 * static shape and dtype are always known.
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public interface Tensor {
    /** @return the static shape of the value */
    Shape shape();

    /** @return the element type */
    DType dtype();
}
