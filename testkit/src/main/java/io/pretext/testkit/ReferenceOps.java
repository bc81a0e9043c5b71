package io.pretext.testkit;

import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Inputs;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Mode;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.ShapeRules;
import io.pretext.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A plain-Java, eager, forward-only implementation of {@link Ops} that computes in double
 * precision. It is the yardstick of the backend conformance suite (forward values, and finite
 * differences for gradients) and lets plugin authors test model code without any native library.
 * Slow on purpose: every op is the textbook loop.
 */
public final class ReferenceOps implements Ops {

    private final SplittableRandom random;

    /** @param seed seed for {@link #dropout} */
    public ReferenceOps(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A reference ops with seed 0. */
    public ReferenceOps() {
        this(0L);
    }

    /**
     * A value held by {@link ReferenceOps}: shape, dtype and double-precision data.
     *
     * @param shape static shape
     * @param dtype element type (integers are stored exactly as doubles)
     * @param data row-major values
     */
    public record Value(Shape shape, DType dtype, double[] data) implements Tensor {
        /** Checks the size. */
        public Value {
            if (shape.size() != data.length) {
                throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " values, got " + data.length);
            }
        }

        /** @return the values converted to a host tensor of this value's dtype */
        public HostTensor toHost() {
            return switch (dtype) {
                case FLOAT32 -> {
                    float[] f = new float[data.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) data[i];
                    }
                    yield HostTensor.of(shape, f);
                }
                case INT32 -> HostTensor.of(shape, Arrays.stream(data).mapToInt(d -> (int) d).toArray());
                case INT64 -> HostTensor.of(shape, Arrays.stream(data).mapToLong(d -> (long) d).toArray());
            };
        }

        /** @return the single value of a scalar (or one-element) tensor */
        public double item() {
            if (data.length != 1) {
                throw new IllegalStateException("not a scalar: " + shape);
            }
            return data[0];
        }
    }

    /**
     * @param host a host tensor
     * @return the same values as a reference value
     */
    public static Value of(HostTensor host) {
        if (host instanceof HostTensor.Floats f) {
            double[] d = new double[f.data().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = f.data()[i];
            }
            return new Value(f.shape(), DType.FLOAT32, d);
        } else if (host instanceof HostTensor.Ints i) {
            return new Value(i.shape(), DType.INT32, Arrays.stream(i.data()).asDoubleStream().toArray());
        } else {
            HostTensor.Longs l = (HostTensor.Longs) host;
            return new Value(l.shape(), DType.INT64, Arrays.stream(l.data()).asDoubleStream().toArray());
        }
    }

    /**
     * @param shape shape
     * @param data values, used as they are
     * @return a float value
     */
    public static Value floats(Shape shape, double... data) {
        return new Value(shape, DType.FLOAT32, data);
    }

    private static Value v(Tensor t) {
        if (t instanceof Value value) {
            return value;
        }
        throw new IllegalArgumentException("not a ReferenceOps tensor: " + t.getClass().getName());
    }

    // ---- running model functions --------------------------------------------------------

    /**
     * Runs a forward function on the given parameters and batch.
     *
     * @param forward the function
     * @param parameters parameter values
     * @param batch inputs
     * @return the outputs as reference values
     */
    public Map<String, Value> run(Forward forward, ParameterSet parameters, Batch batch) {
        Map<String, Value> out = new LinkedHashMap<>();
        forward.apply(this, new HostParams(parameters), new HostInputs(batch)).forEach((k, t) -> out.put(k, v(t)));
        return out;
    }

    /**
     * Evaluates an objective on the given parameters and batch.
     *
     * @param objective the loss
     * @param parameters parameter values
     * @param batch inputs
     * @param mode training or evaluation
     * @return the loss output; its tensors are {@link Value}s
     */
    public LossOutput evaluate(Objective objective, ParameterSet parameters, Batch batch, Mode mode) {
        return objective.apply(this, new HostParams(parameters), new HostInputs(batch), mode);
    }

    /**
     * @param objective the loss
     * @param parameters parameter values
     * @param batch inputs
     * @param mode training or evaluation
     * @return the scalar loss value
     */
    public double loss(Objective objective, ParameterSet parameters, Batch batch, Mode mode) {
        return v(evaluate(objective, parameters, batch, mode).loss()).item();
    }

    /** Parameters read from a {@link ParameterSet}; assignments are recorded but not applied. */
    public final class HostParams implements Params {
        private final ParameterSet values;
        private final Map<String, Value> cache = new LinkedHashMap<>();
        private final Map<String, Value> assigned = new LinkedHashMap<>();

        /** @param values the parameter values */
        public HostParams(ParameterSet values) {
            this.values = values;
        }

        @Override
        public Tensor get(String name) {
            return cache.computeIfAbsent(name, n -> of(values.get(n)));
        }

        @Override
        public void assign(String name, Tensor newValue) {
            assigned.put(name, v(newValue));
        }

        /** @return state assignments made by the model code */
        public Map<String, Value> assigned() {
            return assigned;
        }
    }

    /** Inputs read from a {@link Batch}. */
    public static final class HostInputs implements Inputs {
        private final Batch batch;

        /** @param batch the batch */
        public HostInputs(Batch batch) {
            this.batch = batch;
        }

        @Override
        public Tensor get(String name) {
            return of(batch.get(name));
        }

        @Override
        public Set<String> names() {
            return batch.tensors().keySet();
        }
    }

    // ---- values -------------------------------------------------------------------------

    @Override
    public Tensor constant(HostTensor value) {
        return of(value);
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        Value a = v(x);
        double[] d = a.data.clone();
        if (dtype != DType.FLOAT32) {
            for (int i = 0; i < d.length; i++) {
                d[i] = (long) d[i]; // truncation toward zero, like TensorFlow and PyTorch
            }
        }
        return new Value(a.shape, dtype, d);
    }

    @Override
    public Tensor stopGradient(Tensor x) {
        return x;
    }

    // ---- elementwise --------------------------------------------------------------------

    private Value binary(String op, Tensor x, Tensor y, DoubleBinaryOperator f) {
        Value a = v(x);
        Value b = v(y);
        ShapeRules.sameDType(op, a, b);
        Shape out = ShapeRules.broadcast(op, a.shape, b.shape);
        int rank = out.rank();
        int[] od = out.dims();
        int[] sa = broadcastStrides(a.shape, rank);
        int[] sb = broadcastStrides(b.shape, rank);
        double[] r = new double[Math.toIntExact(out.size())];
        int[] idx = new int[rank];
        for (int i = 0; i < r.length; i++) {
            int ia = 0;
            int ib = 0;
            for (int k = 0; k < rank; k++) {
                ia += idx[k] * sa[k];
                ib += idx[k] * sb[k];
            }
            r[i] = f.applyAsDouble(a.data[ia], b.data[ib]);
            for (int k = rank - 1; k >= 0; k--) {
                if (++idx[k] < od[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        if (a.dtype != DType.FLOAT32) {
            for (int i = 0; i < r.length; i++) {
                r[i] = (long) r[i];
            }
        }
        return new Value(out, a.dtype, r);
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

    private Value unary(String op, Tensor x, DoubleUnaryOperator f) {
        Value a = v(x);
        ShapeRules.requireFloat(op, a);
        double[] r = new double[a.data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(a.data[i]);
        }
        return new Value(a.shape, a.dtype, r);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary("add", a, b, Double::sum);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b) {
        return binary("sub", a, b, (p, q) -> p - q);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary("mul", a, b, (p, q) -> p * q);
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        return binary("div", a, b, (p, q) -> p / q);
    }

    @Override
    public Tensor pow(Tensor a, Tensor b) {
        return binary("pow", a, b, Math::pow);
    }

    @Override
    public Tensor maximum(Tensor a, Tensor b) {
        return binary("maximum", a, b, Math::max);
    }

    @Override
    public Tensor minimum(Tensor a, Tensor b) {
        return binary("minimum", a, b, Math::min);
    }

    @Override
    public Tensor neg(Tensor x) {
        return unary("neg", x, d -> -d);
    }

    @Override
    public Tensor exp(Tensor x) {
        return unary("exp", x, Math::exp);
    }

    @Override
    public Tensor log(Tensor x) {
        return unary("log", x, Math::log);
    }

    @Override
    public Tensor sqrt(Tensor x) {
        return unary("sqrt", x, Math::sqrt);
    }

    @Override
    public Tensor abs(Tensor x) {
        return unary("abs", x, Math::abs);
    }

    @Override
    public Tensor erf(Tensor x) {
        return unary("erf", x, ReferenceOps::erf);
    }

    @Override
    public Tensor relu(Tensor x) {
        return unary("relu", x, d -> Math.max(d, 0));
    }

    @Override
    public Tensor sigmoid(Tensor x) {
        return unary("sigmoid", x, d -> 1 / (1 + Math.exp(-d)));
    }

    @Override
    public Tensor tanh(Tensor x) {
        return unary("tanh", x, Math::tanh);
    }

    @Override
    public Tensor softplus(Tensor x) {
        return unary("softplus", x, d -> Math.max(d, 0) + Math.log1p(Math.exp(-Math.abs(d))));
    }

    /**
     * The error function to near double precision: Maclaurin series for |x| &lt; 2.5, Lentz's
     * continued fraction for the complement beyond.
     *
     * @param x argument
     * @return erf(x)
     */
    public static double erf(double x) {
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
    public Tensor matmul(Tensor x, Tensor y, boolean transposeA, boolean transposeB) {
        Value a = v(x);
        Value b = v(y);
        ShapeRules.requireFloat("matmul", a);
        ShapeRules.requireFloat("matmul", b);
        Shape out = ShapeRules.matmul(a.shape, b.shape, transposeA, transposeB);
        int m = out.dim(-2);
        int n = out.dim(-1);
        int k = transposeA ? a.shape.dim(-2) : a.shape.dim(-1);
        int batchRank = out.rank() - 2;
        Shape batch = new Shape(Arrays.copyOf(out.dims(), batchRank));
        Shape aBatch = new Shape(Arrays.copyOf(a.shape.dims(), a.shape.rank() - 2));
        Shape bBatch = new Shape(Arrays.copyOf(b.shape.dims(), b.shape.rank() - 2));
        int[] sa = broadcastStrides(aBatch, batchRank);
        int[] sb = broadcastStrides(bBatch, batchRank);
        int aMat = a.shape.dim(-2) * a.shape.dim(-1);
        int bMat = b.shape.dim(-2) * b.shape.dim(-1);
        int aCols = a.shape.dim(-1);
        int bCols = b.shape.dim(-1);
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
                        double av = transposeA ? a.data[oa + p * aCols + i] : a.data[oa + i * aCols + p];
                        double bv = transposeB ? b.data[ob + j * bCols + p] : b.data[ob + p * bCols + j];
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

    private interface Reducer {
        double start();

        double combine(double acc, double value);
    }

    private Value reduce(String op, Tensor x, int[] axes, boolean keepDims, Reducer reducer) {
        Value a = v(x);
        int[] ax = ShapeRules.axes(op, a.shape, axes);
        Shape kept = ShapeRules.reduce(op, a.shape, axes, true);
        Shape out = ShapeRules.reduce(op, a.shape, axes, keepDims);
        double[] r = new double[Math.toIntExact(kept.size())];
        Arrays.fill(r, reducer.start());
        int rank = a.shape.rank();
        int[] dims = a.shape.dims();
        int[] keptStrides = strides(kept);
        boolean[] reduced = new boolean[rank];
        for (int q : ax) {
            reduced[q] = true;
        }
        int[] idx = new int[rank];
        for (int i = 0; i < a.data.length; i++) {
            int o = 0;
            for (int q = 0; q < rank; q++) {
                if (!reduced[q]) {
                    o += idx[q] * keptStrides[q];
                }
            }
            r[o] = reducer.combine(r[o], a.data[i]);
            for (int q = rank - 1; q >= 0; q--) {
                if (++idx[q] < dims[q]) {
                    break;
                }
                idx[q] = 0;
            }
        }
        return new Value(out, a.dtype, r);
    }

    private static int[] strides(Shape s) {
        int[] st = new int[s.rank()];
        int stride = 1;
        for (int k = s.rank() - 1; k >= 0; k--) {
            st[k] = stride;
            stride *= s.dim(k);
        }
        return st;
    }

    @Override
    public Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        return reduce("sum", x, axes, keepDims, new Reducer() {
            @Override
            public double start() {
                return 0;
            }

            @Override
            public double combine(double acc, double value) {
                return acc + value;
            }
        });
    }

    @Override
    public Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return reduce("max", x, axes, keepDims, new Reducer() {
            @Override
            public double start() {
                return Double.NEGATIVE_INFINITY;
            }

            @Override
            public double combine(double acc, double value) {
                return Math.max(acc, value);
            }
        });
    }

    @Override
    public Tensor argMax(Tensor x, int axis) {
        Value a = v(x);
        int ax = ShapeRules.axes("argMax", a.shape, new int[] {axis})[0];
        Shape out = ShapeRules.reduce("argMax", a.shape, new int[] {ax}, false);
        int outer = 1;
        for (int q = 0; q < ax; q++) {
            outer *= a.shape.dim(q);
        }
        int len = a.shape.dim(ax);
        int inner = Math.toIntExact(a.shape.size() / ((long) outer * len));
        double[] r = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int best = 0;
                double bv = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    double val = a.data[(o * len + j) * inner + in];
                    if (val > bv) {
                        bv = val;
                        best = j;
                    }
                }
                r[o * inner + in] = best;
            }
        }
        return new Value(out, DType.INT32, r);
    }

    // ---- shapes -------------------------------------------------------------------------

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        Value a = v(x);
        return new Value(ShapeRules.reshape(a.shape, shape), a.dtype, a.data);
    }

    @Override
    public Tensor transpose(Tensor x, int... permutation) {
        Value a = v(x);
        Shape out = ShapeRules.transpose(a.shape, permutation);
        int rank = out.rank();
        int[] inStrides = strides(a.shape);
        double[] r = new double[a.data.length];
        int[] idx = new int[rank];
        for (int i = 0; i < r.length; i++) {
            int src = 0;
            for (int q = 0; q < rank; q++) {
                src += idx[q] * inStrides[permutation[q]];
            }
            r[i] = a.data[src];
            for (int q = rank - 1; q >= 0; q--) {
                if (++idx[q] < out.dim(q)) {
                    break;
                }
                idx[q] = 0;
            }
        }
        return new Value(out, a.dtype, r);
    }

    @Override
    public Tensor concat(List<Tensor> parts, int axis) {
        List<Value> vs = parts.stream().map(ReferenceOps::v).toList();
        Shape out = ShapeRules.concat(vs.stream().map(Value::shape).toList(), axis);
        for (Value p : vs) {
            ShapeRules.sameDType("concat", vs.get(0), p);
        }
        int ax = axis < 0 ? axis + out.rank() : axis;
        int outer = 1;
        for (int q = 0; q < ax; q++) {
            outer *= out.dim(q);
        }
        double[] r = new double[Math.toIntExact(out.size())];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (Value p : vs) {
                int chunk = Math.toIntExact(p.shape.size() / outer);
                System.arraycopy(p.data, o * chunk, r, pos, chunk);
                pos += chunk;
            }
        }
        return new Value(out, vs.get(0).dtype, r);
    }

    @Override
    public Tensor slice(Tensor x, int[] begin, int[] size) {
        Value a = v(x);
        Shape out = ShapeRules.slice(a.shape, begin, size);
        int rank = out.rank();
        int[] inStrides = strides(a.shape);
        double[] r = new double[Math.toIntExact(out.size())];
        int[] idx = new int[rank];
        for (int i = 0; i < r.length; i++) {
            int src = 0;
            for (int q = 0; q < rank; q++) {
                src += (begin[q] + idx[q]) * inStrides[q];
            }
            r[i] = a.data[src];
            for (int q = rank - 1; q >= 0; q--) {
                if (++idx[q] < out.dim(q)) {
                    break;
                }
                idx[q] = 0;
            }
        }
        return new Value(out, a.dtype, r);
    }

    @Override
    public Tensor gather(Tensor params, Tensor indices, int axis) {
        Value p = v(params);
        Value ix = v(indices);
        if (ix.dtype == DType.FLOAT32) {
            throw new io.pretext.api.error.ShapeException("gather", "indices must be INT32 or INT64, got FLOAT32" + ix.shape);
        }
        Shape out = ShapeRules.gather(p.shape, ix.shape, axis);
        int ax = axis < 0 ? axis + p.shape.rank() : axis;
        int outer = 1;
        for (int q = 0; q < ax; q++) {
            outer *= p.shape.dim(q);
        }
        int len = p.shape.dim(ax);
        int inner = Math.toIntExact(p.shape.size() / ((long) outer * len));
        double[] r = new double[Math.toIntExact(out.size())];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (double di : ix.data) {
                int j = (int) di;
                if (j < 0 || j >= len) {
                    throw new io.pretext.api.error.ShapeException("gather", "index " + j + " out of range [0, " + len + ") for params "
                            + p.shape);
                }
                System.arraycopy(p.data, (o * len + j) * inner, r, pos, inner);
                pos += inner;
            }
        }
        return new Value(out, p.dtype, r);
    }

    @Override
    public Tensor oneHot(Tensor indices, int depth) {
        Value ix = v(indices);
        Shape out = ix.shape.rank() == 0 ? Shape.of(depth) : appendDim(ix.shape, depth);
        double[] r = new double[Math.toIntExact(out.size())];
        for (int i = 0; i < ix.data.length; i++) {
            int j = (int) ix.data[i];
            if (j >= 0 && j < depth) { // out-of-range indices give an all-zero row, as in TensorFlow
                r[i * depth + j] = 1;
            }
        }
        return new Value(out, DType.FLOAT32, r);
    }

    private static Shape appendDim(Shape s, int d) {
        int[] dims = Arrays.copyOf(s.dims(), s.rank() + 1);
        dims[s.rank()] = d;
        return new Shape(dims);
    }

    // ---- probabilities ------------------------------------------------------------------

    @Override
    public Tensor softmax(Tensor x, int axis) {
        return exp(logSoftmax(x, axis));
    }

    @Override
    public Tensor logSoftmax(Tensor x, int axis) {
        Value a = v(x);
        ShapeRules.requireFloat("logSoftmax", a);
        Tensor m = max(a, new int[] {axis}, true);
        Tensor shifted = sub(a, m);
        Tensor lse = log(sum(exp(shifted), new int[] {axis}, true));
        return sub(shifted, lse);
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public ImageLayout imageLayout() {
        return ImageLayout.NHWC;
    }

    // Top/left padding of TensorFlow's SAME rule: total padding split with the extra on the bottom/right.
    private static int padBefore(int size, int window, int stride, Padding padding) {
        if (padding == Padding.VALID) {
            return 0;
        }
        int out = (size + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + window - size, 0);
        return total / 2;
    }

    @Override
    public Tensor conv2d(Tensor input, Tensor filter, int strideHeight, int strideWidth, Padding padding) {
        Value x = v(input);
        Value f = v(filter);
        Shape out = ShapeRules.conv2d(x.shape, f.shape, strideHeight, strideWidth, padding, ImageLayout.NHWC);
        int n = x.shape.dim(0);
        int h = x.shape.dim(1);
        int w = x.shape.dim(2);
        int c = x.shape.dim(3);
        int kh = f.shape.dim(0);
        int kw = f.shape.dim(1);
        int o = f.shape.dim(3);
        int oh = out.dim(1);
        int ow = out.dim(2);
        int pt = padBefore(h, kh, strideHeight, padding);
        int pl = padBefore(w, kw, strideWidth, padding);
        double[] r = new double[Math.toIntExact(out.size())];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int oc = 0; oc < o; oc++) {
                        double s = 0;
                        for (int di = 0; di < kh; di++) {
                            int y = i * strideHeight + di - pt;
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            for (int dj = 0; dj < kw; dj++) {
                                int xx = j * strideWidth + dj - pl;
                                if (xx < 0 || xx >= w) {
                                    continue;
                                }
                                for (int ic = 0; ic < c; ic++) {
                                    s += x.data[((b * h + y) * w + xx) * c + ic] * f.data[((di * kw + dj) * c + ic) * o + oc];
                                }
                            }
                        }
                        r[((b * oh + i) * ow + j) * o + oc] = s;
                    }
                }
            }
        }
        return new Value(out, DType.FLOAT32, r);
    }

    private Value pool(String op, Tensor input, int window, int stride, Padding padding, boolean max) {
        Value x = v(input);
        Shape out = ShapeRules.pool2d(op, x.shape, window, stride, padding, ImageLayout.NHWC);
        int n = x.shape.dim(0);
        int h = x.shape.dim(1);
        int w = x.shape.dim(2);
        int c = x.shape.dim(3);
        int oh = out.dim(1);
        int ow = out.dim(2);
        int pt = padBefore(h, window, stride, padding);
        int pl = padBefore(w, window, stride, padding);
        double[] r = new double[Math.toIntExact(out.size())];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0; // average pooling divides by the valid (unpadded) cells, as TensorFlow does
                        for (int di = 0; di < window; di++) {
                            int y = i * stride + di - pt;
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            for (int dj = 0; dj < window; dj++) {
                                int xx = j * stride + dj - pl;
                                if (xx < 0 || xx >= w) {
                                    continue;
                                }
                                double val = x.data[((b * h + y) * w + xx) * c + ch];
                                acc = max ? Math.max(acc, val) : acc + val;
                                count++;
                            }
                        }
                        r[((b * oh + i) * ow + j) * c + ch] = max ? acc : acc / count;
                    }
                }
            }
        }
        return new Value(out, DType.FLOAT32, r);
    }

    @Override
    public Tensor maxPool2d(Tensor input, int window, int stride, Padding padding) {
        return pool("maxPool2d", input, window, stride, padding, true);
    }

    @Override
    public Tensor avgPool2d(Tensor input, int window, int stride, Padding padding) {
        return pool("avgPool2d", input, window, stride, padding, false);
    }

    // ---- randomness ---------------------------------------------------------------------

    @Override
    public Tensor dropout(Tensor x, float rate) {
        if (rate < 0 || rate >= 1) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        Value a = v(x);
        if (rate == 0) {
            return a;
        }
        double[] r = new double[a.data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = random.nextDouble() < rate ? 0 : a.data[i] / (1 - rate);
        }
        return new Value(a.shape, a.dtype, r);
    }
}
