package io.pretext.onnx;

import io.pretext.api.model.Forward;
import io.pretext.api.model.Inputs;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of a forward function on {@link TracingKernels}: parameters become initializers the first
 * time the function reads them, inputs become graph inputs when read, and every output gets an
 * Identity node of its own (an output may be a parameter, an input, or the same value twice).
 */
final class Trace {

    /** An output of the traced function: its name in the function and its value in the graph. */
    record Output(String name, Traced value, String graphName) {
    }

    private final GraphBuilder graph;
    private final Map<String, ParamSpec> specs = new LinkedHashMap<>();
    private final ParameterSet values;
    private final Map<String, Traced> parameters = new LinkedHashMap<>();
    private final Map<String, Traced> inputs;
    private final Set<String> used = new LinkedHashSet<>();
    private final List<Output> outputs = new ArrayList<>();

    /**
     * @param graph where the graph goes
     * @param specs the declared parameters
     * @param values their values
     * @param inputs the graph's possible inputs by name
     */
    Trace(GraphBuilder graph, List<ParamSpec> specs, ParameterSet values, Map<String, Traced> inputs) {
        this.graph = graph;
        specs.forEach(s -> this.specs.put(s.name(), s));
        this.values = values;
        this.inputs = inputs;
        for (String name : inputs.keySet()) {
            if (this.specs.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is both a parameter and a batch input");
            }
        }
    }

    /**
     * Runs the function on the tracing ops.
     *
     * @param forward the function
     * @param ops the tracing op set writing into this trace's graph
     * @param outputNames how to name each output in the graph: as the function does (export), or freshly (programs)
     * @return the outputs, in the function's order
     */
    List<Output> run(Forward forward, io.pretext.api.tensor.Ops ops, boolean outputNames) {
        Map<String, Tensor> result = forward.apply(ops, params(), inputs());
        for (Map.Entry<String, Tensor> e : result.entrySet()) {
            Traced value = TracingKernels.unwrap(e.getValue());
            String graphName;
            if (outputNames) {
                if (specs.containsKey(e.getKey()) || inputs.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("output '" + e.getKey() + "' has the name of a parameter or input");
                }
                graphName = e.getKey();
                graph.identity(value.name(), graphName);
            } else {
                graphName = graph.node("Identity", List.of(value.name()));
            }
            outputs.add(new Output(e.getKey(), value, graphName));
        }
        return Collections.unmodifiableList(outputs);
    }

    /** @return the inputs the function read, in the order it first read them */
    Set<String> usedInputs() {
        return Collections.unmodifiableSet(used);
    }

    private Params params() {
        return new Params() {
            @Override
            public Tensor get(String name) {
                Traced t = parameters.get(name);
                if (t != null) {
                    return t;
                }
                ParamSpec spec = specs.get(name);
                if (spec == null) {
                    throw new IllegalArgumentException("no parameter '" + name + "'; declared: " + specs.keySet());
                }
                graph.initializer(name, values.get(name));
                t = new Traced(name, spec.shape(), DType.FLOAT32, -1);
                parameters.put(name, t);
                return t;
            }

            @Override
            public void assign(String name, Tensor newValue) {
                // Inference and export never update state parameters (batch-norm statistics stay as trained).
            }
        };
    }

    private Inputs inputs() {
        return new Inputs() {
            @Override
            public Tensor get(String name) {
                Traced t = inputs.get(name);
                if (t == null) {
                    throw new IllegalArgumentException("the batch has no input '" + name + "'; it has " + inputs.keySet());
                }
                used.add(name);
                return t;
            }

            @Override
            public Set<String> names() {
                return Collections.unmodifiableSet(inputs.keySet());
            }
        };
    }
}
