package io.pretext.onnx;

import static io.pretext.onnx.GraphBuilder.attr;
import static io.pretext.onnx.GraphBuilder.attrInts;

import io.pretext.api.error.ShapeException;
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
 * {@link Kernels} that record each call as ONNX nodes instead of computing it. Model code runs
 * unchanged on them, so the graph is exactly the function the training backend ran. Operands
 * arrive checked by the {@link io.pretext.api.tensor.Ops} front door, as on every backend.
 *
 * <p>When tracing for export, the input's batch axis is <em>symbolic</em>: it is traced with a
 * placeholder size ({@link #TRACE_BATCH}) and every value remembers which axis carries it, so that
 * shape constants (reshape targets, slice ends) are written in a form that holds for any batch
 * size. A function that bakes the batch size into the graph in a way that cannot be made dynamic
 * (a constant as large as the batch, a slice of part of the batch) is refused with a
 * {@link ShapeException} saying so, instead of being exported wrong.
 */
final class TracingKernels implements Kernels {

    /**
     * The placeholder batch size of an export trace: a prime far from the sizes layers have, so a
     * dimension that is a multiple of it can only come from the batch.
     */
    static final int TRACE_BATCH = 7919;

    private final GraphBuilder graph;
    private final boolean symbolicBatch;
    private final long seed;
    private int dropouts;

    /**
     * @param graph where the nodes go
     * @param symbolicBatch whether inputs carry a dynamic batch axis (export) or every shape is fixed (inference programs)
     * @param seed seed of dropout nodes
     */
    TracingKernels(GraphBuilder graph, boolean symbolicBatch, long seed) {
        this.graph = graph;
        this.symbolicBatch = symbolicBatch;
        this.seed = seed;
    }

    static Traced unwrap(Tensor t) {
        if (t instanceof Traced x) {
            return x;
        }
        throw new IllegalArgumentException("not a traced ONNX value (" + t.getClass().getName()
                + "); tensors cannot cross between backends or programs");
    }

    private static Traced out(String name, Shape shape, DType dtype, int batchAxis) {
        return new Traced(name, shape, dtype, batchAxis);
    }

    private String node(String op, Tensor... inputs) {
        List<String> names = new ArrayList<>();
        for (Tensor t : inputs) {
            names.add(unwrap(t).name());
        }
        return graph.node(op, names);
    }

    private static ShapeException notDynamic(String op, String detail) {
        return new ShapeException(op, detail + "; the traced function cannot be exported with a dynamic batch axis");
    }

    // ---- values -------------------------------------------------------------------------

    @Override
    public Tensor constant(HostTensor value) {
        if (symbolicBatch) {
            for (int d : value.shape().dims()) {
                if (d > 0 && d % TRACE_BATCH == 0) {
                    throw notDynamic("constant", "a constant of shape " + value.shape() + " has the size of the batch");
                }
            }
        }
        return out(graph.constant(value), value.shape(), value.dtype(), -1);
    }

    @Override
    public Tensor scalar(float value) {
        return out(graph.floatScalar(value), Shape.SCALAR, DType.FLOAT32, -1);
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        Traced a = unwrap(x);
        String name = graph.node("Cast", List.of(a.name()), attr("to", GraphBuilder.elementType(dtype)));
        return out(name, a.shape(), dtype, a.batchAxis());
    }

    @Override
    public Tensor stopGradient(Tensor x) {
        return unwrap(x); // nothing is differentiated here
    }

    // ---- elementwise --------------------------------------------------------------------

    @Override
    public Tensor binary(Binary op, Tensor a, Tensor b, Shape s) {
        String onnxOp = switch (op) {
            case ADD -> "Add";
            case SUB -> "Sub";
            case MUL -> "Mul";
            case DIV -> "Div";
            case POW -> "Pow";
            case MAXIMUM -> "Max";
            case MINIMUM -> "Min";
        };
        int batch = broadcastBatch(op.opName(), unwrap(a), unwrap(b), s);
        return out(node(onnxOp, a, b), s, a.dtype(), batch);
    }

    /** The batch axis of a broadcast result, refusing operands that agree with the batch only by size. */
    private static int broadcastBatch(String op, Traced a, Traced b, Shape result) {
        int ka = a.batchAxis() < 0 ? -1 : a.batchAxis() + result.rank() - a.shape().rank();
        int kb = b.batchAxis() < 0 ? -1 : b.batchAxis() + result.rank() - b.shape().rank();
        if (ka < 0 && kb < 0) {
            return -1;
        }
        if (ka >= 0 && kb >= 0) {
            if (ka != kb) {
                throw notDynamic(op, "operands " + a.shape() + " and " + b.shape() + " carry the batch on different axes");
            }
            return ka;
        }
        int k = Math.max(ka, kb);
        Traced other = ka >= 0 ? b : a;
        int otherAxis = k - (result.rank() - other.shape().rank());
        if (otherAxis >= 0 && other.shape().dim(otherAxis) != 1) {
            throw notDynamic(op, "operand " + other.shape() + " has the size of the batch without carrying it");
        }
        return k;
    }

    @Override
    public Tensor unary(Unary op, Tensor x) {
        String onnxOp = switch (op) {
            case NEG -> "Neg";
            case EXP -> "Exp";
            case LOG -> "Log";
            case SQRT -> "Sqrt";
            case ABS -> "Abs";
            case ERF -> "Erf";
            case RELU -> "Relu";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case SOFTPLUS -> "Softplus";
        };
        Traced a = unwrap(x);
        return out(node(onnxOp, a), a.shape(), a.dtype(), a.batchAxis());
    }

    // ---- linear algebra -----------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB, Shape s) {
        Traced x = unwrap(a);
        Traced y = unwrap(b);
        int batch = matmulBatch(x, y, transposeA, transposeB, s);
        Traced left = transposeA ? swapLastTwo(x) : x;
        Traced right = transposeB ? swapLastTwo(y) : y;
        return out(node("MatMul", left, right), s, DType.FLOAT32, batch);
    }

    private Traced swapLastTwo(Traced x) {
        int rank = x.shape().rank();
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return unwrap(permuted(x, perm));
    }

    /** Where the batch lands in a product: a's row axis, b's column axis, a broadcast axis, or nowhere (contracted). */
    private static int matmulBatch(Traced a, Traced b, boolean transposeA, boolean transposeB, Shape result) {
        int ra = a.shape().rank();
        int rb = b.shape().rank();
        int rank = result.rank();
        int contractA = transposeA ? ra - 2 : ra - 1;
        int contractB = transposeB ? rb - 1 : rb - 2;
        boolean contractedA = a.batchAxis() >= 0 && a.batchAxis() == contractA;
        boolean contractedB = b.batchAxis() >= 0 && b.batchAxis() == contractB;
        if (contractedA != contractedB) {
            throw notDynamic("matmul", "the product of " + a.shape() + " and " + b.shape()
                    + " contracts the batch axis of one operand against a fixed axis of the other");
        }
        if (contractedA) {
            return -1;
        }
        int ka = outAxis(a.batchAxis(), ra, transposeA ? ra - 1 : ra - 2, rank - 2, rank);
        int kb = outAxis(b.batchAxis(), rb, transposeB ? rb - 2 : rb - 1, rank - 1, rank);
        if (ka >= 0 && kb >= 0 && ka != kb) {
            throw notDynamic("matmul", "operands " + a.shape() + " and " + b.shape() + " carry the batch on different axes");
        }
        return Math.max(ka, kb);
    }

    private static int outAxis(int batchAxis, int rank, int freeAxis, int freeOut, int resultRank) {
        if (batchAxis < 0) {
            return -1;
        }
        if (batchAxis == freeAxis) {
            return freeOut;
        }
        return batchAxis + (resultRank - 2) - (rank - 2);
    }

    // ---- reductions ---------------------------------------------------------------------

    @Override
    public Tensor reduce(Reduction op, Tensor x, int[] ax, boolean keepDims, Shape s) {
        // Opset 13+ takes ReduceSum's axes as an input; ReduceMax and ReduceMean as an attribute until opset 18.
        return switch (op) {
            case SUM -> reduce("ReduceSum", x, ax, keepDims, s, true);
            case MAX -> reduce("ReduceMax", x, ax, keepDims, s, false);
        };
    }

    private Tensor reduce(String onnxOp, Tensor x, int[] ax, boolean keepDims, Shape s, boolean axesAsInput) {
        Traced a = unwrap(x);
        if (ax.length == 0) {
            return a; // a scalar reduced over no axes is itself
        }
        long[] axesLong = Arrays.stream(ax).asLongStream().toArray();
        String name = axesAsInput
                ? graph.node(onnxOp, List.of(a.name(), graph.int64s(axesLong)), attr("keepdims", keepDims ? 1L : 0L))
                : graph.node(onnxOp, List.of(a.name()), attrInts("axes", axesLong), attr("keepdims", keepDims ? 1L : 0L));
        return out(name, s, a.dtype(), reducedBatch(a.batchAxis(), ax, keepDims));
    }

    private static int reducedBatch(int batchAxis, int[] axes, boolean keepDims) {
        if (batchAxis < 0 || Arrays.binarySearch(axes, batchAxis) >= 0) {
            return -1;
        }
        if (keepDims) {
            return batchAxis;
        }
        int before = 0;
        for (int a : axes) {
            if (a < batchAxis) {
                before++;
            }
        }
        return batchAxis - before;
    }

    @Override
    public Tensor mean(Tensor x, int[] axes, boolean keepDims, Shape s, Supplier<Tensor> composed) {
        // ReduceMean divides by the run-time count: right for any batch size, unlike sum / traced count.
        return reduce("ReduceMean", x, axes, keepDims, s, false);
    }

    @Override
    public Tensor argMax(Tensor x, int ax, Shape s) {
        Traced a = unwrap(x);
        String indices = graph.node("ArgMax", List.of(a.name()), attr("axis", ax), attr("keepdims", 0L));
        String name = graph.node("Cast", List.of(indices), attr("to", GraphBuilder.elementType(DType.INT32)));
        return out(name, s, DType.INT32, reducedBatch(a.batchAxis(), new int[] {ax}, false));
    }

    // ---- shapes -------------------------------------------------------------------------

    @Override
    public Tensor reshape(Tensor x, Shape s) {
        Traced a = unwrap(x);
        long[] target = Arrays.stream(s.dims()).asLongStream().toArray();
        int batch = -1;
        if (a.batchAxis() >= 0) {
            for (int i = 0; i < target.length; i++) {
                if (target[i] > 0 && target[i] % TRACE_BATCH == 0) {
                    if (batch >= 0) {
                        throw notDynamic("reshape", "target " + s + " has two axes the size of the batch");
                    }
                    batch = i;
                }
            }
            if (batch < 0) {
                throw notDynamic("reshape", "target " + s + " of " + a.shape() + " mixes the batch axis with fixed axes");
            }
            target[batch] = -1; // inferred at run time from the batch
        }
        String name = batch >= 0
                ? graph.node("Reshape", List.of(a.name(), graph.int64s(target)))
                // allowzero: a 0 in a fixed target means an empty axis, not "copy the input's size".
                : graph.node("Reshape", List.of(a.name(), graph.int64s(target)), attr("allowzero", 1L));
        return out(name, s, a.dtype(), batch);
    }

    @Override
    public Tensor transpose(Tensor x, int[] permutation, Shape s) {
        Traced a = unwrap(x);
        int batch = -1;
        for (int i = 0; i < permutation.length; i++) {
            if (permutation[i] == a.batchAxis()) {
                batch = i;
            }
        }
        String name = graph.node("Transpose", List.of(a.name()), attrInts("perm", Arrays.stream(permutation).asLongStream().toArray()));
        return out(name, s, a.dtype(), batch);
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
    public Tensor concat(List<Tensor> parts, int ax, Shape s) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor p : parts) {
            shapes.add(p.shape());
        }
        int batch = unwrap(parts.get(0)).batchAxis();
        for (Tensor p : parts) {
            if (unwrap(p).batchAxis() != batch) {
                throw notDynamic("concat", "parts " + shapes + " do not all carry the batch on the same axis");
            }
        }
        List<String> names = new ArrayList<>();
        parts.forEach(p -> names.add(unwrap(p).name()));
        return out(graph.node("Concat", names, attr("axis", ax)), s, parts.get(0).dtype(), batch);
    }

    @Override
    public Tensor slice(Tensor x, int[] begin, int[] size) {
        Shape s = new Shape(size);
        Traced a = unwrap(x);
        long[] starts = new long[begin.length];
        long[] ends = new long[begin.length];
        long[] axes = new long[begin.length];
        for (int i = 0; i < begin.length; i++) {
            starts[i] = begin[i];
            ends[i] = (long) begin[i] + size[i];
            axes[i] = i;
        }
        if (a.batchAxis() >= 0) {
            int b = a.batchAxis();
            if (begin[b] != 0 || size[b] != a.shape().dim(b)) {
                throw notDynamic("slice", "slicing rows " + begin[b] + ".." + (begin[b] + size[b]) + " of the batch axis of " + a.shape());
            }
            ends[b] = Long.MAX_VALUE; // to the end, whatever the batch size
        }
        String name = graph.node("Slice", List.of(a.name(), graph.int64s(starts), graph.int64s(ends), graph.int64s(axes)));
        return out(name, s, a.dtype(), a.batchAxis());
    }

    @Override
    public Tensor gather(Tensor params, Tensor indices, int ax, Shape s) {
        Traced p = unwrap(params);
        Traced i = unwrap(indices);
        int batch;
        if (p.batchAxis() >= 0 && i.batchAxis() >= 0) {
            throw notDynamic("gather", "both params " + p.shape() + " and indices " + i.shape() + " carry the batch");
        } else if (i.batchAxis() >= 0) {
            batch = ax + i.batchAxis();
        } else if (p.batchAxis() < 0 || p.batchAxis() == ax) {
            batch = -1; // fixed indices into the batch pick fixed rows
        } else {
            batch = p.batchAxis() < ax ? p.batchAxis() : p.batchAxis() + i.shape().rank() - 1;
        }
        return out(graph.node("Gather", List.of(p.name(), i.name()), attr("axis", ax)), s, p.dtype(), batch);
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth, Shape s) {
        Traced i = unwrap(indices);
        // Equal(indices[..., None], 0..depth-1): a row of zeros for an index out of range, as TensorFlow's OneHot.
        long[] range = new long[depth];
        for (int k = 0; k < depth; k++) {
            range[k] = k;
        }
        String wide = graph.node("Cast", List.of(i.name()), attr("to", GraphBuilder.elementType(DType.INT64)));
        String column = graph.node("Unsqueeze", List.of(wide, graph.int64s(-1)));
        String equal = graph.node("Equal", List.of(column, graph.int64s(range)));
        String name = graph.node("Cast", List.of(equal), attr("to", GraphBuilder.elementType(DType.FLOAT32)));
        return out(name, s, DType.FLOAT32, i.batchAxis());
    }

    // ---- probabilities ------------------------------------------------------------------

    private Tensor alongAxis(String onnxOp, Tensor x, int ax) {
        Traced a = unwrap(x);
        return out(graph.node(onnxOp, List.of(a.name()), attr("axis", ax)), a.shape(), a.dtype(), a.batchAxis());
    }

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return alongAxis("Softmax", x, axis);
    }

    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        return alongAxis("LogSoftmax", x, axis);
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public ImageLayout imageLayout() {
        return ImageLayout.NCHW; // ONNX's Conv and pooling operators are NCHW
    }

    private static void requireBatchFirst(String op, Traced x) {
        if (x.batchAxis() > 0) {
            throw notDynamic(op, "input " + x.shape() + " carries the batch on axis " + x.batchAxis() + ", not 0");
        }
    }

    /**
     * Explicit [top, left, bottom, right] padding; SAME puts the odd pixel at the end, as TensorFlow does.
     *
     * @param nchw the input's shape
     * @param result the output's shape (NCHW), as the front door inferred it
     */
    private static long[] pads(Shape nchw, Shape result, int kh, int kw, int sh, int sw, Padding padding) {
        if (padding == Padding.VALID) {
            return new long[] {0, 0, 0, 0};
        }
        int[] total = new int[2];
        int[] size = {nchw.dim(2), nchw.dim(3)};
        int[] kernel = {kh, kw};
        int[] stride = {sh, sw};
        for (int i = 0; i < 2; i++) {
            int out = result.dim(2 + i);
            total[i] = Math.max((out - 1) * stride[i] + kernel[i] - size[i], 0);
        }
        return new long[] {total[0] / 2, total[1] / 2, total[0] - total[0] / 2, total[1] - total[1] / 2};
    }

    @Override
    public Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding, Shape s) {
        Traced x = unwrap(input);
        Traced f = unwrap(filter);
        requireBatchFirst("conv2d", x);
        if (f.batchAxis() >= 0) {
            throw notDynamic("conv2d", "the filter " + f.shape() + " depends on the batch");
        }
        int kh = f.shape().dim(0);
        int kw = f.shape().dim(1);
        Traced oihw = unwrap(permuted(f, 3, 2, 0, 1));
        String name = graph.node("Conv", List.of(x.name(), oihw.name()), attrInts("kernel_shape", kh, kw),
                attrInts("strides", strideHeight, strideWidth), attrInts("pads", pads(x.shape(), s, kh, kw, strideHeight, strideWidth, padding)));
        return out(name, s, DType.FLOAT32, x.batchAxis());
    }

    @Override
    public Tensor pool2d(Pooling op, Tensor input, int window, int stride, Padding padding, Shape s) {
        String onnxOp = switch (op) {
            case MAX -> "MaxPool";
            case AVG -> "AveragePool";
        };
        Traced x = unwrap(input);
        requireBatchFirst(op.opName(), x);
        // AveragePool's count_include_pad defaults to 0: padded pixels are left out of the mean, as in TensorFlow.
        String name = graph.node(onnxOp, List.of(x.name()), attrInts("kernel_shape", window, window), attrInts("strides", stride, stride),
                attrInts("pads", pads(x.shape(), s, window, window, stride, stride, padding)));
        return out(name, s, DType.FLOAT32, x.batchAxis());
    }

    // ---- randomness ---------------------------------------------------------------------

    @Override
    public Tensor dropout(Tensor x, float rate) {
        Traced a = unwrap(x);
        // training_mode = true: ONNX Runtime draws a new mask each run from the node's seeded generator.
        String name = graph.node("Dropout", List.of(a.name(), graph.floatScalar(rate), graph.boolScalar(true)),
                attr("seed", seed + ++dropouts));
        return out(name, a.shape(), DType.FLOAT32, a.batchAxis());
    }
}
