package io.pretext.api.tensor;

import io.pretext.api.error.ShapeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The backend-neutral op set. Encoders, heads, losses and pretext tasks are written once against
 * this class; each backend supplies its {@link Kernels} (TensorFlow builds a graph, DJL runs
 * eagerly under a gradient collector, the ONNX exporter records a graph). The set grows only when
 * a shipped component needs an op.
 *
 * <p>{@code Ops} is the one front door to every backend: each op method is final and checks its
 * operands with {@link ShapeRules} (shapes, dtypes, axes, permutations, slice bounds, rates,
 * strides) before it reaches a kernel, so a mistake fails the same way on every backend, with one
 * exception type ({@link ShapeException}) whose message starts with the op's name and names the
 * operands' dtypes and shapes; no native code runs first. Compositions ({@link #mean},
 * {@link #gelu}, {@link #l2Normalize}, {@link #softmaxCrossEntropy}, ...) are written here once;
 * a backend with a fused kernel for one of them supplies it through {@link Kernels}.
 *
 * <p>Conventions, identical on every backend:
 * <ul>
 *   <li>Binary elementwise ops broadcast like NumPy.</li>
 *   <li>Axes may be negative (counted from the end).</li>
 *   <li>Image activations live in {@link #imageLayout()}; filters are HWIO (height, width, input
 *       channels, output channels) whatever the layout.</li>
 * </ul>
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public class Ops {

    private final Kernels kernels;

    /** @param kernels the backend's kernels, which every op reaches only after its checks */
    public Ops(Kernels kernels) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
    }

    // A kernel's result must be what the front door inferred: model code relies on static shapes.
    private Tensor result(String op, Tensor t, Shape shape, DType dtype) {
        if (t == null || !t.shape().equals(shape) || t.dtype() != dtype) {
            throw new IllegalStateException("kernel '" + op + "' of " + kernels.getClass().getName() + " returned "
                    + (t == null ? "null" : t.dtype() + "" + t.shape()) + " where the op gives " + dtype + shape);
        }
        return t;
    }

    // ---- values -------------------------------------------------------------------------

    /**
     * @param value host data
     * @return a constant holding the data (not trainable, no gradient)
     */
    public final Tensor constant(HostTensor value) {
        return result("constant", kernels.constant(value), value.shape(), value.dtype());
    }

    /**
     * @param value the value
     * @return a float32 scalar constant; broadcasts against any float tensor
     */
    public final Tensor scalar(float value) {
        return result("scalar", kernels.scalar(value), Shape.SCALAR, DType.FLOAT32);
    }

    /**
     * @param x a tensor
     * @param dtype the target type
     * @return x converted elementwise to {@code dtype} (float to integer truncates toward zero)
     */
    public final Tensor cast(Tensor x, DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        if (x.dtype() == dtype) {
            return x;
        }
        return result("cast", kernels.cast(x, dtype), x.shape(), dtype);
    }

    /**
     * @param x a tensor
     * @return x, with gradients blocked from flowing back through it
     */
    public final Tensor stopGradient(Tensor x) {
        return result("stopGradient", kernels.stopGradient(x), x.shape(), x.dtype());
    }

    // ---- elementwise --------------------------------------------------------------------

    private Tensor binary(Kernels.Binary op, Tensor a, Tensor b) {
        ShapeRules.sameDType(op.opName(), a, b);
        if (op == Kernels.Binary.POW) {
            ShapeRules.requireFloat(op.opName(), a);
        }
        Shape out = ShapeRules.broadcast(op.opName(), a.shape(), b.shape());
        return result(op.opName(), kernels.binary(op, a, b, out), out, a.dtype());
    }

    private Tensor unary(Kernels.Unary op, Tensor x) {
        ShapeRules.requireFloat(op.opName(), x);
        return result(op.opName(), kernels.unary(op, x), x.shape(), x.dtype());
    }

    /** @param a left @param b right @return a + b, broadcast */
    public final Tensor add(Tensor a, Tensor b) {
        return binary(Kernels.Binary.ADD, a, b);
    }

    /** @param a left @param b right @return a - b, broadcast */
    public final Tensor sub(Tensor a, Tensor b) {
        return binary(Kernels.Binary.SUB, a, b);
    }

    /** @param a left @param b right @return a * b, broadcast */
    public final Tensor mul(Tensor a, Tensor b) {
        return binary(Kernels.Binary.MUL, a, b);
    }

    /** @param a left @param b right @return a / b, broadcast (integers truncate toward zero) */
    public final Tensor div(Tensor a, Tensor b) {
        return binary(Kernels.Binary.DIV, a, b);
    }

    /** @param a base, float @param b exponent @return a ^ b, broadcast */
    public final Tensor pow(Tensor a, Tensor b) {
        return binary(Kernels.Binary.POW, a, b);
    }

    /** @param a left @param b right @return elementwise maximum, broadcast */
    public final Tensor maximum(Tensor a, Tensor b) {
        return binary(Kernels.Binary.MAXIMUM, a, b);
    }

    /** @param a left @param b right @return elementwise minimum, broadcast */
    public final Tensor minimum(Tensor a, Tensor b) {
        return binary(Kernels.Binary.MINIMUM, a, b);
    }

    /** @param x input @return -x */
    public final Tensor neg(Tensor x) {
        return unary(Kernels.Unary.NEG, x);
    }

    /** @param x input @return e^x */
    public final Tensor exp(Tensor x) {
        return unary(Kernels.Unary.EXP, x);
    }

    /** @param x input @return natural logarithm */
    public final Tensor log(Tensor x) {
        return unary(Kernels.Unary.LOG, x);
    }

    /** @param x input @return square root */
    public final Tensor sqrt(Tensor x) {
        return unary(Kernels.Unary.SQRT, x);
    }

    /** @param x input @return |x| */
    public final Tensor abs(Tensor x) {
        return unary(Kernels.Unary.ABS, x);
    }

    /** @param x input @return the Gauss error function */
    public final Tensor erf(Tensor x) {
        return unary(Kernels.Unary.ERF, x);
    }

    /** @param x input @return max(x, 0) */
    public final Tensor relu(Tensor x) {
        return unary(Kernels.Unary.RELU, x);
    }

    /** @param x input @return 1 / (1 + e^-x) */
    public final Tensor sigmoid(Tensor x) {
        return unary(Kernels.Unary.SIGMOID, x);
    }

    /** @param x input @return hyperbolic tangent */
    public final Tensor tanh(Tensor x) {
        return unary(Kernels.Unary.TANH, x);
    }

    /** @param x input @return log(1 + e^x) */
    public final Tensor softplus(Tensor x) {
        return unary(Kernels.Unary.SOFTPLUS, x);
    }

    /** @param x input @return x * x */
    public final Tensor square(Tensor x) {
        ShapeRules.requireFloat("square", x);
        return result("square", kernels.square(x, () -> mul(x, x)), x.shape(), x.dtype());
    }

    /** @param x input @return 1 / sqrt(x) */
    public final Tensor rsqrt(Tensor x) {
        ShapeRules.requireFloat("rsqrt", x);
        return result("rsqrt", kernels.rsqrt(x, () -> div(scalar(1f), sqrt(x))), x.shape(), x.dtype());
    }

    /**
     * Exact GELU, composed from erf (TensorFlow-Java has no Gelu op).
     *
     * @param x input
     * @return x * 0.5 * (1 + erf(x / sqrt(2)))
     */
    public final Tensor gelu(Tensor x) {
        ShapeRules.requireFloat("gelu", x);
        return result("gelu", kernels.gelu(x, () -> {
            Tensor inner = erf(mul(x, scalar((float) (1.0 / Math.sqrt(2.0)))));
            return mul(mul(x, scalar(0.5f)), add(scalar(1f), inner));
        }), x.shape(), x.dtype());
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
    public final Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        ShapeRules.requireFloat("matmul", a);
        ShapeRules.requireFloat("matmul", b);
        Shape out = ShapeRules.matmul(a.shape(), b.shape(), transposeA, transposeB);
        return result("matmul", kernels.matmul(a, b, transposeA, transposeB, out), out, DType.FLOAT32);
    }

    /** @param a left @param b right @return {@code matmul(a, b, false, false)} */
    public final Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    // ---- reductions ---------------------------------------------------------------------

    private Tensor reduce(Kernels.Reduction op, Tensor x, int[] axes, boolean keepDims) {
        int[] ax = ShapeRules.axes(op.opName(), x.shape(), axes);
        Shape out = ShapeRules.reduce(op.opName(), x.shape(), axes, keepDims);
        return result(op.opName(), kernels.reduce(op, x, ax, keepDims, out), out, x.dtype());
    }

    /**
     * @param x input
     * @param axes axes to reduce; empty means all
     * @param keepDims keep reduced axes with size 1
     * @return the sum
     */
    public final Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Kernels.Reduction.SUM, x, axes, keepDims);
    }

    /**
     * @param x input
     * @param axes axes to reduce; empty means all
     * @param keepDims keep reduced axes with size 1
     * @return the maximum (gradient flows to the maximal elements)
     */
    public final Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Kernels.Reduction.MAX, x, axes, keepDims);
    }

    /**
     * @param x input, float
     * @param axes axes to reduce; empty means all
     * @param keepDims keep reduced axes with size 1
     * @return the mean
     */
    public final Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        ShapeRules.requireFloat("mean", x);
        int[] ax = ShapeRules.axes("mean", x.shape(), axes);
        Shape out = ShapeRules.reduce("mean", x.shape(), axes, keepDims);
        long count = ShapeRules.reducedCount(x.shape(), axes);
        return result("mean", kernels.mean(x, ax, keepDims, out, () -> div(sum(x, axes, keepDims), scalar((float) count))), out,
                x.dtype());
    }

    /**
     * @param x input
     * @param axis the axis to search
     * @return int32 indices of the maximum along {@code axis} (no gradient)
     */
    public final Tensor argMax(Tensor x, int axis) {
        int ax = ShapeRules.classAxis("argMax", x.shape(), axis);
        Shape out = ShapeRules.reduce("argMax", x.shape(), new int[] {ax}, false);
        return result("argMax", kernels.argMax(x, ax, out), out, DType.INT32);
    }

    // ---- shapes -------------------------------------------------------------------------

    /**
     * @param x input
     * @param shape the new shape, same element count
     * @return x viewed with the new shape
     */
    public final Tensor reshape(Tensor x, Shape shape) {
        Shape out = ShapeRules.reshape(x.shape(), shape);
        if (out.equals(x.shape())) {
            return x;
        }
        return result("reshape", kernels.reshape(x, out), out, x.dtype());
    }

    /**
     * @param x input
     * @param permutation output axis i is input axis permutation[i]
     * @return the permuted tensor
     */
    public final Tensor transpose(Tensor x, int... permutation) {
        int[] perm = permutation.clone();
        Shape out = ShapeRules.transpose(x.shape(), perm);
        return result("transpose", kernels.transpose(x, perm, out), out, x.dtype());
    }

    /**
     * @param parts tensors equal in every axis but {@code axis}
     * @param axis the axis to join along
     * @return the concatenation
     */
    public final Tensor concat(List<Tensor> parts, int axis) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor p : parts) {
            shapes.add(p.shape());
        }
        Shape out = ShapeRules.concat(shapes, axis);
        for (Tensor p : parts) {
            ShapeRules.sameDType("concat", parts.get(0), p);
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int ax = axis < 0 ? axis + out.rank() : axis;
        return result("concat", kernels.concat(List.copyOf(parts), ax, out), out, parts.get(0).dtype());
    }

    /**
     * @param x input
     * @param begin start index per axis
     * @param size extent per axis
     * @return the slice
     */
    public final Tensor slice(Tensor x, int[] begin, int[] size) {
        Shape out = ShapeRules.slice(x.shape(), begin, size);
        return result("slice", kernels.slice(x, begin.clone(), size.clone()), out, x.dtype());
    }

    /**
     * @param params values to pick from
     * @param indices int32 indices into {@code axis} of params
     * @param axis the axis indexed
     * @return params with axis replaced by the shape of indices (gradient to params only)
     */
    public final Tensor gather(Tensor params, Tensor indices, int axis) {
        ShapeRules.requireIndices("gather", indices);
        Shape out = ShapeRules.gather(params.shape(), indices.shape(), axis);
        int ax = axis < 0 ? axis + params.shape().rank() : axis;
        return result("gather", kernels.gather(params, indices, ax, out), out, params.dtype());
    }

    /**
     * @param indices int32 class indices of any shape
     * @param depth number of classes
     * @return float32 one-hot tensor with a trailing axis of size {@code depth}; an index outside
     *     [0, depth) gives a row of zeros
     */
    public final Tensor oneHot(Tensor indices, int depth) {
        ShapeRules.requireIndices("oneHot", indices);
        if (depth <= 0) {
            throw new ShapeException("oneHot", "depth must be positive, got " + depth + " for indices " + indices.shape());
        }
        int[] d = Arrays.copyOf(indices.shape().dims(), indices.shape().rank() + 1);
        d[d.length - 1] = depth;
        Shape out = new Shape(d);
        return result("oneHot", kernels.oneHot(indices, depth, out), out, DType.FLOAT32);
    }

    /**
     * @param x input
     * @param axis where to insert an axis of size 1
     * @return the expanded tensor
     */
    public final Tensor expandDims(Tensor x, int axis) {
        return reshape(x, ShapeRules.expandDims(x.shape(), axis));
    }

    // ---- normalization and probabilities ------------------------------------------------

    /** @param x logits @param axis class axis @return softmax along axis */
    public final Tensor softmax(Tensor x, int axis) {
        ShapeRules.requireFloat("softmax", x);
        int ax = ShapeRules.classAxis("softmax", x.shape(), axis);
        return result("softmax", kernels.softmax(x, ax), x.shape(), x.dtype());
    }

    /** @param x logits @param axis class axis @return log-softmax along axis (numerically stable) */
    public final Tensor logSoftmax(Tensor x, int axis) {
        ShapeRules.requireFloat("logSoftmax", x);
        int ax = ShapeRules.classAxis("logSoftmax", x.shape(), axis);
        return result("logSoftmax", kernels.logSoftmax(x, ax), x.shape(), x.dtype());
    }

    /**
     * Softmax cross-entropy over the last axis: {@code -sum(targets * logSoftmax(logits, -1), -1)}.
     * Losses call this op rather than spelling the composition out, so a backend can run its
     * fused kernel (TensorFlow does, for constant targets whose rows are distributions).
     *
     * @param logits float logits, classes on the last axis
     * @param targets float targets of the same shape: a distribution per row (one-hot labels, soft labels)
     * @return the cross-entropy of each row: logits' shape without its last axis
     */
    public final Tensor softmaxCrossEntropy(Tensor logits, Tensor targets) {
        Shape out = ShapeRules.softmaxCrossEntropy(logits, targets);
        return result("softmaxCrossEntropy", kernels.softmaxCrossEntropy(logits, targets, out,
                () -> neg(sum(mul(targets, logSoftmax(logits, -1)), new int[] {-1}, false))), out, DType.FLOAT32);
    }

    /**
     * @param x input
     * @param axis the axis normalized
     * @param epsilon guards against division by zero
     * @return x / sqrt(max(sum(x^2), epsilon)) along axis
     */
    public final Tensor l2Normalize(Tensor x, int axis, float epsilon) {
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
    public final Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding) {
        ShapeRules.requireFloat("conv2d", input);
        ShapeRules.requireFloat("conv2d", filter);
        ShapeRules.requirePositive("conv2d", "stride height", strideHeight, input);
        ShapeRules.requirePositive("conv2d", "stride width", strideWidth, input);
        Shape out = ShapeRules.conv2d(input.shape(), filter.shape(), strideHeight, strideWidth, padding, imageLayout());
        return result("conv2d", kernels.conv2d(input, filter, strideHeight, strideWidth, padding, out), out, DType.FLOAT32);
    }

    private Tensor pool(Kernels.Pooling op, Tensor input, int window, int stride, Padding padding) {
        ShapeRules.requireFloat(op.opName(), input);
        ShapeRules.requirePositive(op.opName(), "window", window, input);
        ShapeRules.requirePositive(op.opName(), "stride", stride, input);
        Shape out = ShapeRules.pool2d(op.opName(), input.shape(), window, stride, padding, imageLayout());
        return result(op.opName(), kernels.pool2d(op, input, window, stride, padding, out), out, DType.FLOAT32);
    }

    /**
     * @param input rank-4 activation in {@link #imageLayout()}
     * @param window window height and width (square)
     * @param stride stride in both directions
     * @param padding padding rule
     * @return max pooling, in {@link #imageLayout()}
     */
    public final Tensor maxPool2d(Tensor input, int window, int stride, Padding padding) {
        return pool(Kernels.Pooling.MAX, input, window, stride, padding);
    }

    /**
     * @param input rank-4 activation in {@link #imageLayout()}
     * @param window window height and width (square)
     * @param stride stride in both directions
     * @param padding padding rule
     * @return average pooling over the pixels inside the image, in {@link #imageLayout()}
     */
    public final Tensor avgPool2d(Tensor input, int window, int stride, Padding padding) {
        return pool(Kernels.Pooling.AVG, input, window, stride, padding);
    }

    /** @return where this backend keeps the channel axis of image activations */
    public final ImageLayout imageLayout() {
        return kernels.imageLayout();
    }

    /**
     * @param nhwc a rank-4 tensor in NHWC, as host images arrive
     * @return the same tensor in {@link #imageLayout()}
     */
    public final Tensor fromNhwc(Tensor nhwc) {
        ShapeRules.requireImage("fromNhwc", nhwc.shape(), ImageLayout.NHWC);
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
    public final Tensor dropout(Tensor x, float rate) {
        ShapeRules.dropoutRate(rate, x);
        ShapeRules.requireFloat("dropout", x);
        if (rate == 0) {
            return x;
        }
        return result("dropout", kernels.dropout(x, rate), x.shape(), x.dtype());
    }

    @Override
    public String toString() {
        return "Ops(" + kernels.getClass().getSimpleName() + ", " + imageLayout() + ")";
    }
}
