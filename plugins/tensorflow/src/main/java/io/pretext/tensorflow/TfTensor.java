package io.pretext.tensorflow;

import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.Output;

/**
 * A graph node's output as seen by model code: the TensorFlow operand plus the static shape and
 * dtype that the {@link io.pretext.api.tensor.Ops} front door inferred for it.
 *
 * @param operand the TensorFlow output
 * @param shape the static shape
 * @param dtype the element type
 */
record TfTensor(Operand<?> operand, Shape shape, DType dtype) implements Tensor {

    /** @return the operand as an output */
    Output<?> output() {
        return operand.asOutput();
    }

    @Override
    public String toString() {
        return "TfTensor(" + operand.asOutput().op().name() + ", " + dtype + shape + ")";
    }
}
