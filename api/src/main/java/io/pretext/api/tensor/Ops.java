package io.pretext.api.tensor;

import java.util.List;

/**
 * The backend-neutral op set. Encoders, heads, losses and pretext tasks are written once against
 * this interface; each backend implements it (TensorFlow builds a graph, DJL runs eagerly under a
 * gradient collector, the ONNX exporter records a graph). The set grows only when a shipped
 * component needs an op.
 *
 * <p>Conventions, identical on every backend:
 * <ul>
 *   <li>Binary elementwise ops broadcast like NumPy.</li>
 *   <li>Axes may be negative (counted from the end).</li>
 *   <li>Operands of the wrong shape or dtype raise {@link io.pretext.api.error.ShapeException}
 *       naming the op and the shapes, before any native code runs ({@link ShapeRules}).</li>
 *   <li>Image activations live in {@link #imageLayout()}; filters are HWIO (height, width, input
 *       channels, output channels) whatever the layout.</li>
 * </ul>
 * Methods with a default are compositions of the abstract ones; a backend may override them with
 * a fused kernel as long as values and gradients agree.
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public interface Ops {

    // ---- values -------------------------------------------------------------------------

    /**
     * @param value host data
     * @return a constant holding the data (not trainable, no gradient)
     */
    Tensor constant(HostTensor value);

    /**
     * @param value the value
     * @return a float32 scalar constant; broadcasts against any float tensor
     */
    default Tensor scalar(float value) {
        return constant(HostTensor.scalar(value));
    }

    /**
     * @param x a tensor
     * @param dtype the target type
     * @return x converted elementwise to {@code dtype}
     */
    Tensor cast(Tensor x, DType dtype);

    /**
     * @param x a tensor
     * @return x, with gradients blocked from flowing back through it
     */
    Tensor stopGradient(Tensor x);

    // ---- elementwise --------------------------------------------------------------------

    /** @param a left @param b right @return a + b, broadcast */
    Tensor add(Tensor a, Tensor b);

    /** @param a left @param b right @return a - b, broadcast */
    Tensor sub(Tensor a, Tensor b);

    /** @param a left @param b right @return a * b, broadcast */
    Tensor mul(Tensor a, Tensor b);

    /** @param a left @param b right @return a / b, broadcast */
    Tensor div(Tensor a, Tensor b);

    /** @param a base @param b exponent @return a ^ b, broadcast */
    Tensor pow(Tensor a, Tensor b);

    /** @param a left @param b right @return elementwise maximum, broadcast */
    Tensor maximum(Tensor a, Tensor b);

    /** @param a left @param b right @return elementwise minimum, broadcast */
    Tensor minimum(Tensor a, Tensor b);

    /** @param x input @return -x */
    Tensor neg(Tensor x);

    /** @param x input @return e^x */
    Tensor exp(Tensor x);

    /** @param x input @return natural logarithm */
    Tensor log(Tensor x);

    /** @param x input @return square root */
    Tensor sqrt(Tensor x);

    /** @param x input @return |x| */
    Tensor abs(Tensor x);

    /** @param x input @return the Gauss error function */
    Tensor erf(Tensor x);

    /** @param x input @return max(x, 0) */
    Tensor relu(Tensor x);

    /** @param x input @return 1 / (1 + e^-x) */
    Tensor sigmoid(Tensor x);

    /** @param x input @return hyperbolic tangent */
    Tensor tanh(Tensor x);

    /** @param x input @return log(1 + e^x) */
    Tensor softplus(Tensor x);

    /** @param x input @return x * x */
    default Tensor square(Tensor x) {
        return mul(x, x);
    }

    /** @param x input @return 1 / sqrt(x) */
    default Tensor rsqrt(Tensor x) {
        return div(scalar(1f), sqrt(x));
    }

    /**
     * Exact GELU, composed from erf (TensorFlow-Java has no Gelu op).
     *
     * @param x input
     * @return x * 0.5 * (1 + erf(x / sqrt(2)))
     */
    default Tensor gelu(Tensor x) {
        Tensor inner = erf(mul(x, scalar((float) (1.0 / Math.sqrt(2.0)))));
        return mul(mul(x, scalar(0.5f)), add(scalar(1f), inner));
    }

    // ---- linear algebra -----------------------------------------------------------------

    /**
     * Matrix product over the last two axes; leading axes are batch axes and broadcast.
     *
     * @param a left operand, rank &gt;= 2
     * @param b right operand, rank &gt;= 2
     * @param transposeA use a's last two axes swapped
     * @param transposeB use b's last two axes swapped
     * @return the product
     */
    Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB);

    /** @param a left @param b right @return {@code matmul(a, b, false, false)} */
    default Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    // ---- reductions ---------------------------------------------------------------------

    /**
     * @param x input
     * @param axes axes to reduce; empty means all
     * @param keepDims keep reduced axes with size 1
     * @return the sum
     */
    Tensor sum(Tensor x, int[] axes, boolean keepDims);

    /**
     * @param x input
     * @param axes axes to reduce; empty means all
     * @param keepDims keep reduced axes with size 1
     * @return the maximum (gradient flows to the maximal elements)
     */
    Tensor max(Tensor x, int[] axes, boolean keepDims);

    /**
     * @param x input
     * @param axes axes to reduce; empty means all
     * @param keepDims keep reduced axes with size 1
     * @return the mean
     */
    default Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        long count = ShapeRules.reducedCount(x.shape(), axes);
        return div(sum(x, axes, keepDims), scalar((float) count));
    }

    /**
     * @param x input
     * @param axis the axis to search
     * @return int32 indices of the maximum along {@code axis} (no gradient)
     */
    Tensor argMax(Tensor x, int axis);

    // ---- shapes -------------------------------------------------------------------------

    /**
     * @param x input
     * @param shape the new shape, same element count
     * @return x viewed with the new shape
     */
    Tensor reshape(Tensor x, Shape shape);

    /**
     * @param x input
     * @param permutation output axis i is input axis permutation[i]
     * @return the permuted tensor
     */
    Tensor transpose(Tensor x, int... permutation);

    /**
     * @param parts tensors equal in every axis but {@code axis}
     * @param axis the axis to join along
     * @return the concatenation
     */
    Tensor concat(List<Tensor> parts, int axis);

    /**
     * @param x input
     * @param begin start index per axis
     * @param size extent per axis
     * @return the slice
     */
    Tensor slice(Tensor x, int[] begin, int[] size);

    /**
     * @param params values to pick from
     * @param indices int32 indices into {@code axis} of params
     * @param axis the axis indexed
     * @return params with axis replaced by the shape of indices (gradient to params only)
     */
    Tensor gather(Tensor params, Tensor indices, int axis);

    /**
     * @param indices int32 class indices of any shape
     * @param depth number of classes
     * @return float32 one-hot tensor with a trailing axis of size {@code depth}
     */
    Tensor oneHot(Tensor indices, int depth);

    /**
     * @param x input
     * @param axis where to insert an axis of size 1
     * @return the expanded tensor
     */
    default Tensor expandDims(Tensor x, int axis) {
        int[] d = x.shape().dims();
        int a = axis < 0 ? axis + d.length + 1 : axis;
        int[] out = new int[d.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == a ? 1 : d[j++];
        }
        return reshape(x, new Shape(out));
    }

    // ---- normalization and probabilities ------------------------------------------------

    /** @param x logits @param axis class axis @return softmax along axis */
    Tensor softmax(Tensor x, int axis);

    /** @param x logits @param axis class axis @return log-softmax along axis (numerically stable) */
    Tensor logSoftmax(Tensor x, int axis);

    /**
     * @param x input
     * @param axis the axis normalized
     * @param epsilon guards against division by zero
     * @return x / sqrt(max(sum(x^2), epsilon)) along axis
     */
    default Tensor l2Normalize(Tensor x, int axis, float epsilon) {
        Tensor sq = sum(square(x), new int[] {axis}, true);
        return mul(x, rsqrt(maximum(sq, scalar(epsilon))));
    }

    // ---- convolution --------------------------------------------------------------------

    /**
     * @param input rank-4 activation in {@link #imageLayout()}
     * @param filter HWIO filter
     * @param strideHeight vertical stride
     * @param strideWidth horizontal stride
     * @param padding padding rule
     * @return the convolution, in {@link #imageLayout()}
     */
    Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding);

    /**
     * @param input rank-4 activation in {@link #imageLayout()}
     * @param window window height and width (square)
     * @param stride stride in both directions
     * @param padding padding rule
     * @return max pooling, in {@link #imageLayout()}
     */
    Tensor maxPool2d(Tensor input, int window, int stride, Padding padding);

    /**
     * @param input rank-4 activation in {@link #imageLayout()}
     * @param window window height and width (square)
     * @param stride stride in both directions
     * @param padding padding rule
     * @return average pooling, in {@link #imageLayout()}
     */
    Tensor avgPool2d(Tensor input, int window, int stride, Padding padding);

    /** @return where this backend keeps the channel axis of image activations */
    ImageLayout imageLayout();

    /**
     * @param nhwc a rank-4 tensor in NHWC, as host images arrive
     * @return the same tensor in {@link #imageLayout()}
     */
    default Tensor fromNhwc(Tensor nhwc) {
        return imageLayout() == ImageLayout.NHWC ? nhwc : transpose(nhwc, 0, 3, 1, 2);
    }

    // ---- randomness ---------------------------------------------------------------------

    /**
     * Inverted dropout: zeroes a share {@code rate} of elements and scales the rest by
     * 1 / (1 - rate). Callers apply it only in training mode.
     *
     * @param x input
     * @param rate share of elements dropped, in [0, 1)
     * @return x with dropout applied
     */
    Tensor dropout(Tensor x, float rate);
}
