package io.pretext.djl;

import ai.djl.ndarray.NDArray;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;

/**
 * A value computed eagerly by PyTorch, as model code sees it: the NDArray plus the static shape and
 * dtype that the {@link io.pretext.api.tensor.Ops} front door inferred for it (so no shape query crosses
 * JNI). The array belongs to the step that made it and dies with that step's manager.
 *
 * @param array the PyTorch array
 * @param shape the static shape
 * @param dtype the element type
 */
record DjlTensor(NDArray array, Shape shape, DType dtype) implements Tensor {

    @Override
    public String toString() {
        return "DjlTensor(" + dtype + shape + ")";
    }
}
