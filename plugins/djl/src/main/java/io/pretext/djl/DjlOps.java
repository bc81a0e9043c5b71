package io.pretext.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
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
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * {@link Ops} executed eagerly by PyTorch through DJL, inside one {@link StepScope}. Every call
 * checks shapes with {@link ShapeRules} first (so a mistake fails with a {@link ShapeException}
 * naming the op and shapes, before any native code runs), then runs the op at once; under a
 * gradient collector PyTorch records it for the backward pass.
 *
 * <p>Two rules keep autograd sound: no DJL method that takes a Java {@code Number} is called here
 * (every scalar is a step-long array from {@link StepScope#scalar}), and every result is attached to
 * the step's manager. Image activations are NCHW, PyTorch's native layout; filters arrive HWIO as
 * the op layer defines them and are permuted to OIHW inside {@link #conv2d}, so parameters and
 * their gradients stay in the canonical layout.
 */
final class DjlOps implements Ops {
    private final StepScope scope;

    /** @param scope the step whose manager and arena the arrays live in */
    DjlOps(StepScope scope) {
        this.scope = scope;
    }

    static DjlTensor unwrap(Tensor t) {
        if (t instanceof DjlTensor x) {
            return x;
        }
        throw new IllegalArgumentException("not a DJL tensor (" + t.getClass().getName()
                + "); tensors cannot cross between backends or programs");
    }

    private static NDArray in(Tensor t) {
        return unwrap(t).array();
    }

    private DjlTensor out(NDArray array, Shape shape, DType dtype) {
        return scope.tensor(array, shape, dtype);
    }

    private static ai.djl.ndarray.types.Shape djl(long... dims) {
        return new ai.djl.ndarray.types.Shape(dims);
    }

    // ---- values -------------------------------------------------------------------------

    @Override
    public Tensor constant(HostTensor value) {
        return scope.fromHost(value);
    }

    @Override
    public Tensor scalar(float value) {
        return scope.scalar(value);
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        DjlTensor a = unwrap(x);
        if (a.dtype() == dtype) {
            return a;
        }
        // Float to integer truncates toward zero, as TensorFlow's Cast does; integers carry no gradient.
        NDArray source = dtype == DType.FLOAT32 ? a.array() : scope.own(a.array().stopGradient());
        return out(source.toType(DjlTypes.typeOf(dtype), false), a.shape(), dtype);
    }

    @Override
    public Tensor stopGradient(Tensor x) {
        DjlTensor a = unwrap(x);
        return out(a.array().stopGradient(), a.shape(), a.dtype());
    }

    // ---- elementwise --------------------------------------------------------------------

    private Tensor binary(String op, Tensor a, Tensor b, BinaryOperator<NDArray> f) {
        ShapeRules.sameDType(op, a, b);
        Shape s = ShapeRules.broadcast(op, a.shape(), b.shape());
        return out(f.apply(in(a), in(b)), s, a.dtype());
    }

    private Tensor unary(String op, Tensor x, UnaryOperator<NDArray> f) {
        ShapeRules.requireFloat(op, x);
        return out(f.apply(in(x)), x.shape(), x.dtype());
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary("add", a, b, NDArray::add);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b) {
        return binary("sub", a, b, NDArray::sub);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary("mul", a, b, NDArray::mul);
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        ShapeRules.sameDType("div", a, b);
        if (a.dtype() == DType.FLOAT32) {
            return binary("div", a, b, NDArray::div);
        }
        // PyTorch's true division would turn integers into floats; TensorFlow truncates.
        Shape s = ShapeRules.broadcast("div", a.shape(), b.shape());
        NDArray quotient = scope.own(in(a).div(in(b)));
        return out(scope.own(quotient.trunc()).toType(DjlTypes.typeOf(a.dtype()), false), s, a.dtype());
    }

    @Override
    public Tensor pow(Tensor a, Tensor b) {
        ShapeRules.requireFloat("pow", a);
        return binary("pow", a, b, NDArray::pow);
    }

    @Override
    public Tensor maximum(Tensor a, Tensor b) {
        return binary("maximum", a, b, NDArray::maximum);
    }

    @Override
    public Tensor minimum(Tensor a, Tensor b) {
        return binary("minimum", a, b, NDArray::minimum);
    }

    @Override
    public Tensor neg(Tensor x) {
        return unary("neg", x, NDArray::neg);
    }

    @Override
    public Tensor exp(Tensor x) {
        return unary("exp", x, NDArray::exp);
    }

    @Override
    public Tensor log(Tensor x) {
        return unary("log", x, NDArray::log);
    }

    @Override
    public Tensor sqrt(Tensor x) {
        return unary("sqrt", x, NDArray::sqrt);
    }

    @Override
    public Tensor abs(Tensor x) {
        return unary("abs", x, NDArray::abs);
    }

    @Override
    public Tensor erf(Tensor x) {
        return unary("erf", x, NDArray::erf);
    }

    @Override
    public Tensor relu(Tensor x) {
        return unary("relu", x, a -> a.getNDArrayInternal().relu());
    }

    @Override
    public Tensor sigmoid(Tensor x) {
        return unary("sigmoid", x, a -> a.getNDArrayInternal().sigmoid());
    }

    @Override
    public Tensor tanh(Tensor x) {
        return unary("tanh", x, NDArray::tanh);
    }

    @Override
    public Tensor softplus(Tensor x) {
        return unary("softplus", x, a -> a.getNDArrayInternal().softPlus());
    }

    @Override
    public Tensor square(Tensor x) {
        return unary("square", x, NDArray::square);
    }

    @Override
    public Tensor gelu(Tensor x) {
        // PyTorch's exact GELU: the same function the op layer's erf composition defines, one kernel.
        return unary("gelu", x, a -> a.getNDArrayInternal().gelu());
    }

    // ---- linear algebra -----------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        ShapeRules.requireFloat("matmul", a);
        ShapeRules.requireFloat("matmul", b);
        Shape s = ShapeRules.matmul(a.shape(), b.shape(), transposeA, transposeB);
        // Transposes are views; torch.matmul broadcasts the batch axes like NumPy.
        NDArray x = transposeA ? lastTwoSwapped(unwrap(a)) : in(a);
        NDArray y = transposeB ? lastTwoSwapped(unwrap(b)) : in(b);
        return out(x.matMul(y), s, DType.FLOAT32);
    }

    private NDArray lastTwoSwapped(DjlTensor t) {
        int r = t.shape().rank();
        return scope.own(t.array().swapAxes(r - 2, r - 1));
    }

    // ---- reductions ---------------------------------------------------------------------

    @Override
    public Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = ShapeRules.axes("sum", x.shape(), axes);
        Shape s = ShapeRules.reduce("sum", x.shape(), axes, keepDims);
        if (ax.length == 0) {
            return x; // a scalar: nothing to reduce (PyTorch would read no axes as all axes)
        }
        return out(in(x).sum(ax, keepDims), s, x.dtype());
    }

    @Override
    public Tensor max(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = ShapeRules.axes("max", x.shape(), axes);
        Shape s = ShapeRules.reduce("max", x.shape(), axes, keepDims);
        if (ax.length == 0) {
            return x;
        }
        if (ax.length == 1) {
            return out(in(x).max(ax, keepDims), s, x.dtype());
        }
        // PyTorch reduces max over one axis at a time: move the reduced axes last, flatten them, reduce once.
        Shape in = x.shape();
        int rank = in.rank();
        int[] perm = new int[rank];
        int k = 0;
        long kept = 1;
        List<Long> keptDims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (Arrays.binarySearch(ax, i) < 0) {
                perm[k++] = i;
                keptDims.add((long) in.dim(i));
                kept *= in.dim(i);
            }
        }
        for (int a : ax) {
            perm[k++] = a;
        }
        NDArray moved = scope.own(in(x).transpose(perm));
        long reduced = in.size() / Math.max(1, kept);
        long[] flat = new long[keptDims.size() + 1];
        for (int i = 0; i < keptDims.size(); i++) {
            flat[i] = keptDims.get(i);
        }
        flat[flat.length - 1] = reduced;
        NDArray matrix = scope.own(moved.reshape(djl(flat)));
        NDArray m = scope.own(matrix.max(new int[] {flat.length - 1}, false));
        return out(m.reshape(DjlTypes.shapeOf(s)), s, x.dtype());
    }

    @Override
    public Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        ShapeRules.requireFloat("mean", x);
        int[] ax = ShapeRules.axes("mean", x.shape(), axes);
        if (ax.length == 0) {
            return x;
        }
        long count = ShapeRules.reducedCount(x.shape(), axes);
        Tensor total = sum(x, axes, keepDims);
        return div(total, scalar((float) count));
    }

    @Override
    public Tensor argMax(Tensor x, int axis) {
        int ax = ShapeRules.axes("argMax", x.shape(), new int[] {axis})[0];
        Shape s = ShapeRules.reduce("argMax", x.shape(), new int[] {ax}, false);
        NDArray indices = scope.own(in(x).argMax(ax));
        return out(indices.toType(DataType.INT32, false), s, DType.INT32);
    }

    // ---- shapes -------------------------------------------------------------------------

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        Shape s = ShapeRules.reshape(x.shape(), shape);
        if (s.equals(x.shape())) {
            return x;
        }
        return out(in(x).reshape(DjlTypes.shapeOf(s)), s, x.dtype());
    }

    @Override
    public Tensor transpose(Tensor x, int... permutation) {
        Shape s = ShapeRules.transpose(x.shape(), permutation);
        return out(in(x).transpose(permutation), s, x.dtype());
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
        NDList rest = new NDList(parts.size() - 1);
        for (int i = 1; i < parts.size(); i++) {
            rest.add(in(parts.get(i)));
        }
        int ax = axis < 0 ? axis + s.rank() : axis;
        return out(in(parts.get(0)).getNDArrayInternal().concat(rest, ax), s, parts.get(0).dtype());
    }

    @Override
    public Tensor slice(Tensor x, int[] begin, int[] size) {
        Shape s = ShapeRules.slice(x.shape(), begin, size);
        int rank = begin.length;
        long[] min = new long[rank];
        long[] max = new long[rank];
        long[] step = new long[rank];
        for (int i = 0; i < rank; i++) {
            min[i] = begin[i];
            max[i] = (long) begin[i] + size[i];
            step[i] = 1;
        }
        PtNDArray a = (PtNDArray) in(x);
        return out(JniUtils.index(a, min, max, step, (PtNDManager) scope.manager()), s, x.dtype());
    }

    @Override
    public Tensor gather(Tensor params, Tensor indices, int axis) {
        requireIndices("gather", indices);
        Shape s = ShapeRules.gather(params.shape(), indices.shape(), axis);
        Shape p = params.shape();
        int ax = axis < 0 ? axis + p.rank() : axis;
        // An embedding lookup over rows: move the gathered axis first, view the rest as one column
        // axis, look up, then put the index axes where the gathered axis was.
        int[] toFront = new int[p.rank()];
        toFront[0] = ax;
        for (int i = 0, k = 1; i < p.rank(); i++) {
            if (i != ax) {
                toFront[k++] = i;
            }
        }
        NDArray rows = ax == 0 ? in(params) : scope.own(in(params).transpose(toFront));
        long columns = p.size() / p.dim(ax);
        NDArray table = scope.own(rows.reshape(djl(p.dim(ax), columns)));
        NDArray idx = in(indices);
        if (idx.getDataType() != DataType.INT64) {
            idx = scope.own(idx.toType(DataType.INT64, false));
        }
        NDArray looked = scope.own(table.getNDArrayInternal().embedding(idx, table, ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow());
        // [indices..., columns] -> [indices..., other axes of params in order] -> result order
        int ir = indices.shape().rank();
        int[] gathered = new int[ir + p.rank() - 1];
        int[] idxDims = indices.shape().dims();
        System.arraycopy(idxDims, 0, gathered, 0, ir);
        for (int i = 0, k = ir; i < p.rank(); i++) {
            if (i != ax) {
                gathered[k++] = p.dim(i);
            }
        }
        NDArray expanded = scope.own(looked.reshape(DjlTypes.shapeOf(new Shape(gathered))));
        if (ax == 0) {
            return out(expanded, s, params.dtype());
        }
        // expanded axes: [idx (ir), p0..p(ax-1), p(ax+1)..]; wanted: [p0..p(ax-1), idx, p(ax+1)..]
        int[] perm = new int[gathered.length];
        int k = 0;
        for (int i = 0; i < ax; i++) {
            perm[k++] = ir + i;
        }
        for (int i = 0; i < ir; i++) {
            perm[k++] = i;
        }
        for (int i = ax; i < p.rank() - 1; i++) {
            perm[k++] = ir + i;
        }
        return out(expanded.transpose(perm), s, params.dtype());
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth) {
        requireIndices("oneHot", indices);
        if (depth <= 0) {
            throw new ShapeException("oneHot", "depth must be positive, got " + depth + " for indices " + indices.shape());
        }
        int[] d = Arrays.copyOf(indices.shape().dims(), indices.shape().rank() + 1);
        d[d.length - 1] = depth;
        // DJL widens the indices to int64 (torch.one_hot's type) inside this step's manager.
        return out(in(indices).oneHot(depth, DataType.FLOAT32), new Shape(d), DType.FLOAT32);
    }

    private static void requireIndices(String op, Tensor indices) {
        if (indices.dtype() == DType.FLOAT32) {
            throw new ShapeException(op, "indices must be INT32 or INT64, got FLOAT32" + indices.shape());
        }
    }

    // ---- probabilities ------------------------------------------------------------------

    @Override
    public Tensor softmax(Tensor x, int axis) {
        ShapeRules.requireFloat("softmax", x);
        int ax = classAxis("softmax", x, axis);
        return out(in(x).softmax(ax), x.shape(), x.dtype());
    }

    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        ShapeRules.requireFloat("logSoftmax", x);
        int ax = classAxis("logSoftmax", x, axis);
        return out(in(x).logSoftmax(ax), x.shape(), x.dtype());
    }

    private static int classAxis(String op, Tensor x, int axis) {
        if (x.shape().rank() == 0) {
            throw new ShapeException(op, "needs at least one axis, got a scalar");
        }
        return ShapeRules.axes(op, x.shape(), new int[] {axis})[0];
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public ImageLayout imageLayout() {
        return ImageLayout.NCHW;
    }

    /** Zero padding of one spatial axis under TensorFlow's SAME rule: the extra pixel goes after. */
    private static int[] samePadding(int size, int window, int stride) {
        int out = (size + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + window - size, 0);
        return new int[] {total / 2, total - total / 2};
    }

    /**
     * Pads height and width explicitly (PyTorch's own padding is symmetric only).
     *
     * @return the padded input, or the input when no padding is needed
     */
    private NDArray padded(NDArray input, int[] ph, int[] pw, double value) {
        if (ph[0] == 0 && ph[1] == 0 && pw[0] == 0 && pw[1] == 0) {
            return input;
        }
        // Pairs from the last axis backwards: (left, right, top, bottom).
        return scope.own(input.pad(djl(pw[0], pw[1], ph[0], ph[1]), value));
    }

    @Override
    public Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding) {
        ShapeRules.requireFloat("conv2d", input);
        ShapeRules.requireFloat("conv2d", filter);
        Shape s = ShapeRules.conv2d(input.shape(), filter.shape(), strideHeight, strideWidth, padding, ImageLayout.NCHW);
        Shape f = filter.shape();
        if (f.dim(0) == 1 && f.dim(1) == 1 && strideHeight == strideWidth) {
            // oneDNN's 1x1-convolution backward-weights kernel crashes PyTorch's CPU build for some shapes (measured: SIGSEGV in
            // jit_avx512_common_1x1_convolution_bwd_weights_t for a ResNet shortcut 8->16 channels at 56-64 px). A 1x1
            // convolution is a matrix product over pixels; for a 1x1 kernel SAME pads nothing.
            Tensor x = strideHeight == 1 ? input : maxPool2d(input, 1, strideHeight, Padding.VALID);
            Shape xs = x.shape(); // NCHW
            Tensor pixels = reshape(transpose(x, 0, 2, 3, 1), Shape.of(xs.dim(0) * xs.dim(2) * xs.dim(3), xs.dim(1)));
            Tensor product = matmul(pixels, reshape(filter, Shape.of(f.dim(2), f.dim(3))), false, false);
            return transpose(reshape(product, Shape.of(xs.dim(0), xs.dim(2), xs.dim(3), f.dim(3))), 0, 3, 1, 2);
        }
        NDArray x = in(input);
        if (padding == Padding.SAME) {
            x = padded(x, samePadding(input.shape().dim(2), f.dim(0), strideHeight), samePadding(input.shape().dim(3), f.dim(1),
                    strideWidth), 0.0);
        }
        NDArray oihw = scope.own(in(filter).transpose(3, 2, 0, 1));
        NDList result = x.getNDArrayInternal().convolution(x, oihw, null, djl(strideHeight, strideWidth), djl(0, 0), djl(1, 1), 1);
        return out(result.singletonOrThrow(), s, DType.FLOAT32);
    }

    @Override
    public Tensor maxPool2d(Tensor input, int window, int stride, Padding padding) {
        ShapeRules.requireFloat("maxPool2d", input);
        Shape s = ShapeRules.pool2d("maxPool2d", input.shape(), window, stride, padding, ImageLayout.NCHW);
        NDArray x = in(input);
        if (padding == Padding.SAME) {
            // Padding never wins a maximum, as in TensorFlow.
            x = padded(x, samePadding(input.shape().dim(2), window, stride), samePadding(input.shape().dim(3), window, stride),
                    Double.NEGATIVE_INFINITY);
        }
        return out(x.getNDArrayInternal().maxPool(djl(window, window), djl(stride, stride), djl(0, 0), false), s, DType.FLOAT32);
    }

    @Override
    public Tensor avgPool2d(Tensor input, int window, int stride, Padding padding) {
        ShapeRules.requireFloat("avgPool2d", input);
        Shape s = ShapeRules.pool2d("avgPool2d", input.shape(), window, stride, padding, ImageLayout.NCHW);
        ai.djl.ndarray.types.Shape k = djl(window, window);
        ai.djl.ndarray.types.Shape st = djl(stride, stride);
        ai.djl.ndarray.types.Shape none = djl(0, 0);
        if (padding == Padding.VALID) {
            return out(in(input).getNDArrayInternal().avgPool(k, st, none, false, true), s, DType.FLOAT32);
        }
        // TensorFlow averages over the real pixels of each window only: divide the zero-padded
        // average by the share of real pixels, pooled from a padded plane of ones.
        int[] ph = samePadding(input.shape().dim(2), window, stride);
        int[] pw = samePadding(input.shape().dim(3), window, stride);
        NDArray x = padded(in(input), ph, pw, 0.0);
        NDArray pooled = scope.own(x.getNDArrayInternal().avgPool(k, st, none, false, true));
        NDArray ones = scope.own(scope.manager().ones(djl(1, 1, input.shape().dim(2), input.shape().dim(3))));
        NDArray share = scope.own(padded(ones, ph, pw, 0.0).getNDArrayInternal().avgPool(k, st, none, false, true));
        return out(pooled.div(share), s, DType.FLOAT32);
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
        // PyTorch's generator, seeded when the session opens; the mask is a step-long array.
        NDArray u = scope.own(scope.manager().randomUniform(0f, 1f, DjlTypes.shapeOf(x.shape())));
        NDArray keep = scope.own(scope.own(u.gte(in(scalar(rate)))).toType(DataType.FLOAT32, false));
        NDArray mask = scope.own(keep.mul(in(scalar(1f / (1f - rate)))));
        return out(in(x).mul(mask), x.shape(), DType.FLOAT32);
    }
}
