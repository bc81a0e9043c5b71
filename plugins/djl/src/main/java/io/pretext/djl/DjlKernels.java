package io.pretext.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Kernels;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link Kernels} of the DJL backend, executed eagerly by PyTorch inside one {@link StepScope}:
 * each call runs its op at once, and under a gradient collector PyTorch records it for the backward
 * pass. Operands arrive checked by the {@link io.pretext.api.tensor.Ops} front door, with the
 * output shape inferred, so no shape query crosses JNI.
 *
 * <p>Two rules keep autograd sound: no DJL method that takes a Java {@code Number} is called here
 * (every scalar is a step-long array from {@link StepScope#scalar}), and every result is attached to
 * the step's manager. Image activations are NCHW, PyTorch's native layout; filters arrive HWIO as
 * the op layer defines them and are permuted to OIHW inside {@link #conv2d}, so parameters and
 * their gradients stay in the canonical layout.
 */
final class DjlKernels implements Kernels {
    private final StepScope scope;

    /** @param scope the step whose manager and arena the arrays live in */
    DjlKernels(StepScope scope) {
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

    @Override
    public ImageLayout imageLayout() {
        return ImageLayout.NCHW;
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

    @Override
    public Tensor unary(Unary op, Tensor x) {
        NDArray a = in(x);
        NDArray r = switch (op) {
            case NEG -> a.neg();
            case EXP -> a.exp();
            case LOG -> a.log();
            case SQRT -> a.sqrt();
            case ABS -> a.abs();
            case ERF -> a.erf();
            case RELU -> a.getNDArrayInternal().relu();
            case SIGMOID -> a.getNDArrayInternal().sigmoid();
            case TANH -> a.tanh();
            case SOFTPLUS -> a.getNDArrayInternal().softPlus();
        };
        return out(r, x.shape(), x.dtype());
    }

    @Override
    public Tensor binary(Binary op, Tensor a, Tensor b, Shape shape) {
        NDArray x = in(a);
        NDArray y = in(b);
        if (op == Binary.DIV && a.dtype() != DType.FLOAT32) {
            // PyTorch's true division would turn integers into floats; TensorFlow truncates.
            NDArray quotient = scope.own(x.div(y));
            return out(scope.own(quotient.trunc()).toType(DjlTypes.typeOf(a.dtype()), false), shape, a.dtype());
        }
        NDArray r = switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case POW -> x.pow(y);
            case MAXIMUM -> x.maximum(y);
            case MINIMUM -> x.minimum(y);
        };
        return out(r, shape, a.dtype());
    }

    @Override
    public Tensor square(Tensor x, Supplier<Tensor> composed) {
        return out(in(x).square(), x.shape(), x.dtype());
    }

    @Override
    public Tensor gelu(Tensor x, Supplier<Tensor> composed) {
        // PyTorch's exact GELU: the same function the op layer's erf composition defines, one kernel.
        return out(in(x).getNDArrayInternal().gelu(), x.shape(), x.dtype());
    }

    // ---- linear algebra -----------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB, Shape shape) {
        // Transposes are views; torch.matmul broadcasts the batch axes like NumPy.
        NDArray x = transposeA ? lastTwoSwapped(unwrap(a)) : in(a);
        NDArray y = transposeB ? lastTwoSwapped(unwrap(b)) : in(b);
        return out(x.matMul(y), shape, DType.FLOAT32);
    }

    private NDArray lastTwoSwapped(DjlTensor t) {
        int r = t.shape().rank();
        return scope.own(t.array().swapAxes(r - 2, r - 1));
    }

    // ---- reductions ---------------------------------------------------------------------

    @Override
    public Tensor reduce(Reduction op, Tensor x, int[] axes, boolean keepDims, Shape shape) {
        if (axes.length == 0) {
            return x; // a scalar: nothing to reduce (PyTorch would read no axes as all axes)
        }
        if (op == Reduction.SUM) {
            return out(in(x).sum(axes, keepDims), shape, x.dtype());
        }
        if (axes.length == 1) {
            return out(in(x).max(axes, keepDims), shape, x.dtype());
        }
        // PyTorch reduces max over one axis at a time: move the reduced axes last, flatten them, reduce once.
        Shape in = x.shape();
        int rank = in.rank();
        int[] perm = new int[rank];
        int k = 0;
        long kept = 1;
        List<Long> keptDims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (Arrays.binarySearch(axes, i) < 0) {
                perm[k++] = i;
                keptDims.add((long) in.dim(i));
                kept *= in.dim(i);
            }
        }
        for (int a : axes) {
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
        return out(m.reshape(DjlTypes.shapeOf(shape)), shape, x.dtype());
    }

    @Override
    public Tensor mean(Tensor x, int[] axes, boolean keepDims, Shape shape, Supplier<Tensor> composed) {
        return axes.length == 0 ? x : composed.get();
    }

    @Override
    public Tensor argMax(Tensor x, int axis, Shape shape) {
        NDArray indices = scope.own(in(x).argMax(axis));
        return out(indices.toType(DataType.INT32, false), shape, DType.INT32);
    }

    // ---- shapes -------------------------------------------------------------------------

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        return out(in(x).reshape(DjlTypes.shapeOf(shape)), shape, x.dtype());
    }

    /** Reshape for this class's own compositions: a no-op when the shape is already right, as the front door's. */
    private Tensor reshaped(Tensor x, Shape shape) {
        return shape.equals(x.shape()) ? x : reshape(x, shape);
    }

    @Override
    public Tensor transpose(Tensor x, int[] permutation, Shape shape) {
        return out(in(x).transpose(permutation), shape, x.dtype());
    }

    /** Transpose for this class's own compositions. */
    private Tensor permuted(Tensor x, int... permutation) {
        int[] d = new int[permutation.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x.shape().dim(permutation[i]);
        }
        return transpose(x, permutation, new Shape(d));
    }

    @Override
    public Tensor concat(List<Tensor> parts, int axis, Shape shape) {
        NDList rest = new NDList(parts.size() - 1);
        for (int i = 1; i < parts.size(); i++) {
            rest.add(in(parts.get(i)));
        }
        return out(in(parts.get(0)).getNDArrayInternal().concat(rest, axis), shape, parts.get(0).dtype());
    }

    @Override
    public Tensor slice(Tensor x, int[] begin, int[] size) {
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
        return out(JniUtils.index(a, min, max, step, (PtNDManager) scope.manager()), new Shape(size), x.dtype());
    }

    @Override
    public Tensor gather(Tensor params, Tensor indices, int ax, Shape shape) {
        Shape p = params.shape();
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
            return out(expanded, shape, params.dtype());
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
        return out(expanded.transpose(perm), shape, params.dtype());
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth, Shape shape) {
        // DJL widens the indices to int64 (torch.one_hot's type) inside this step's manager.
        return out(in(indices).oneHot(depth, DataType.FLOAT32), shape, DType.FLOAT32);
    }

    // ---- probabilities ------------------------------------------------------------------

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return out(in(x).softmax(axis), x.shape(), x.dtype());
    }

    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        return out(in(x).logSoftmax(axis), x.shape(), x.dtype());
    }

    // ---- convolution --------------------------------------------------------------------

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
    public Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding, Shape shape) {
        Shape f = filter.shape();
        if (f.dim(0) == 1 && f.dim(1) == 1 && strideHeight == strideWidth) {
            // oneDNN's 1x1-convolution backward-weights kernel crashes PyTorch's CPU build for some shapes (measured: SIGSEGV in
            // jit_avx512_common_1x1_convolution_bwd_weights_t for a ResNet shortcut 8->16 channels at 56-64 px). A 1x1
            // convolution is a matrix product over pixels; for a 1x1 kernel SAME pads nothing.
            Shape is = input.shape(); // NCHW
            Tensor x = strideHeight == 1 ? input : pool2d(Pooling.MAX, input, 1, strideHeight, Padding.VALID,
                    Shape.of(is.dim(0), is.dim(1), (is.dim(2) - 1) / strideHeight + 1, (is.dim(3) - 1) / strideHeight + 1));
            Shape xs = x.shape(); // NCHW
            Tensor pixels = reshaped(permuted(x, 0, 2, 3, 1), Shape.of(xs.dim(0) * xs.dim(2) * xs.dim(3), xs.dim(1)));
            Tensor kernel = reshaped(filter, Shape.of(f.dim(2), f.dim(3)));
            Tensor product = matmul(pixels, kernel, false, false, Shape.of(pixels.shape().dim(0), f.dim(3)));
            return permuted(reshaped(product, Shape.of(xs.dim(0), xs.dim(2), xs.dim(3), f.dim(3))), 0, 3, 1, 2);
        }
        NDArray x = in(input);
        if (padding == Padding.SAME) {
            x = padded(x, samePadding(input.shape().dim(2), f.dim(0), strideHeight), samePadding(input.shape().dim(3), f.dim(1),
                    strideWidth), 0.0);
        }
        NDArray oihw = scope.own(in(filter).transpose(3, 2, 0, 1));
        NDList result = x.getNDArrayInternal().convolution(x, oihw, null, djl(strideHeight, strideWidth), djl(0, 0), djl(1, 1), 1);
        return out(result.singletonOrThrow(), shape, DType.FLOAT32);
    }

    @Override
    public Tensor pool2d(Pooling op, Tensor input, int window, int stride, Padding padding, Shape shape) {
        if (op == Pooling.MAX) {
            NDArray x = in(input);
            if (padding == Padding.SAME) {
                // Padding never wins a maximum, as in TensorFlow.
                x = padded(x, samePadding(input.shape().dim(2), window, stride), samePadding(input.shape().dim(3), window, stride),
                        Double.NEGATIVE_INFINITY);
            }
            return out(x.getNDArrayInternal().maxPool(djl(window, window), djl(stride, stride), djl(0, 0), false), shape,
                    DType.FLOAT32);
        }
        ai.djl.ndarray.types.Shape k = djl(window, window);
        ai.djl.ndarray.types.Shape st = djl(stride, stride);
        ai.djl.ndarray.types.Shape none = djl(0, 0);
        if (padding == Padding.VALID) {
            return out(in(input).getNDArrayInternal().avgPool(k, st, none, false, true), shape, DType.FLOAT32);
        }
        // TensorFlow averages over the real pixels of each window only: divide the zero-padded
        // average by the share of real pixels, pooled from a padded plane of ones.
        int[] ph = samePadding(input.shape().dim(2), window, stride);
        int[] pw = samePadding(input.shape().dim(3), window, stride);
        NDArray x = padded(in(input), ph, pw, 0.0);
        NDArray pooled = scope.own(x.getNDArrayInternal().avgPool(k, st, none, false, true));
        NDArray ones = scope.own(scope.manager().ones(djl(1, 1, input.shape().dim(2), input.shape().dim(3))));
        NDArray share = scope.own(padded(ones, ph, pw, 0.0).getNDArrayInternal().avgPool(k, st, none, false, true));
        return out(pooled.div(share), shape, DType.FLOAT32);
    }

    // ---- randomness ---------------------------------------------------------------------

    @Override
    public Tensor dropout(Tensor x, float rate) {
        // PyTorch's generator, seeded when the session opens; the mask is a step-long array.
        NDArray u = scope.own(scope.manager().randomUniform(0f, 1f, DjlTypes.shapeOf(x.shape())));
        NDArray keep = scope.own(scope.own(u.gte(in(scalar(rate)))).toType(DataType.FLOAT32, false));
        NDArray mask = scope.own(keep.mul(in(scalar(1f / (1f - rate)))));
        return out(in(x).mul(mask), x.shape(), DType.FLOAT32);
    }
}
