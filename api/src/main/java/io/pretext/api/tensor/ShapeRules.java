package io.pretext.api.tensor;

import io.pretext.api.error.ShapeException;
import java.util.Arrays;
import java.util.List;

/**
 * Static shape inference and operand checks for every op of {@link Ops}. The {@link Ops} front
 * door calls them, and only it, before any backend kernel runs, so a wrong shape or dtype fails
 * the same way on every backend: a {@link ShapeException} whose message starts with the op's name
 * and names the operands' dtypes and shapes. {@link ShapeOps} runs model code on these rules alone,
 * a shape-only pass that validates a model and counts its FLOPs without any native library.
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public final class ShapeRules {
    private ShapeRules() {
    }

    /**
     * @param op op name for the error
     * @param a left shape
     * @param b right shape
     * @return the NumPy broadcast of the two shapes
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op, "cannot broadcast " + a + " with " + b);
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /**
     * @param op op name for the error
     * @param a left dtype
     * @param b right dtype
     */
    public static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new ShapeException(op, "dtype mismatch: " + a.dtype() + a.shape() + " vs " + b.dtype() + b.shape());
        }
    }

    /**
     * @param op op name for the error
     * @param x operand
     */
    public static void requireFloat(String op, Tensor x) {
        if (x.dtype() != DType.FLOAT32) {
            throw new ShapeException(op, "needs FLOAT32, got " + x.dtype() + x.shape());
        }
    }

    /**
     * @param op op name for the error
     * @param indices operand that must hold integers
     */
    public static void requireIndices(String op, Tensor indices) {
        if (indices.dtype() == DType.FLOAT32) {
            throw new ShapeException(op, "indices must be INT32 or INT64, got FLOAT32" + indices.shape());
        }
    }

    /**
     * @param op op name for the error
     * @param what what the number is, e.g. "stride"
     * @param value the number
     * @param x the operand it applies to
     */
    public static void requirePositive(String op, String what, int value, Tensor x) {
        if (value <= 0) {
            throw new ShapeException(op, what + " must be positive, got " + value + " for " + x.dtype() + x.shape());
        }
    }

    /**
     * @param rate share of elements dropout zeroes
     * @param x the operand
     */
    public static void dropoutRate(float rate, Tensor x) {
        if (!(rate >= 0 && rate < 1)) {
            throw new ShapeException("dropout", "rate must be in [0, 1), got " + rate + " for " + x.dtype() + x.shape());
        }
    }

    /**
     * @param op op name for the error
     * @param x logits
     * @param axis class axis, negative counting from the end
     * @return the axis counted from the front
     */
    public static int classAxis(String op, Shape x, int axis) {
        if (x.rank() == 0) {
            throw new ShapeException(op, "needs at least one axis, got a scalar");
        }
        return axes(op, x, new int[] {axis})[0];
    }

    /**
     * @param x input shape
     * @param axis where a new axis of size 1 goes, in [-(rank + 1), rank]
     * @return the expanded shape
     */
    public static Shape expandDims(Shape x, int axis) {
        int a = axis < 0 ? axis + x.rank() + 1 : axis;
        if (a < 0 || a > x.rank()) {
            throw new ShapeException("expandDims", "axis " + axis + " out of range for shape " + x + " (allowed: "
                    + -(x.rank() + 1) + " to " + x.rank() + ")");
        }
        int[] d = x.dims();
        int[] out = new int[d.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == a ? 1 : d[j++];
        }
        return new Shape(out);
    }

    /**
     * @param logits logits, float, class axis last
     * @param targets targets, float, logits' shape
     * @return one value per row: logits' shape without its last axis
     */
    public static Shape softmaxCrossEntropy(Tensor logits, Tensor targets) {
        String op = "softmaxCrossEntropy";
        requireFloat(op, logits);
        requireFloat(op, targets);
        if (logits.shape().rank() == 0) {
            throw new ShapeException(op, "needs logits with a class axis, got a scalar");
        }
        if (!logits.shape().equals(targets.shape())) {
            throw new ShapeException(op, "logits " + logits.dtype() + logits.shape() + " and targets " + targets.dtype()
                    + targets.shape() + " must have the same shape");
        }
        return logits.shape().dropLast();
    }

    /**
     * @param a left shape
     * @param b right shape
     * @param transposeA swap a's last two axes
     * @param transposeB swap b's last two axes
     * @return the product's shape
     */
    public static Shape matmul(Shape a, Shape b, boolean transposeA, boolean transposeB) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new ShapeException("matmul", "operands need rank >= 2, got " + a + " and " + b);
        }
        int m = transposeA ? a.dim(-1) : a.dim(-2);
        int ka = transposeA ? a.dim(-2) : a.dim(-1);
        int kb = transposeB ? b.dim(-1) : b.dim(-2);
        int n = transposeB ? b.dim(-2) : b.dim(-1);
        if (ka != kb) {
            throw new ShapeException("matmul", "inner dimensions differ: " + a + (transposeA ? "^T" : "") + " x " + b
                    + (transposeB ? "^T" : "") + " (" + ka + " vs " + kb + ")");
        }
        Shape batchA = new Shape(Arrays.copyOf(a.dims(), a.rank() - 2));
        Shape batchB = new Shape(Arrays.copyOf(b.dims(), b.rank() - 2));
        Shape batch = broadcast("matmul", batchA, batchB);
        int[] out = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        out[batch.rank()] = m;
        out[batch.rank() + 1] = n;
        return new Shape(out);
    }

    /**
     * @param op op name for the error
     * @param x input shape
     * @param axes axes to reduce; empty means all
     * @return normalized, sorted, distinct axes
     */
    public static int[] axes(String op, Shape x, int[] axes) {
        if (axes.length == 0) {
            int[] all = new int[x.rank()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] n = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + x.rank() : axes[i];
            if (a < 0 || a >= x.rank()) {
                throw new ShapeException(op, "axis " + axes[i] + " out of range for shape " + x);
            }
            n[i] = a;
        }
        return Arrays.stream(n).sorted().distinct().toArray();
    }

    /**
     * @param op op name for the error
     * @param x input shape
     * @param axes axes reduced
     * @param keepDims keep reduced axes as size 1
     * @return the reduced shape
     */
    public static Shape reduce(String op, Shape x, int[] axes, boolean keepDims) {
        int[] ax = axes(op, x, axes);
        int[] d = x.dims();
        int[] out = new int[keepDims ? d.length : d.length - ax.length];
        for (int i = 0, j = 0; i < d.length; i++) {
            boolean reduced = Arrays.binarySearch(ax, i) >= 0;
            if (keepDims) {
                out[j++] = reduced ? 1 : d[i];
            } else if (!reduced) {
                out[j++] = d[i];
            }
        }
        return new Shape(out);
    }

    /**
     * @param x input shape
     * @param axes reduced axes (empty: all)
     * @return the number of elements each output element summarizes
     */
    public static long reducedCount(Shape x, int[] axes) {
        long n = 1;
        for (int a : axes("reduce", x, axes)) {
            n *= x.dim(a);
        }
        return n;
    }

    /**
     * @param x input shape
     * @param target requested shape
     * @return the target, once checked
     */
    public static Shape reshape(Shape x, Shape target) {
        if (x.size() != target.size()) {
            throw new ShapeException("reshape", "cannot reshape " + x + " (" + x.size() + " elements) to " + target + " ("
                    + target.size() + " elements)");
        }
        return target;
    }

    /**
     * @param x input shape
     * @param perm permutation
     * @return the permuted shape
     */
    public static Shape transpose(Shape x, int[] perm) {
        if (perm.length != x.rank() || Arrays.stream(perm).sorted().toArray().length != perm.length) {
            throw new ShapeException("transpose", "permutation " + Arrays.toString(perm) + " does not fit shape " + x);
        }
        boolean[] seen = new boolean[perm.length];
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] < 0 || perm[i] >= perm.length || seen[perm[i]]) {
                throw new ShapeException("transpose", "permutation " + Arrays.toString(perm) + " is not a permutation of "
                        + perm.length + " axes (shape " + x + ")");
            }
            seen[perm[i]] = true;
            out[i] = x.dim(perm[i]);
        }
        return new Shape(out);
    }

    /**
     * @param parts operand shapes
     * @param axis join axis
     * @return the concatenated shape
     */
    public static Shape concat(List<Shape> parts, int axis) {
        if (parts.isEmpty()) {
            throw new ShapeException("concat", "needs at least one operand");
        }
        Shape first = parts.get(0);
        int a = axis < 0 ? axis + first.rank() : axis;
        if (a < 0 || a >= first.rank()) {
            throw new ShapeException("concat", "axis " + axis + " out of range for shape " + first);
        }
        int[] out = first.dims();
        out[a] = 0;
        for (Shape p : parts) {
            if (p.rank() != first.rank()) {
                throw new ShapeException("concat", "ranks differ: " + parts);
            }
            for (int i = 0; i < p.rank(); i++) {
                if (i != a && p.dim(i) != first.dim(i)) {
                    throw new ShapeException("concat", "shapes differ outside axis " + axis + ": " + parts);
                }
            }
            out[a] += p.dim(a);
        }
        return new Shape(out);
    }

    /**
     * @param x input shape
     * @param begin start per axis
     * @param size extent per axis
     * @return the slice's shape
     */
    public static Shape slice(Shape x, int[] begin, int[] size) {
        if (begin.length != x.rank() || size.length != x.rank()) {
            throw new ShapeException("slice", "begin " + Arrays.toString(begin) + " and size " + Arrays.toString(size)
                    + " must have one entry per axis of " + x);
        }
        for (int i = 0; i < x.rank(); i++) {
            if (begin[i] < 0 || size[i] < 0 || begin[i] + size[i] > x.dim(i)) {
                throw new ShapeException("slice", "begin " + Arrays.toString(begin) + " size " + Arrays.toString(size)
                        + " exceeds shape " + x + " at axis " + i);
            }
        }
        return new Shape(size);
    }

    /**
     * @param params params shape
     * @param indices indices shape
     * @param axis gathered axis
     * @return the result shape
     */
    public static Shape gather(Shape params, Shape indices, int axis) {
        int a = axis < 0 ? axis + params.rank() : axis;
        if (a < 0 || a >= params.rank()) {
            throw new ShapeException("gather", "axis " + axis + " out of range for params " + params);
        }
        int[] p = params.dims();
        int[] idx = indices.dims();
        int[] out = new int[p.length - 1 + idx.length];
        int j = 0;
        for (int i = 0; i < a; i++) {
            out[j++] = p[i];
        }
        for (int d : idx) {
            out[j++] = d;
        }
        for (int i = a + 1; i < p.length; i++) {
            out[j++] = p[i];
        }
        return new Shape(out);
    }

    /**
     * @param op op name
     * @param input input shape in {@code layout}
     * @param layout image layout
     */
    public static void requireImage(String op, Shape input, ImageLayout layout) {
        if (input.rank() != 4) {
            throw new ShapeException(op, "needs a rank-4 " + layout + " input, got " + input);
        }
    }

    /**
     * @param size input extent
     * @param window window extent
     * @param stride stride
     * @param padding padding rule
     * @return output extent
     */
    public static int windowOutput(int size, int window, int stride, Padding padding) {
        return padding == Padding.SAME ? (size + stride - 1) / stride : (size - window) / stride + 1;
    }

    /**
     * @param input input shape in {@code layout}
     * @param filter HWIO filter shape
     * @param sh vertical stride
     * @param sw horizontal stride
     * @param padding padding rule
     * @param layout image layout of input and output
     * @return output shape in {@code layout}
     */
    public static Shape conv2d(Shape input, Shape filter, int sh, int sw, Padding padding, ImageLayout layout) {
        requireImage("conv2d", input, layout);
        if (filter.rank() != 4) {
            throw new ShapeException("conv2d", "filter must be HWIO rank 4, got " + filter);
        }
        int c = input.dim(layout.channelAxis());
        if (filter.dim(2) != c) {
            throw new ShapeException("conv2d", "input " + input + " (" + layout + ") has " + c + " channels but filter "
                    + filter + " expects " + filter.dim(2));
        }
        int h = input.dim(layout == ImageLayout.NHWC ? 1 : 2);
        int w = input.dim(layout == ImageLayout.NHWC ? 2 : 3);
        if (padding == Padding.VALID && (h < filter.dim(0) || w < filter.dim(1))) {
            throw new ShapeException("conv2d", "filter " + filter + " larger than input " + input);
        }
        int oh = windowOutput(h, filter.dim(0), sh, padding);
        int ow = windowOutput(w, filter.dim(1), sw, padding);
        int o = filter.dim(3);
        return layout == ImageLayout.NHWC ? Shape.of(input.dim(0), oh, ow, o) : Shape.of(input.dim(0), o, oh, ow);
    }

    /**
     * @param op op name
     * @param input input shape in {@code layout}
     * @param window window extent
     * @param stride stride
     * @param padding padding rule
     * @param layout image layout
     * @return output shape
     */
    public static Shape pool2d(String op, Shape input, int window, int stride, Padding padding, ImageLayout layout) {
        requireImage(op, input, layout);
        int h = input.dim(layout == ImageLayout.NHWC ? 1 : 2);
        int w = input.dim(layout == ImageLayout.NHWC ? 2 : 3);
        if (padding == Padding.VALID && (h < window || w < window)) {
            throw new ShapeException(op, "window " + window + " larger than input " + input);
        }
        int oh = windowOutput(h, window, stride, padding);
        int ow = windowOutput(w, window, stride, padding);
        int c = input.dim(layout.channelAxis());
        return layout == ImageLayout.NHWC ? Shape.of(input.dim(0), oh, ow, c) : Shape.of(input.dim(0), c, oh, ow);
    }
}
