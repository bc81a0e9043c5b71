package io.pretext.tensorflow;

import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Kernels;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Scope;
import org.tensorflow.op.core.Constant;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The {@link Kernels} of the TensorFlow backend: each call adds one or a few nodes to the graph.
 * Nothing is computed here: a program runs the finished graph. Operands arrive checked by the
 * {@link io.pretext.api.tensor.Ops} front door, with the output shape inferred.
 *
 * <p>Only ops with a gradient in TensorFlow's C++ registry are emitted on differentiable paths
 * (no {@code Gelu}, no sparse softmax cross-entropy); ops that produce integers
 * ({@link #argMax}, casts to integers) cut the gradient path with {@code StopGradient} first, so
 * the gradient builder never has to cross them. Fused kernels: {@code BiasAdd} for a bias added
 * over the last axis, {@code Square}, {@code Rsqrt}, {@code Mean}, and
 * {@code SoftmaxCrossEntropyWithLogits} against constant distributions.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class TfKernels implements Kernels {
    private final org.tensorflow.op.Ops tf;
    private final long seed;
    private final Map<Float, TfTensor> scalars = new HashMap<>();
    // Constants whose rows are probability distributions: the targets the fused cross-entropy accepts.
    private final Set<TfTensor> distributions = Collections.newSetFromMap(new IdentityHashMap<>());
    private long randomOps;

    /**
     * @param tf the TensorFlow op factory, scoped where the nodes should go
     * @param seed seed of the graph's random ops (dropout)
     */
    TfKernels(org.tensorflow.op.Ops tf, long seed) {
        this.tf = tf;
        this.seed = seed;
    }

    static TfTensor unwrap(Tensor t) {
        if (t instanceof TfTensor x) {
            return x;
        }
        throw new IllegalArgumentException("not a TensorFlow tensor (" + t.getClass().getName()
                + "); tensors cannot cross between backends or programs");
    }

    private static Operand in(Tensor t) {
        return unwrap(t).operand();
    }

    private static TfTensor out(Operand<?> o, Shape shape, DType dtype) {
        return new TfTensor(o, shape, dtype);
    }

    private Scope scope() {
        return tf.scope();
    }

    private Operand<TInt32> ints(int... values) {
        return tf.constant(values);
    }

    @Override
    public ImageLayout imageLayout() {
        // TensorFlow's CPU kernels (and their gradients) are only safe in NHWC.
        return ImageLayout.NHWC;
    }

    // ---- values -------------------------------------------------------------------------

    @Override
    public Tensor constant(HostTensor value) {
        org.tensorflow.ndarray.Shape s = TfTypes.shapeOf(value.shape());
        Operand<?> c;
        if (value instanceof HostTensor.Floats f) {
            c = Constant.tensorOf(scope(), s, DataBuffers.of(f.data(), true, false));
        } else if (value instanceof HostTensor.Ints i) {
            c = Constant.tensorOf(scope(), s, DataBuffers.of(i.data(), true, false));
        } else {
            c = Constant.tensorOf(scope(), s, DataBuffers.of(((HostTensor.Longs) value).data(), true, false));
        }
        TfTensor t = out(c, value.shape(), value.dtype());
        if (value instanceof HostTensor.Floats f && rowsAreDistributions(f)) {
            distributions.add(t);
        }
        return t;
    }

    private static boolean rowsAreDistributions(HostTensor.Floats f) {
        if (f.shape().rank() != 2) {
            return false;
        }
        int cols = f.shape().dim(1);
        float[] d = f.data();
        for (int r = 0; r < f.shape().dim(0); r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                float v = d[r * cols + c];
                if (v < 0) {
                    return false;
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-6) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Tensor scalar(float value) {
        // Model code asks for the same few scalars (0, 1, epsilons) many times: one node each.
        return scalars.computeIfAbsent(value, v -> out(tf.constant(v.floatValue()), Shape.SCALAR, DType.FLOAT32));
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        TfTensor a = unwrap(x);
        // Casting to an integer has no gradient; cut the path so the gradient builder never meets it.
        Operand source = dtype == DType.FLOAT32 ? a.operand() : tf.stopGradient(a.operand());
        return out(tf.dtypes.cast(source, TfTypes.typeOf(dtype)), a.shape(), dtype);
    }

    @Override
    public Tensor stopGradient(Tensor x) {
        TfTensor a = unwrap(x);
        return out(tf.stopGradient(a.operand()), a.shape(), a.dtype());
    }

    // ---- elementwise --------------------------------------------------------------------

    @Override
    public Tensor unary(Unary op, Tensor x) {
        Operand a = in(x);
        Operand<?> o = switch (op) {
            case NEG -> tf.math.neg(a);
            case EXP -> tf.math.exp(a);
            case LOG -> tf.math.log(a);
            case SQRT -> tf.math.sqrt(a);
            case ABS -> tf.math.abs(a);
            case ERF -> tf.math.erf(a);
            case RELU -> tf.nn.relu(a);
            case SIGMOID -> tf.math.sigmoid(a);
            case TANH -> tf.math.tanh(a);
            case SOFTPLUS -> tf.math.softplus(a);
        };
        return out(o, x.shape(), x.dtype());
    }

    @Override
    public Tensor binary(Binary op, Tensor a, Tensor b, Shape shape) {
        // A bias broadcast over the last axis: BiasAdd, whose gradient (BiasAddGrad) is one fused
        // reduction instead of the generic Shape/BroadcastGradientArgs/Sum/Reshape chain.
        if (op == Binary.ADD && a.dtype() == DType.FLOAT32) {
            if (isBias(a.shape(), b.shape())) {
                return out(tf.nn.biasAdd(in(a), in(b)), a.shape(), a.dtype());
            }
            if (isBias(b.shape(), a.shape())) {
                return out(tf.nn.biasAdd(in(b), in(a)), b.shape(), b.dtype());
            }
        }
        Operand x = in(a);
        Operand y = in(b);
        Operand<?> o = switch (op) {
            case ADD -> tf.math.add(x, y);
            case SUB -> tf.math.sub(x, y);
            case MUL -> tf.math.mul(x, y);
            case DIV -> tf.math.div(x, y);
            case POW -> tf.math.pow(x, y);
            case MAXIMUM -> tf.math.maximum(x, y);
            case MINIMUM -> tf.math.minimum(x, y);
        };
        return out(o, shape, a.dtype());
    }

    private static boolean isBias(Shape value, Shape bias) {
        return value.rank() >= 2 && bias.rank() == 1 && bias.dim(0) == value.dim(-1);
    }

    @Override
    public Tensor square(Tensor x, Supplier<Tensor> composed) {
        return out(tf.math.square(in(x)), x.shape(), x.dtype());
    }

    @Override
    public Tensor rsqrt(Tensor x, Supplier<Tensor> composed) {
        return out(tf.math.rsqrt(in(x)), x.shape(), x.dtype());
    }

    // ---- linear algebra -----------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB, Shape shape) {
        if (a.shape().rank() == 2 && b.shape().rank() == 2) {
            return out(tf.linalg.matMul(in(a), in(b), MatMul.transposeA(transposeA), MatMul.transposeB(transposeB)), shape,
                    DType.FLOAT32);
        }
        // Batched (and broadcast) product; for real values the adjoint is the transpose.
        Operand<?> o = scope().opBuilder("BatchMatMulV2", "BatchMatMulV2")
                .addInput(in(a).asOutput())
                .addInput(in(b).asOutput())
                .setAttr("adj_x", transposeA)
                .setAttr("adj_y", transposeB)
                .build()
                .output(0);
        return out(o, shape, DType.FLOAT32);
    }

    // ---- reductions ---------------------------------------------------------------------

    @Override
    public Tensor reduce(Reduction op, Tensor x, int[] axes, boolean keepDims, Shape shape) {
        Operand<?> o = switch (op) {
            case SUM -> tf.sum(in(x), ints(axes), Sum.keepDims(keepDims));
            case MAX -> tf.max(in(x), ints(axes), Max.keepDims(keepDims));
        };
        return out(o, shape, x.dtype());
    }

    @Override
    public Tensor mean(Tensor x, int[] axes, boolean keepDims, Shape shape, Supplier<Tensor> composed) {
        return out(tf.math.mean(in(x), ints(axes), Mean.keepDims(keepDims)), shape, x.dtype());
    }

    @Override
    public Tensor argMax(Tensor x, int axis, Shape shape) {
        Operand source = tf.stopGradient(in(x));
        return out(tf.math.argMax(source, tf.constant(axis), TInt32.class), shape, DType.INT32);
    }

    // ---- shapes -------------------------------------------------------------------------

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        return out(tf.reshape(in(x), ints(shape.dims())), shape, x.dtype());
    }

    /** Reshape for this class's own compositions: a no-op when the shape is already right, as the front door's. */
    private Tensor reshaped(Tensor x, Shape shape) {
        return shape.equals(x.shape()) ? x : reshape(x, shape);
    }

    @Override
    public Tensor transpose(Tensor x, int[] permutation, Shape shape) {
        return out(tf.linalg.transpose(in(x), ints(permutation)), shape, x.dtype());
    }

    @Override
    public Tensor concat(List<Tensor> parts, int axis, Shape shape) {
        List<Operand> operands = new ArrayList<>();
        for (Tensor p : parts) {
            operands.add(in(p));
        }
        return out(tf.concat((Iterable) operands, tf.constant(axis)), shape, parts.get(0).dtype());
    }

    @Override
    public Tensor slice(Tensor x, int[] begin, int[] size) {
        return out(tf.slice(in(x), ints(begin), ints(size)), new Shape(size), x.dtype());
    }

    @Override
    public Tensor gather(Tensor params, Tensor indices, int axis, Shape shape) {
        return out(tf.gather(in(params), in(indices), tf.constant(axis)), shape, params.dtype());
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth, Shape shape) {
        Operand<?> o = tf.oneHot(in(indices), tf.constant(depth), tf.constant(1f), tf.constant(0f));
        return out(o, shape, DType.FLOAT32);
    }

    // ---- probabilities ------------------------------------------------------------------

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return lastAxis(x, axis, a -> tf.nn.softmax(a));
    }

    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        return lastAxis(x, axis, a -> tf.nn.logSoftmax(a));
    }

    // TensorFlow's softmax kernels work on the last axis: move another axis there and back.
    private Tensor lastAxis(Tensor x, int axis, UnaryOperator<Operand> f) {
        int rank = x.shape().rank();
        if (axis == rank - 1) {
            return onMatrix(x, f);
        }
        int[] perm = new int[rank];
        int[] moved = x.shape().dims();
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[axis] = rank - 1;
        perm[rank - 1] = axis;
        moved[axis] = x.shape().dim(rank - 1);
        moved[rank - 1] = x.shape().dim(axis);
        Tensor there = transpose(x, perm, new Shape(moved));
        return transpose(onMatrix(there, f), perm, x.shape());
    }

    // The C++ gradient of LogSoftmax reduces over axis 1, right only for matrices: give the kernel
    // a [rows, classes] view whatever the rank.
    private Tensor onMatrix(Tensor x, UnaryOperator<Operand> f) {
        Shape s = x.shape();
        if (s.rank() == 2) {
            return out(f.apply(in(x)), s, x.dtype());
        }
        Tensor matrix = reshaped(x, Shape.of(Math.toIntExact(s.size() / s.dim(-1)), s.dim(-1)));
        return reshaped(out(f.apply(in(matrix)), matrix.shape(), x.dtype()), s);
    }

    /**
     * TensorFlow's fused SoftmaxCrossEntropyWithLogits: one kernel instead of log-softmax, product
     * and sum, and a one-line gradient (softmax - targets). That gradient is only right when each
     * target row sums to 1 and the targets need no gradient, so the kernel runs for [rows, classes]
     * logits against a constant whose rows were checked to be distributions (the identity of
     * InfoNCE, the pair targets of NT-Xent); anything else, labels from the batch included, takes
     * the composition.
     */
    @Override
    public Tensor softmaxCrossEntropy(Tensor logits, Tensor targets, Shape shape, Supplier<Tensor> composed) {
        TfTensor t = unwrap(targets);
        if (logits.shape().rank() != 2 || !distributions.contains(t)) {
            return composed.get();
        }
        Operand<?> loss = tf.nn.softmaxCrossEntropyWithLogits(in(logits), (Operand) t.operand()).loss();
        return out(loss, shape, DType.FLOAT32);
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding, Shape shape) {
        Shape f = filter.shape();
        if (f.dim(0) == 1 && f.dim(1) == 1 && strideHeight == strideWidth) {
            // oneDNN's 1x1-convolution backward-weights kernel corrupts native memory for some shapes (measured: a ResNet
            // shortcut 8->16 channels at 56-64 px aborts the JVM with "double free or corruption"; PyTorch's build crashes in
            // the same kernel). A 1x1 convolution is a matrix product over pixels; for a 1x1 kernel SAME pads nothing.
            Shape is = input.shape();
            Tensor x = strideHeight == 1 ? input : pool2d(Pooling.MAX, input, 1, strideHeight, Padding.VALID,
                    Shape.of(is.dim(0), (is.dim(1) - 1) / strideHeight + 1, (is.dim(2) - 1) / strideHeight + 1, is.dim(3)));
            Shape xs = x.shape();
            Tensor flat = reshaped(x, Shape.of(xs.dim(0) * xs.dim(1) * xs.dim(2), xs.dim(3)));
            Tensor kernel = reshaped(filter, Shape.of(f.dim(2), f.dim(3)));
            Tensor product = matmul(flat, kernel, false, false, Shape.of(flat.shape().dim(0), f.dim(3)));
            return reshaped(product, shape);
        }
        List<Long> strides = List.of(1L, (long) strideHeight, (long) strideWidth, 1L);
        return out(tf.nn.conv2d(in(input), in(filter), strides, padding.name()), shape, DType.FLOAT32);
    }

    @Override
    public Tensor pool2d(Pooling op, Tensor input, int window, int stride, Padding padding, Shape shape) {
        if (op == Pooling.AVG) {
            List<Long> ksize = List.of(1L, (long) window, (long) window, 1L);
            List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
            return out(tf.nn.avgPool(in(input), ksize, strides, padding.name()), shape, DType.FLOAT32);
        }
        // The classic MaxPool (attributes, not operands): its gradient is in the C++ registry.
        Operand<?> o = scope().opBuilder("MaxPool", "MaxPool")
                .addInput(in(input).asOutput())
                .setAttr("ksize", new long[] {1, window, window, 1})
                .setAttr("strides", new long[] {1, stride, stride, 1})
                .setAttr("padding", padding.name())
                .build()
                .output(0);
        return out(o, shape, DType.FLOAT32);
    }

    // ---- randomness ---------------------------------------------------------------------

    @Override
    public Tensor dropout(Tensor x, float rate) {
        // Seeded per op: the same graph built from the same seed draws the same masks.
        Operand<TFloat32> u = tf.random.randomUniform(ints(x.shape().dims()), TFloat32.class, RandomUniform.seed(seed),
                RandomUniform.seed2(++randomOps));
        Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant(rate)), TFloat32.class);
        Operand<TFloat32> mask = tf.math.mul(keep, tf.constant(1f / (1f - rate)));
        return out(tf.math.mul(in(x), mask), x.shape(), DType.FLOAT32);
    }
}
