package io.pretext.api.tensor;

import java.util.List;

/**
 * An {@link Ops} that computes no values: every result is a shape and a dtype, inferred and
 * checked by the same front door every backend sits behind, and every op adds its cost to a
 * floating-point operation count. It runs an encoder's or a task's forward code with no native
 * library, so {@code pretext describe} and the benchmarks can report output shapes and FLOPs (and
 * a model with a shape mistake fails here exactly as it would on a backend).
 * {@link io.pretext.api.model.ShapePass} runs a whole model function on it.
 *
 * <p>How FLOPs are counted:
 * <ul>
 *   <li>{@code matmul}: 2 per multiply-add, 2 * M * N * K for each matrix of the (broadcast) batch;</li>
 *   <li>{@code conv2d}: 2 per multiply-add, 2 * (output elements) * kernel height * kernel width * input channels;</li>
 *   <li>elementwise ops (unary and binary math, dropout): 1 per output element;</li>
 *   <li>reductions ({@code sum}, {@code max}, {@code argMax}): 1 per input element;</li>
 *   <li>{@code softmax}, {@code logSoftmax}: 5 per element (row maximum, subtract, exponential, row sum, normalize);</li>
 *   <li>pooling: window height * window width per output element;</li>
 *   <li>moving data costs nothing: constants, casts, {@code stopGradient}, {@code reshape},
 *       {@code transpose}, {@code concat}, {@code slice}, {@code gather}, {@code oneHot};</li>
 *   <li>a composed op ({@code mean}, {@code square}, {@code rsqrt}, {@code gelu},
 *       {@code l2Normalize}, {@code softmaxCrossEntropy}) counts as the ops it is composed of,
 *       whatever a backend fuses it into, so the count is the same for every backend.</li>
 * </ul>
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public final class ShapeOps extends Ops {

    private final ShapeKernels kernels;

    /** A shape-only op set in the host layout (NHWC). */
    public ShapeOps() {
        this(ImageLayout.NHWC);
    }

    /** @param layout the image layout to report, as a backend keeping activations in it would */
    public ShapeOps(ImageLayout layout) {
        this(new ShapeKernels(layout));
    }

    private ShapeOps(ShapeKernels kernels) {
        super(kernels);
        this.kernels = kernels;
    }

    /**
     * @param shape the value's shape
     * @param dtype its element type
     * @return a value of that shape and dtype, for a model input or parameter
     */
    public Tensor placeholder(Shape shape, DType dtype) {
        return new ShapeKernels.Symbolic(shape, dtype);
    }

    /** @return the floating-point operations of every op run on this instance so far */
    public long flops() {
        return kernels.flops;
    }

    /** The kernels: shapes come from the front door, and each kernel only adds its cost. */
    private static final class ShapeKernels implements Kernels {
        private final ImageLayout layout;
        private long flops;

        ShapeKernels(ImageLayout layout) {
            this.layout = layout;
        }

        /** A value that is only a shape and a dtype. */
        private record Symbolic(Shape shape, DType dtype) implements Tensor {
            @Override
            public String toString() {
                return dtype + "" + shape;
            }
        }

        private Tensor free(Shape shape, DType dtype) {
            return new Symbolic(shape, dtype);
        }

        private Tensor costing(long cost, Shape shape, DType dtype) {
            flops += cost;
            return new Symbolic(shape, dtype);
        }

        @Override
        public ImageLayout imageLayout() {
            return layout;
        }

        @Override
        public Tensor constant(HostTensor value) {
            return free(value.shape(), value.dtype());
        }

        @Override
        public Tensor cast(Tensor x, DType dtype) {
            return free(x.shape(), dtype);
        }

        @Override
        public Tensor stopGradient(Tensor x) {
            return free(x.shape(), x.dtype());
        }

        @Override
        public Tensor unary(Unary op, Tensor x) {
            return costing(x.shape().size(), x.shape(), x.dtype());
        }

        @Override
        public Tensor binary(Binary op, Tensor a, Tensor b, Shape out) {
            return costing(out.size(), out, a.dtype());
        }

        @Override
        public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB, Shape out) {
            long inner = transposeA ? a.shape().dim(-2) : a.shape().dim(-1);
            return costing(2 * out.size() * inner, out, DType.FLOAT32);
        }

        @Override
        public Tensor reduce(Reduction op, Tensor x, int[] axes, boolean keepDims, Shape out) {
            return costing(x.shape().size(), out, x.dtype());
        }

        @Override
        public Tensor argMax(Tensor x, int axis, Shape out) {
            return costing(x.shape().size(), out, DType.INT32);
        }

        @Override
        public Tensor reshape(Tensor x, Shape shape) {
            return free(shape, x.dtype());
        }

        @Override
        public Tensor transpose(Tensor x, int[] permutation, Shape out) {
            return free(out, x.dtype());
        }

        @Override
        public Tensor concat(List<Tensor> parts, int axis, Shape out) {
            return free(out, parts.get(0).dtype());
        }

        @Override
        public Tensor slice(Tensor x, int[] begin, int[] size) {
            return free(new Shape(size), x.dtype());
        }

        @Override
        public Tensor gather(Tensor params, Tensor indices, int axis, Shape out) {
            return free(out, params.dtype());
        }

        @Override
        public Tensor oneHot(Tensor indices, int depth, Shape out) {
            return free(out, DType.FLOAT32);
        }

        @Override
        public Tensor softmax(Tensor x, int axis) {
            return costing(5 * x.shape().size(), x.shape(), x.dtype());
        }

        @Override
        public Tensor logSoftmax(Tensor x, int axis) {
            return costing(5 * x.shape().size(), x.shape(), x.dtype());
        }

        @Override
        public Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding, Shape out) {
            Shape f = filter.shape();
            return costing(2 * out.size() * f.dim(0) * f.dim(1) * f.dim(2), out, DType.FLOAT32);
        }

        @Override
        public Tensor pool2d(Pooling op, Tensor input, int window, int stride, Padding padding, Shape out) {
            return costing(out.size() * window * window, out, DType.FLOAT32);
        }

        @Override
        public Tensor dropout(Tensor x, float rate) {
            return costing(x.shape().size(), x.shape(), x.dtype());
        }
    }
}
