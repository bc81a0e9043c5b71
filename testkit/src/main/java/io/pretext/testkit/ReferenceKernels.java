package io.pretext.testkit;

import static io.pretext.testkit.ReferenceOps.v;

import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Kernels;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps.Value;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The kernels of {@link ReferenceOps}, in double precision: values, elementwise math with
 * broadcasting, matrix products, reductions, softmax and dropout here; shape ops in
 * {@link ReferenceShapes}, convolution and pooling in {@link ReferenceImages}. Every composed op
 * (mean, square, gelu, softmax cross-entropy, ...) takes the front door's composition, so the
 * reference defines the values the backends' fused kernels must match.
 */
final class ReferenceKernels implements Kernels {

    private final SplittableRandom random;
    private final ImageLayout layout;

    ReferenceKernels(long seed, ImageLayout layout) {
        this.random = new SplittableRandom(seed);
        this.layout = layout;
    }

    @Override
    public ImageLayout imageLayout() {
        return layout;
    }

    // ---- values -------------------------------------------------------------------------

    @Override
    public Tensor constant(HostTensor value) {
        return ReferenceOps.of(value);
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        Value a = v(x);
        double[] d = a.data().clone();
        if (dtype != DType.FLOAT32) {
            for (int i = 0; i < d.length; i++) {
                d[i] = (long) d[i]; // truncation toward zero, like TensorFlow and PyTorch
            }
        }
        return new Value(a.shape(), dtype, d);
    }

    @Override
    public Tensor stopGradient(Tensor x) {
        return x;
    }

    // ---- elementwise --------------------------------------------------------------------

    @Override
    public Tensor unary(Unary op, Tensor x) {
        DoubleUnaryOperator f = switch (op) {
            case NEG -> d -> -d;
            case EXP -> Math::exp;
            case LOG -> Math::log;
            case SQRT -> Math::sqrt;
            case ABS -> Math::abs;
            case ERF -> ReferenceKernels::erf;
            case RELU -> d -> Math.max(d, 0);
            case SIGMOID -> d -> 1 / (1 + Math.exp(-d));
            case TANH -> Math::tanh;
            case SOFTPLUS -> d -> Math.max(d, 0) + Math.log1p(Math.exp(-Math.abs(d)));
        };
        return map(v(x), f);
    }

    private static Value map(Value a, DoubleUnaryOperator f) {
        double[] r = new double[a.data().length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(a.data()[i]);
        }
        return new Value(a.shape(), a.dtype(), r);
    }

    @Override
    public Tensor binary(Binary op, Tensor x, Tensor y, Shape out) {
        DoubleBinaryOperator f = switch (op) {
            case ADD -> Double::sum;
            case SUB -> (p, q) -> p - q;
            case MUL -> (p, q) -> p * q;
            case DIV -> (p, q) -> p / q;
            case POW -> Math::pow;
            case MAXIMUM -> Math::max;
            case MINIMUM -> Math::min;
        };
        Value a = v(x);
        Value b = v(y);
        int rank = out.rank();
        int[] od = out.dims();
        int[] sa = broadcastStrides(a.shape(), rank);
        int[] sb = broadcastStrides(b.shape(), rank);
        double[] r = new double[Math.toIntExact(out.size())];
        int[] idx = new int[rank];
        for (int i = 0; i < r.length; i++) {
            int ia = 0;
            int ib = 0;
            for (int k = 0; k < rank; k++) {
                ia += idx[k] * sa[k];
                ib += idx[k] * sb[k];
            }
            r[i] = f.applyAsDouble(a.data()[ia], b.data()[ib]);
            for (int k = rank - 1; k >= 0; k--) {
                if (++idx[k] < od[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        if (a.dtype() != DType.FLOAT32) {
            for (int i = 0; i < r.length; i++) {
                r[i] = (long) r[i];
            }
        }
        return new Value(out, a.dtype(), r);
    }

    // Strides of a shape right-aligned to `rank`, with 0 on broadcast axes.
    private static int[] broadcastStrides(Shape s, int rank) {
        int[] st = new int[rank];
        int stride = 1;
        for (int k = rank - 1; k >= 0; k--) {
            int j = k - (rank - s.rank());
            int d = j >= 0 ? s.dim(j) : 1;
            st[k] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return st;
    }

    /**
     * The error function to near double precision: Maclaurin series for |x| &lt; 2.5, Lentz's
     * continued fraction for the complement beyond.
     *
     * @param x argument
     * @return erf(x)
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            // Maclaurin series: converges quickly for small |x|.
            double sum = 0;
            double term = x;
            int n = 0;
            while (Math.abs(term) > 1e-17 * Math.max(1, Math.abs(sum)) && n < 200) {
                sum += term / (2 * n + 1);
                n++;
                term = -term * x * x / n;
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // Continued fraction for erfc at larger |x| (Lentz).
            double z = ax;
            double f = z;
            double c = z;
            double d = 0;
            for (int k = 1; k < 200; k++) {
                double a = k / 2.0;
                d = z + a * d;
                d = d == 0 ? 1e-300 : 1 / d;
                c = z + a / c;
                if (c == 0) {
                    c = 1e-300;
                }
                double delta = c * d;
                f *= delta;
                if (Math.abs(delta - 1) < 1e-16) {
                    break;
                }
            }
            double erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
            r = Math.signum(x) * (1 - erfc);
        }
        return r;
    }

    // ---- linear algebra -----------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor x, Tensor y, boolean transposeA, boolean transposeB, Shape out) {
        Value a = v(x);
        Value b = v(y);
        Shape as = a.shape();
        Shape bs = b.shape();
        int m = out.dim(-2);
        int n = out.dim(-1);
        int k = transposeA ? as.dim(-2) : as.dim(-1);
        int batchRank = out.rank() - 2;
        Shape batch = new Shape(Arrays.copyOf(out.dims(), batchRank));
        int[] sa = broadcastStrides(new Shape(Arrays.copyOf(as.dims(), as.rank() - 2)), batchRank);
        int[] sb = broadcastStrides(new Shape(Arrays.copyOf(bs.dims(), bs.rank() - 2)), batchRank);
        int aMat = as.dim(-2) * as.dim(-1);
        int bMat = bs.dim(-2) * bs.dim(-1);
        int aCols = as.dim(-1);
        int bCols = bs.dim(-1);
        double[] ad = a.data();
        double[] bd = b.data();
        double[] r = new double[Math.toIntExact(out.size())];
        int[] idx = new int[batchRank];
        long batches = batch.size();
        for (int bi = 0; bi < batches; bi++) {
            int oa = 0;
            int ob = 0;
            for (int q = 0; q < batchRank; q++) {
                oa += idx[q] * sa[q];
                ob += idx[q] * sb[q];
            }
            oa *= aMat;
            ob *= bMat;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = transposeA ? ad[oa + p * aCols + i] : ad[oa + i * aCols + p];
                        double bv = transposeB ? bd[ob + j * bCols + p] : bd[ob + p * bCols + j];
                        s += av * bv;
                    }
                    r[bi * m * n + i * n + j] = s;
                }
            }
            for (int q = batchRank - 1; q >= 0; q--) {
                if (++idx[q] < batch.dim(q)) {
                    break;
                }
                idx[q] = 0;
            }
        }
        return new Value(out, DType.FLOAT32, r);
    }

    // ---- reductions ---------------------------------------------------------------------

    @Override
    public Tensor reduce(Reduction op, Tensor x, int[] axes, boolean keepDims, Shape out) {
        boolean max = op == Reduction.MAX;
        Value a = v(x);
        int rank = a.shape().rank();
        int[] dims = a.shape().dims();
        boolean[] reduced = new boolean[rank];
        int[] keptDims = dims.clone();
        for (int q : axes) {
            reduced[q] = true;
            keptDims[q] = 1;
        }
        int[] keptStrides = ReferenceShapes.strides(new Shape(keptDims));
        double[] r = new double[Math.toIntExact(out.size())];
        Arrays.fill(r, max ? Double.NEGATIVE_INFINITY : 0);
        int[] idx = new int[rank];
        for (int i = 0; i < a.data().length; i++) {
            int o = 0;
            for (int q = 0; q < rank; q++) {
                if (!reduced[q]) {
                    o += idx[q] * keptStrides[q];
                }
            }
            r[o] = max ? Math.max(r[o], a.data()[i]) : r[o] + a.data()[i];
            for (int q = rank - 1; q >= 0; q--) {
                if (++idx[q] < dims[q]) {
                    break;
                }
                idx[q] = 0;
            }
        }
        return new Value(out, a.dtype(), r);
    }

    @Override
    public Tensor argMax(Tensor x, int axis, Shape out) {
        Value a = v(x);
        Lines lines = new Lines(a.shape(), axis);
        double[] r = new double[lines.outer * lines.inner];
        for (int o = 0; o < lines.outer; o++) {
            for (int in = 0; in < lines.inner; in++) {
                int best = 0;
                double bv = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < lines.length; j++) {
                    double val = a.data()[lines.at(o, j, in)];
                    if (val > bv) {
                        bv = val;
                        best = j;
                    }
                }
                r[o * lines.inner + in] = best;
            }
        }
        return new Value(out, DType.INT32, r);
    }

    /** The lines of a tensor along one axis: outer * inner lines of {@code length} elements. */
    private static final class Lines {
        final int outer;
        final int length;
        final int inner;

        Lines(Shape s, int axis) {
            int o = 1;
            for (int q = 0; q < axis; q++) {
                o *= s.dim(q);
            }
            outer = o;
            length = s.dim(axis);
            inner = Math.toIntExact(s.size() / ((long) outer * length));
        }

        int at(int o, int j, int in) {
            return (o * length + j) * inner + in;
        }
    }

    // ---- shapes -------------------------------------------------------------------------

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        Value a = v(x);
        return new Value(shape, a.dtype(), a.data());
    }

    @Override
    public Tensor transpose(Tensor x, int[] permutation, Shape out) {
        return ReferenceShapes.transpose(v(x), permutation, out);
    }

    @Override
    public Tensor concat(List<Tensor> parts, int axis, Shape out) {
        return ReferenceShapes.concat(parts.stream().map(ReferenceOps::v).toList(), axis, out);
    }

    @Override
    public Tensor slice(Tensor x, int[] begin, int[] size) {
        return ReferenceShapes.slice(v(x), begin, size);
    }

    @Override
    public Tensor gather(Tensor params, Tensor indices, int axis, Shape out) {
        return ReferenceShapes.gather(v(params), v(indices), axis, out);
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth, Shape out) {
        return ReferenceShapes.oneHot(v(indices), depth, out);
    }

    // ---- probabilities ------------------------------------------------------------------

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return map(logSoftmax(v(x), axis), Math::exp);
    }

    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        return logSoftmax(v(x), axis);
    }

    // Along each line: shift by the maximum, subtract the log of the sum of exponentials.
    private static Value logSoftmax(Value a, int axis) {
        Lines lines = new Lines(a.shape(), axis);
        double[] d = a.data();
        double[] r = new double[d.length];
        for (int o = 0; o < lines.outer; o++) {
            for (int in = 0; in < lines.inner; in++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < lines.length; j++) {
                    m = Math.max(m, d[lines.at(o, j, in)]);
                }
                double sum = 0;
                for (int j = 0; j < lines.length; j++) {
                    sum += Math.exp(d[lines.at(o, j, in)] - m);
                }
                double lse = Math.log(sum);
                for (int j = 0; j < lines.length; j++) {
                    int i = lines.at(o, j, in);
                    r[i] = (d[i] - m) - lse;
                }
            }
        }
        return new Value(a.shape(), a.dtype(), r);
    }

    // ---- images -------------------------------------------------------------------------

    @Override
    public Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding, Shape out) {
        return ReferenceImages.conv2d(v(input), v(filter), strideHeight, strideWidth, padding, out, layout);
    }

    @Override
    public Tensor pool2d(Pooling op, Tensor input, int window, int stride, Padding padding, Shape out) {
        return ReferenceImages.pool2d(op == Pooling.MAX, v(input), window, stride, padding, out, layout);
    }

    // ---- randomness ---------------------------------------------------------------------

    @Override
    public Tensor dropout(Tensor x, float rate) {
        Value a = v(x);
        double[] r = new double[a.data().length];
        for (int i = 0; i < r.length; i++) {
            r[i] = random.nextDouble() < rate ? 0 : a.data()[i] / (1 - rate);
        }
        return new Value(a.shape(), a.dtype(), r);
    }
}
