package io.pretext.tensorflow;

import io.pretext.api.error.ShapeException;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.ShapeRules;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
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
 * {@link Ops} as TensorFlow graph construction. Every call checks shapes with {@link ShapeRules}
 * first (so a mistake fails with a {@link ShapeException} naming the op and shapes, before any
 * native code runs), then adds one or a few nodes to the graph. Nothing is computed here: a
 * program runs the finished graph.
 *
 * <p>Only ops with a gradient in TensorFlow's C++ registry are emitted on differentiable paths
 * (no {@code Gelu}, no sparse softmax cross-entropy); ops that produce integers
 * ({@link #argMax}, casts to integers) cut the gradient path with {@code StopGradient} first, so
 * the gradient builder never has to cross them.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class TfOps implements Ops {
    private final org.tensorflow.op.Ops tf;
    private final long seed;
    private final Map<Float, TfTensor> scalars = new HashMap<>();
    // Peephole fusion of cross-entropy against a constant distribution (see crossEntropy below).
    private final Map<TfTensor, TfTensor> logSoftmaxLogits = new IdentityHashMap<>();
    private final Set<TfTensor> distributions = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<TfTensor, TfTensor[]> weightedLogSoftmax = new IdentityHashMap<>();
    private long randomOps;

    /**
     * @param tf the TensorFlow op factory, scoped where the nodes should go
     * @param seed seed of the graph's random ops (dropout)
     */
    TfOps(org.tensorflow.op.Ops tf, long seed) {
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
        if (a.dtype() == dtype) {
            return a;
        }
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

    private Tensor binary(String op, Tensor a, Tensor b, BinaryOperator<Operand> f) {
        ShapeRules.sameDType(op, a, b);
        Shape s = ShapeRules.broadcast(op, a.shape(), b.shape());
        return out(f.apply(in(a), in(b)), s, a.dtype());
    }

    private Tensor unary(String op, Tensor x, UnaryOperator<Operand> f) {
        ShapeRules.requireFloat(op, x);
        return out(f.apply(in(x)), x.shape(), x.dtype());
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        ShapeRules.sameDType("add", a, b);
        // A bias broadcast over the last axis: BiasAdd, whose gradient (BiasAddGrad) is one fused
        // reduction instead of the generic Shape/BroadcastGradientArgs/Sum/Reshape chain.
        if (a.dtype() == DType.FLOAT32 && isBias(a.shape(), b.shape())) {
            return out(tf.nn.biasAdd(in(a), in(b)), a.shape(), a.dtype());
        }
        if (a.dtype() == DType.FLOAT32 && isBias(b.shape(), a.shape())) {
            return out(tf.nn.biasAdd(in(b), in(a)), b.shape(), b.dtype());
        }
        return binary("add", a, b, (x, y) -> tf.math.add(x, y));
    }

    private static boolean isBias(Shape value, Shape bias) {
        return value.rank() >= 2 && bias.rank() == 1 && bias.dim(0) == value.dim(-1);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b) {
        return binary("sub", a, b, (x, y) -> tf.math.sub(x, y));
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        Tensor product = binary("mul", a, b, (x, y) -> tf.math.mul(x, y));
        TfTensor logits = logSoftmaxLogits.get(b);
        TfTensor targets = unwrap(a);
        if (logits == null) {
            logits = logSoftmaxLogits.get(a);
            targets = unwrap(b);
        }
        if (logits != null && distributions.contains(targets) && targets.shape().equals(logits.shape())) {
            weightedLogSoftmax.put(unwrap(product), new TfTensor[] {logits, targets});
        }
        return product;
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        return binary("div", a, b, (x, y) -> tf.math.div(x, y));
    }

    @Override
    public Tensor pow(Tensor a, Tensor b) {
        ShapeRules.requireFloat("pow", a);
        return binary("pow", a, b, (x, y) -> tf.math.pow(x, y));
    }

    @Override
    public Tensor maximum(Tensor a, Tensor b) {
        return binary("maximum", a, b, (x, y) -> tf.math.maximum(x, y));
    }

    @Override
    public Tensor minimum(Tensor a, Tensor b) {
        return binary("minimum", a, b, (x, y) -> tf.math.minimum(x, y));
    }

    @Override
    public Tensor neg(Tensor x) {
        return unary("neg", x, a -> tf.math.neg(a));
    }

    @Override
    public Tensor exp(Tensor x) {
        return unary("exp", x, a -> tf.math.exp(a));
    }

    @Override
    public Tensor log(Tensor x) {
        return unary("log", x, a -> tf.math.log(a));
    }

    @Override
    public Tensor sqrt(Tensor x) {
        return unary("sqrt", x, a -> tf.math.sqrt(a));
    }

    @Override
    public Tensor abs(Tensor x) {
        return unary("abs", x, a -> tf.math.abs(a));
    }

    @Override
    public Tensor erf(Tensor x) {
        return unary("erf", x, a -> tf.math.erf(a));
    }

    @Override
    public Tensor relu(Tensor x) {
        return unary("relu", x, a -> tf.nn.relu(a));
    }

    @Override
    public Tensor sigmoid(Tensor x) {
        return unary("sigmoid", x, a -> tf.math.sigmoid(a));
    }

    @Override
    public Tensor tanh(Tensor x) {
        return unary("tanh", x, a -> tf.math.tanh(a));
    }

    @Override
    public Tensor softplus(Tensor x) {
        return unary("softplus", x, a -> tf.math.softplus(a));
    }

    @Override
    public Tensor square(Tensor x) {
        return unary("square", x, a -> tf.math.square(a));
    }

    @Override
    public Tensor rsqrt(Tensor x) {
        return unary("rsqrt", x, a -> tf.math.rsqrt(a));
    }

    // ---- linear algebra -----------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        ShapeRules.requireFloat("matmul", a);
        ShapeRules.requireFloat("matmul", b);
        Shape s = ShapeRules.matmul(a.shape(), b.shape(), transposeA, transposeB);
        if (a.shape().rank() == 2 && b.shape().rank() == 2) {
            return out(tf.linalg.matMul(in(a), in(b), MatMul.transposeA(transposeA), MatMul.transposeB(transposeB)), s,
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
        return out(o, s, DType.FLOAT32);
    }

    // ---- reductions ---------------------------------------------------------------------

    @Override
    public Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = ShapeRules.axes("sum", x.shape(), axes);
        Shape s = ShapeRules.reduce("sum", x.shape(), axes, keepDims);
        TfTensor[] fusable = weightedLogSoftmax.get(x);
        if (fusable != null && Arrays.equals(ax, new int[] {1})) {
            return crossEntropy(fusable[0], fusable[1], s);
        }
        return out(tf.sum(in(x), ints(ax), Sum.keepDims(keepDims)), s, x.dtype());
    }

    /**
     * {@code sum(targets * logSoftmax(logits), axis 1)} with constant targets whose rows are
     * distributions, as TensorFlow's fused SoftmaxCrossEntropyWithLogits (negated): one kernel
     * instead of log-softmax, product and sum, and a one-line gradient (softmax - targets). That
     * gradient is only right when each target row sums to 1, hence the check on the constant; any
     * other pattern keeps the composed ops. The unfused nodes stay in the graph unused and are
     * never run.
     */
    private Tensor crossEntropy(TfTensor logits, TfTensor targets, Shape shape) {
        Operand<?> loss = tf.nn.softmaxCrossEntropyWithLogits((Operand) logits.operand(), (Operand) targets.operand()).loss();
        Operand<?> perRow = tf.math.neg((Operand) loss);
        TfTensor rows = out(perRow, Shape.of(logits.shape().dim(0)), DType.FLOAT32);
        return shape.equals(rows.shape()) ? rows : reshape(rows, shape);
    }

    @Override
    public Tensor max(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = ShapeRules.axes("max", x.shape(), axes);
        Shape s = ShapeRules.reduce("max", x.shape(), axes, keepDims);
        return out(tf.max(in(x), ints(ax), Max.keepDims(keepDims)), s, x.dtype());
    }

    @Override
    public Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        ShapeRules.requireFloat("mean", x);
        int[] ax = ShapeRules.axes("mean", x.shape(), axes);
        Shape s = ShapeRules.reduce("mean", x.shape(), axes, keepDims);
        return out(tf.math.mean(in(x), ints(ax), Mean.keepDims(keepDims)), s, x.dtype());
    }

    @Override
    public Tensor argMax(Tensor x, int axis) {
        int ax = ShapeRules.axes("argMax", x.shape(), new int[] {axis})[0];
        Shape s = ShapeRules.reduce("argMax", x.shape(), new int[] {ax}, false);
        Operand source = tf.stopGradient(in(x));
        return out(tf.math.argMax(source, tf.constant(ax), TInt32.class), s, DType.INT32);
    }

    // ---- shapes -------------------------------------------------------------------------

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        Shape s = ShapeRules.reshape(x.shape(), shape);
        if (s.equals(x.shape())) {
            return x;
        }
        return out(tf.reshape(in(x), ints(s.dims())), s, x.dtype());
    }

    @Override
    public Tensor transpose(Tensor x, int... permutation) {
        Shape s = ShapeRules.transpose(x.shape(), permutation);
        return out(tf.linalg.transpose(in(x), ints(permutation)), s, x.dtype());
    }

    @Override
    public Tensor concat(List<Tensor> parts, int axis) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor p : parts) {
            shapes.add(p.shape());
        }
        Shape s = ShapeRules.concat(shapes, axis);
        for (Tensor p : parts) {
            ShapeRules.sameDType("concat", parts.get(0), p);
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<Operand> operands = new ArrayList<>();
        for (Tensor p : parts) {
            operands.add(in(p));
        }
        int ax = axis < 0 ? axis + s.rank() : axis;
        return out(tf.concat((Iterable) operands, tf.constant(ax)), s, parts.get(0).dtype());
    }

    @Override
    public Tensor slice(Tensor x, int[] begin, int[] size) {
        Shape s = ShapeRules.slice(x.shape(), begin, size);
        return out(tf.slice(in(x), ints(begin), ints(size)), s, x.dtype());
    }

    @Override
    public Tensor gather(Tensor params, Tensor indices, int axis) {
        requireIndices("gather", indices);
        Shape s = ShapeRules.gather(params.shape(), indices.shape(), axis);
        int ax = axis < 0 ? axis + params.shape().rank() : axis;
        return out(tf.gather(in(params), in(indices), tf.constant(ax)), s, params.dtype());
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth) {
        requireIndices("oneHot", indices);
        if (depth <= 0) {
            throw new ShapeException("oneHot", "depth must be positive, got " + depth + " for indices " + indices.shape());
        }
        int[] d = Arrays.copyOf(indices.shape().dims(), indices.shape().rank() + 1);
        d[d.length - 1] = depth;
        Operand<?> o = tf.oneHot(in(indices), tf.constant(depth), tf.constant(1f), tf.constant(0f));
        return out(o, new Shape(d), DType.FLOAT32);
    }

    private static void requireIndices(String op, Tensor indices) {
        if (indices.dtype() == DType.FLOAT32) {
            throw new ShapeException(op, "indices must be INT32 or INT64, got FLOAT32" + indices.shape());
        }
    }

    // ---- probabilities ------------------------------------------------------------------

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return lastAxis("softmax", x, axis, a -> tf.nn.softmax(a));
    }

    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        return lastAxis("logSoftmax", x, axis, a -> tf.nn.logSoftmax(a));
    }

    // TensorFlow's softmax kernels work on the last axis: move another axis there and back.
    private Tensor lastAxis(String op, Tensor x, int axis, UnaryOperator<Operand> f) {
        ShapeRules.requireFloat(op, x);
        int rank = x.shape().rank();
        if (rank == 0) {
            throw new ShapeException(op, "needs at least one axis, got a scalar");
        }
        int ax = ShapeRules.axes(op, x.shape(), new int[] {axis})[0];
        if (ax == rank - 1) {
            Tensor result = onMatrix(x, f);
            if (rank == 2 && op.equals("logSoftmax")) {
                logSoftmaxLogits.put(unwrap(result), unwrap(x));
            }
            return result;
        }
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[ax] = rank - 1;
        perm[rank - 1] = ax;
        Tensor moved = transpose(x, perm);
        return transpose(onMatrix(moved, f), perm);
    }

    // The C++ gradient of LogSoftmax reduces over axis 1, right only for matrices: give the kernel
    // a [rows, classes] view whatever the rank.
    private Tensor onMatrix(Tensor x, UnaryOperator<Operand> f) {
        Shape s = x.shape();
        if (s.rank() == 2) {
            return out(f.apply(in(x)), s, x.dtype());
        }
        Tensor matrix = reshape(x, Shape.of(Math.toIntExact(s.size() / s.dim(-1)), s.dim(-1)));
        return reshape(out(f.apply(in(matrix)), matrix.shape(), x.dtype()), s);
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public ImageLayout imageLayout() {
        // TensorFlow's CPU kernels (and their gradients) are only safe in NHWC.
        return ImageLayout.NHWC;
    }

    @Override
    public Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding) {
        ShapeRules.requireFloat("conv2d", input);
        ShapeRules.requireFloat("conv2d", filter);
        Shape s = ShapeRules.conv2d(input.shape(), filter.shape(), strideHeight, strideWidth, padding, ImageLayout.NHWC);
        Shape f = filter.shape();
        if (f.dim(0) == 1 && f.dim(1) == 1 && strideHeight == strideWidth) {
            // oneDNN's 1x1-convolution backward-weights kernel corrupts native memory for some shapes (measured: a ResNet
            // shortcut 8->16 channels at 56-64 px aborts the JVM with "double free or corruption"; PyTorch's build crashes in
            // the same kernel). A 1x1 convolution is a matrix product over pixels; for a 1x1 kernel SAME pads nothing.
            Tensor x = strideHeight == 1 ? input : maxPool2d(input, 1, strideHeight, Padding.VALID);
            Shape xs = x.shape();
            Tensor flat = reshape(x, Shape.of(xs.dim(0) * xs.dim(1) * xs.dim(2), xs.dim(3)));
            Tensor product = matmul(flat, reshape(filter, Shape.of(f.dim(2), f.dim(3))), false, false);
            return reshape(product, s);
        }
        List<Long> strides = List.of(1L, (long) strideHeight, (long) strideWidth, 1L);
        return out(tf.nn.conv2d(in(input), in(filter), strides, padding.name()), s, DType.FLOAT32);
    }

    @Override
    public Tensor maxPool2d(Tensor input, int window, int stride, Padding padding) {
        ShapeRules.requireFloat("maxPool2d", input);
        Shape s = ShapeRules.pool2d("maxPool2d", input.shape(), window, stride, padding, ImageLayout.NHWC);
        // The classic MaxPool (attributes, not operands): its gradient is in the C++ registry.
        Operand<?> o = scope().opBuilder("MaxPool", "MaxPool")
                .addInput(in(input).asOutput())
                .setAttr("ksize", new long[] {1, window, window, 1})
                .setAttr("strides", new long[] {1, stride, stride, 1})
                .setAttr("padding", padding.name())
                .build()
                .output(0);
        return out(o, s, DType.FLOAT32);
    }

    @Override
    public Tensor avgPool2d(Tensor input, int window, int stride, Padding padding) {
        ShapeRules.requireFloat("avgPool2d", input);
        Shape s = ShapeRules.pool2d("avgPool2d", input.shape(), window, stride, padding, ImageLayout.NHWC);
        List<Long> ksize = List.of(1L, (long) window, (long) window, 1L);
        List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
        return out(tf.nn.avgPool(in(input), ksize, strides, padding.name()), s, DType.FLOAT32);
    }

    // ---- randomness ---------------------------------------------------------------------

    @Override
    public Tensor dropout(Tensor x, float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        ShapeRules.requireFloat("dropout", x);
        if (rate == 0) {
            return x;
        }
        // Seeded per op: the same graph built from the same seed draws the same masks.
        Operand<TFloat32> u = tf.random.randomUniform(ints(x.shape().dims()), TFloat32.class, RandomUniform.seed(seed),
                RandomUniform.seed2(++randomOps));
        Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant(rate)), TFloat32.class);
        Operand<TFloat32> mask = tf.math.mul(keep, tf.constant(1f / (1f - rate)));
        return out(tf.math.mul(in(x), mask), x.shape(), DType.FLOAT32);
    }
}
