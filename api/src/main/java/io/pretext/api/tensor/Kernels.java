package io.pretext.api.tensor;

import java.util.List;
import java.util.function.Supplier;

/**
 * What a backend implements: the kernels behind the {@link Ops} front door. Model code never sees
 * this interface; it calls {@link Ops}, which checks every operand, normalizes axes and infers the
 * output shape ({@link ShapeRules}) before it calls a kernel. So a kernel may rely on what its
 * Javadoc promises (float operands, equal dtypes, axes counted from the front, sorted and
 * distinct) and never checks shapes itself; where the output shape is not obvious it is passed in,
 * and the kernel must return a tensor of exactly that shape and dtype.
 *
 * <p>Methods that take a {@code composed} supplier are ops the front door can compose from other
 * ops. The default runs that composition; a backend overrides the method where it has a fused
 * kernel (TensorFlow's {@code SoftmaxCrossEntropyWithLogits}, PyTorch's GELU), with values and
 * gradients that agree with the composition.
 *
 * <p>The grouped kernels ({@link Unary}, {@link Binary}, {@link Reduction}, {@link Pooling}) take
 * the op as an enum, so a switch over it in a backend is checked for exhaustiveness by the compiler
 * when an op is added.
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public interface Kernels {

    /** Elementwise functions of one float tensor; the result has the operand's shape. */
    enum Unary {
        /** -x. */
        NEG("neg"),
        /** e^x. */
        EXP("exp"),
        /** Natural logarithm. */
        LOG("log"),
        /** Square root. */
        SQRT("sqrt"),
        /** |x|. */
        ABS("abs"),
        /** The Gauss error function. */
        ERF("erf"),
        /** max(x, 0). */
        RELU("relu"),
        /** 1 / (1 + e^-x). */
        SIGMOID("sigmoid"),
        /** Hyperbolic tangent. */
        TANH("tanh"),
        /** log(1 + e^x). */
        SOFTPLUS("softplus");

        private final String opName;

        Unary(String opName) {
            this.opName = opName;
        }

        /** @return the name of the {@link Ops} method, as errors name it */
        public String opName() {
            return opName;
        }
    }

    /** Elementwise functions of two tensors of one dtype, broadcast like NumPy. */
    enum Binary {
        /** a + b. */
        ADD("add"),
        /** a - b. */
        SUB("sub"),
        /** a * b. */
        MUL("mul"),
        /** a / b (integers truncate toward zero). */
        DIV("div"),
        /** a ^ b (float only). */
        POW("pow"),
        /** Elementwise maximum. */
        MAXIMUM("maximum"),
        /** Elementwise minimum. */
        MINIMUM("minimum");

        private final String opName;

        Binary(String opName) {
            this.opName = opName;
        }

        /** @return the name of the {@link Ops} method, as errors name it */
        public String opName() {
            return opName;
        }
    }

    /** Reductions over a set of axes. */
    enum Reduction {
        /** The sum. */
        SUM("sum"),
        /** The maximum; the gradient flows to the maximal elements. */
        MAX("max");

        private final String opName;

        Reduction(String opName) {
            this.opName = opName;
        }

        /** @return the name of the {@link Ops} method, as errors name it */
        public String opName() {
            return opName;
        }
    }

    /** Pooling windows over the two spatial axes of an image. */
    enum Pooling {
        /** The window's maximum. */
        MAX("maxPool2d"),
        /** The mean of the window's pixels inside the image (padding is not counted). */
        AVG("avgPool2d");

        private final String opName;

        Pooling(String opName) {
            this.opName = opName;
        }

        /** @return the name of the {@link Ops} method, as errors name it */
        public String opName() {
            return opName;
        }
    }

    /** @return where this backend keeps the channel axis of image activations */
    ImageLayout imageLayout();

    // ---- values -------------------------------------------------------------------------

    /**
     * @param value host data
     * @return a constant holding it
     */
    Tensor constant(HostTensor value);

    /**
     * @param value the value
     * @return a float32 scalar constant; the default is {@link #constant} of a scalar host tensor
     */
    default Tensor scalar(float value) {
        return constant(HostTensor.scalar(value));
    }

    /**
     * @param x a tensor
     * @param dtype the target type, never x's own
     * @return x converted elementwise (float to integer truncates toward zero)
     */
    Tensor cast(Tensor x, DType dtype);

    /**
     * @param x a tensor
     * @return x, with gradients blocked
     */
    Tensor stopGradient(Tensor x);

    // ---- elementwise --------------------------------------------------------------------

    /**
     * @param op the function
     * @param x a float tensor
     * @return op(x), x's shape
     */
    Tensor unary(Unary op, Tensor x);

    /**
     * @param op the function
     * @param a left operand
     * @param b right operand, a's dtype ({@link Binary#POW}: both float)
     * @param out the broadcast shape of a and b
     * @return op(a, b) in shape {@code out}, a's dtype
     */
    Tensor binary(Binary op, Tensor a, Tensor b, Shape out);

    /**
     * @param x a float tensor
     * @param composed {@code mul(x, x)}
     * @return x * x
     */
    default Tensor square(Tensor x, Supplier<Tensor> composed) {
        return composed.get();
    }

    /**
     * @param x a float tensor
     * @param composed {@code div(scalar(1), sqrt(x))}
     * @return 1 / sqrt(x)
     */
    default Tensor rsqrt(Tensor x, Supplier<Tensor> composed) {
        return composed.get();
    }

    /**
     * @param x a float tensor
     * @param composed the exact GELU composed from erf
     * @return x * 0.5 * (1 + erf(x / sqrt(2)))
     */
    default Tensor gelu(Tensor x, Supplier<Tensor> composed) {
        return composed.get();
    }

    // ---- linear algebra -----------------------------------------------------------------

    /**
     * @param a float, rank &gt;= 2
     * @param b float, rank &gt;= 2, inner dimension matching a's
     * @param transposeA use a's last two axes swapped
     * @param transposeB use b's last two axes swapped
     * @param out the product's shape (batch axes broadcast)
     * @return the matrix product over the last two axes
     */
    Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB, Shape out);

    // ---- reductions ---------------------------------------------------------------------

    /**
     * @param op the reduction
     * @param x the input
     * @param axes the axes reduced: counted from the front, sorted, distinct; empty only for a scalar x
     * @param keepDims keep reduced axes with size 1
     * @param out the reduced shape
     * @return the reduction
     */
    Tensor reduce(Reduction op, Tensor x, int[] axes, boolean keepDims, Shape out);

    /**
     * @param x a float tensor
     * @param axes as for {@link #reduce}
     * @param keepDims keep reduced axes with size 1
     * @param out the reduced shape
     * @param composed {@code div(sum(x, axes, keepDims), scalar(count))}
     * @return the mean
     */
    default Tensor mean(Tensor x, int[] axes, boolean keepDims, Shape out, Supplier<Tensor> composed) {
        return composed.get();
    }

    /**
     * @param x the input, rank &gt;= 1
     * @param axis the axis searched, counted from the front
     * @param out x's shape without that axis
     * @return int32 indices of the maximum (no gradient)
     */
    Tensor argMax(Tensor x, int axis, Shape out);

    // ---- shapes -------------------------------------------------------------------------

    /**
     * @param x the input
     * @param shape a shape of the same element count, different from x's
     * @return x viewed in that shape
     */
    Tensor reshape(Tensor x, Shape shape);

    /**
     * @param x the input
     * @param permutation a permutation of x's axes: output axis i is input axis permutation[i]
     * @param out the permuted shape
     * @return the transposed tensor
     */
    Tensor transpose(Tensor x, int[] permutation, Shape out);

    /**
     * @param parts two or more tensors of one dtype, equal in every axis but {@code axis}
     * @param axis the axis joined, counted from the front
     * @param out the joined shape
     * @return the concatenation
     */
    Tensor concat(List<Tensor> parts, int axis, Shape out);

    /**
     * @param x the input
     * @param begin start per axis, inside x
     * @param size extent per axis; the output shape; begin + size within x
     * @return the slice
     */
    Tensor slice(Tensor x, int[] begin, int[] size);

    /**
     * @param params values to pick from
     * @param indices int32 or int64 indices into {@code axis} of params
     * @param axis the axis indexed, counted from the front
     * @param out params' shape with {@code axis} replaced by indices' shape
     * @return the gathered values (gradient to params only)
     */
    Tensor gather(Tensor params, Tensor indices, int axis, Shape out);

    /**
     * @param indices int32 or int64 class indices
     * @param depth number of classes, positive
     * @param out indices' shape plus a trailing axis of {@code depth}
     * @return float32 one-hot rows; an index outside [0, depth) gives a row of zeros
     */
    Tensor oneHot(Tensor indices, int depth, Shape out);

    // ---- probabilities ------------------------------------------------------------------

    /**
     * @param x float logits, rank &gt;= 1
     * @param axis the class axis, counted from the front
     * @return softmax along the axis, x's shape
     */
    Tensor softmax(Tensor x, int axis);

    /**
     * @param x float logits, rank &gt;= 1
     * @param axis the class axis, counted from the front
     * @return log-softmax along the axis, x's shape
     */
    Tensor logSoftmax(Tensor x, int axis);

    /**
     * Softmax cross-entropy over the last axis. A backend that fuses it must give the
     * composition's values and gradients, with respect to the targets too when they are not
     * constant; TensorFlow's fused kernel, whose gradient is {@code softmax - targets}, is right
     * only for constant targets whose rows each sum to 1.
     *
     * @param logits float logits, rank &gt;= 1
     * @param targets float, logits' shape
     * @param out logits' shape without its last axis
     * @param composed {@code neg(sum(mul(targets, logSoftmax(logits, -1)), {-1}))}
     * @return the cross-entropy per row
     */
    default Tensor softmaxCrossEntropy(Tensor logits, Tensor targets, Shape out, Supplier<Tensor> composed) {
        return composed.get();
    }

    // ---- images -------------------------------------------------------------------------

    /**
     * @param input float, rank 4, in {@link #imageLayout()}
     * @param filter float HWIO filter whose input channels match input's
     * @param strideHeight vertical stride, positive
     * @param strideWidth horizontal stride, positive
     * @param padding padding rule
     * @param out the output shape in {@link #imageLayout()}
     * @return the convolution
     */
    Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding, Shape out);

    /**
     * @param op max or average
     * @param input float, rank 4, in {@link #imageLayout()}
     * @param window square window extent, positive
     * @param stride stride in both directions, positive
     * @param padding padding rule
     * @param out the output shape in {@link #imageLayout()}
     * @return the pooled tensor
     */
    Tensor pool2d(Pooling op, Tensor input, int window, int stride, Padding padding, Shape out);

    // ---- randomness ---------------------------------------------------------------------

    /**
     * @param x a float tensor
     * @param rate share of elements dropped, in (0, 1)
     * @return x with a fresh random share {@code rate} zeroed and the rest scaled by 1 / (1 - rate)
     */
    Tensor dropout(Tensor x, float rate);
}
