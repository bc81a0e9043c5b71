package io.pretext.onnx;

import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;

/**
 * A value of a graph being traced: its ONNX name, static shape and dtype, and which axis (if any)
 * carries the dynamic batch when tracing for export.
 *
 * @param name the value's name in the graph
 * @param shape its static shape (with the trace batch size on a batch axis)
 * @param dtype its element type
 * @param batchAxis the axis whose size is a multiple of the dynamic batch, or -1 for none
 */
record Traced(String name, Shape shape, DType dtype, int batchAxis) implements Tensor {
}
