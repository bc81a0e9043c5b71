package io.pretext.api.model;

import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.ShapeOps;
import io.pretext.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a model function (an encoder's forward code wrapped in a {@link Forward}, or a task's
 * {@link Objective}) on {@link ShapeOps}: no values, no native library, only output shapes and
 * the FLOP count of one forward pass (the rules are on {@link ShapeOps}). Parameters are read by
 * name from their specs and inputs from a signature, so nothing has to be initialized or loaded.
 * Shape mistakes fail here with the {@link io.pretext.api.error.ShapeException} a backend would
 * raise.
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.EXPERIMENTAL)
public final class ShapePass {
    private ShapePass() {
    }

    /**
     * The shape and dtype of one input.
     *
     * @param shape its shape, batch axis first
     * @param dtype its element type
     */
    public record Input(Shape shape, DType dtype) {
        /**
         * @param shape the shape
         * @return a float32 input
         */
        public static Input floats(Shape shape) {
            return new Input(shape, DType.FLOAT32);
        }
    }

    /**
     * What one forward pass gives.
     *
     * @param outputs the output shapes by name: a forward function's outputs, or an objective's
     *     {@code loss} followed by its metrics in name order
     * @param flops floating-point operations of the pass
     * @param trainableParameters elements of the trainable parameters among the given specs
     */
    public record Result(Map<String, Shape> outputs, long flops, long trainableParameters) {
        /** Copies the outputs, keeping their order. */
        public Result {
            outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        }
    }

    /**
     * @param batch a batch of host tensors
     * @return its signature: each input's shape and dtype
     */
    public static Map<String, Input> signature(Batch batch) {
        Map<String, Input> inputs = new LinkedHashMap<>();
        batch.tensors().forEach((name, t) -> inputs.put(name, new Input(t.shape(), t.dtype())));
        return inputs;
    }

    /**
     * @param parameters the parameters the function may read
     * @param forward the function
     * @param inputs the batch signature it reads
     * @return its output shapes and FLOPs
     */
    public static Result forward(List<ParamSpec> parameters, Forward forward, Map<String, Input> inputs) {
        ShapeOps ops = new ShapeOps();
        Map<String, Shape> outputs = new LinkedHashMap<>();
        new TreeMap<>(forward.apply(ops, new SpecParams(ops, parameters), new SignatureInputs(ops, inputs)))
                .forEach((name, t) -> outputs.put(name, t.shape()));
        return new Result(outputs, ops.flops(), trainable(parameters));
    }

    /**
     * @param parameters the parameters the objective may read
     * @param objective the objective
     * @param inputs the batch signature it reads
     * @param mode training or evaluation
     * @return the shapes of its loss and metrics, and the FLOPs of its forward pass
     */
    public static Result objective(List<ParamSpec> parameters, Objective objective, Map<String, Input> inputs, Mode mode) {
        ShapeOps ops = new ShapeOps();
        LossOutput out = objective.apply(ops, new SpecParams(ops, parameters), new SignatureInputs(ops, inputs), mode);
        Map<String, Shape> outputs = new LinkedHashMap<>();
        outputs.put("loss", out.loss().shape());
        new TreeMap<>(out.metrics()).forEach((name, t) -> outputs.put(name, t.shape()));
        return new Result(outputs, ops.flops(), trainable(parameters));
    }

    /**
     * @param parameters parameter specs
     * @return the number of elements of the trainable ones
     */
    public static long trainable(List<ParamSpec> parameters) {
        return parameters.stream().filter(ParamSpec::trainable).mapToLong(p -> p.shape().size()).sum();
    }

    /** Parameters as placeholders of their declared shapes; assignments are checked, then dropped. */
    private static final class SpecParams implements Params {
        private final ShapeOps ops;
        private final Map<String, ParamSpec> specs = new LinkedHashMap<>();

        SpecParams(ShapeOps ops, List<ParamSpec> parameters) {
            this.ops = ops;
            parameters.forEach(p -> specs.put(p.name(), p));
        }

        private ParamSpec spec(String name) {
            ParamSpec p = specs.get(name);
            if (p == null) {
                throw new IllegalArgumentException("no parameter '" + name + "'; declared: " + specs.keySet());
            }
            return p;
        }

        @Override
        public Tensor get(String name) {
            return ops.placeholder(spec(name).shape(), DType.FLOAT32);
        }

        @Override
        public void assign(String name, Tensor newValue) {
            spec(name).checkAssignable(newValue);
        }
    }

    /** Inputs as placeholders of a signature. */
    private static final class SignatureInputs implements Inputs {
        private final ShapeOps ops;
        private final Map<String, Input> inputs;

        SignatureInputs(ShapeOps ops, Map<String, Input> inputs) {
            this.ops = ops;
            this.inputs = new LinkedHashMap<>(inputs);
        }

        @Override
        public Tensor get(String name) {
            Input in = inputs.get(name);
            if (in == null) {
                throw new IllegalArgumentException("batch has no input '" + name + "'; has " + inputs.keySet());
            }
            return ops.placeholder(in.shape(), in.dtype());
        }

        @Override
        public Set<String> names() {
            return java.util.Collections.unmodifiableSet(inputs.keySet());
        }
    }
}
