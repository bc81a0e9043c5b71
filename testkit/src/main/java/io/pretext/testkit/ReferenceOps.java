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
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The plain-Java, eager, forward-only {@link Ops}: the same front door every backend sits behind,
 * over kernels that compute in double precision ({@code ReferenceKernels}: elementwise math,
 * reductions, products and softmax; {@code ReferenceShapes}: reshaping, slicing and gathering;
 * {@code ReferenceImages}: convolution and pooling). It is the yardstick of the backend
 * conformance suite (forward values, and finite differences for gradients) and lets plugin authors
 * test model code without any native library. Slow on purpose: every op is the textbook loop.
 * This class holds the value type, the conversion from and to host tensors, and the runners of
 * model functions.
 */
public final class ReferenceOps extends Ops {

    /**
     * @param seed seed for {@link #dropout}
     * @param layout where image activations keep their channels: NHWC as the host does, or NCHW
     *     as PyTorch does, to check that model code is layout-aware
     */
    public ReferenceOps(long seed, ImageLayout layout) {
        super(new ReferenceKernels(seed, layout));
    }

    /** @param seed seed for {@link #dropout} */
    public ReferenceOps(long seed) {
        this(seed, ImageLayout.NHWC);
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

    static Value v(Tensor t) {
        if (t instanceof Value value) {
            return value;
        }
        throw new IllegalArgumentException("not a ReferenceOps tensor: " + t.getClass().getName());
    }

    /**
     * The error function to near double precision: Maclaurin series for |x| &lt; 2.5, Lentz's
     * continued fraction for the complement beyond.
     *
     * @param x argument
     * @return erf(x)
     */
    public static double erf(double x) {
        return ReferenceKernels.erf(x);
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
}
