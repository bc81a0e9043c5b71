package io.pretext.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Inputs;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What training and inference programs share: one long-lived manager holding an array per
 * parameter (and per optimizer slot) in memory PyTorch owns, the arena that steps borrow for
 * arrays made from Java values, and host transfer of those values. Each run of model code happens
 * in its own {@link StepScope}; it sees parameters through {@link StepParams}, step-scoped handles
 * that share the stored memory, so nothing the model code does can attach an array to the
 * long-lived manager.
 */
abstract class DjlProgram implements AutoCloseable {

    protected final NDManager manager;
    protected final HostArena arena = HostArena.borrow();
    private final Map<String, ParamSpec> specs = new LinkedHashMap<>();
    private final Map<String, NDArray> variables = new LinkedHashMap<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private final Runnable onClose;
    private boolean closed;

    /**
     * @param parameters the declared parameters
     * @param parent the session's manager
     * @param onClose called once when the program closes (the backend session forgets it)
     */
    protected DjlProgram(List<ParamSpec> parameters, NDManager parent, Runnable onClose) {
        this.onClose = onClose;
        for (ParamSpec p : parameters) {
            if (specs.put(p.name(), p) != null) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' declared twice");
            }
        }
        this.manager = parent.newSubManager();
    }

    /**
     * Declares a variable (parameter or optimizer slot); it holds no value until {@link #load}.
     *
     * @param name the variable's name
     * @param shape its shape
     */
    protected final void addVariable(String name, Shape shape) {
        if (shapes.put(name, shape) != null) {
            throw new IllegalArgumentException("variable '" + name + "' declared twice");
        }
    }

    /** @return the declared parameters by name */
    protected final Map<String, ParamSpec> specs() {
        return Collections.unmodifiableMap(specs);
    }

    /**
     * @param name a variable name
     * @return its current array (owned by the program's manager)
     */
    protected final NDArray variable(String name) {
        NDArray v = variables.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no variable '" + name + "'");
        }
        return v;
    }

    /**
     * @param name a variable name
     * @return its shape
     */
    protected final Shape shapeOf(String name) {
        Shape s = shapes.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no variable '" + name + "'");
        }
        return s;
    }

    /**
     * Replaces a variable's array (a state parameter's new value); the old array is closed.
     *
     * @param name the variable
     * @param value the new array, owned by the program's manager and by nothing else
     */
    protected final void replace(String name, NDArray value) {
        NDArray old = variables.put(name, value);
        if (old != null && old != value) {
            old.close();
        }
    }

    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("program is closed");
        }
    }

    /**
     * Copies host values into variables, each into fresh memory PyTorch owns.
     *
     * @param values values by variable name; each must match the variable's shape
     */
    protected final void load(Map<String, HostTensor.Floats> values) {
        checkOpen();
        for (Map.Entry<String, HostTensor.Floats> e : values.entrySet()) {
            Shape expected = shapeOf(e.getKey());
            if (!expected.equals(e.getValue().shape())) {
                throw new IllegalArgumentException("'" + e.getKey() + "' has shape " + e.getValue().shape() + ", the program expects "
                        + expected);
            }
        }
        for (Map.Entry<String, HostTensor.Floats> e : values.entrySet()) {
            replace(e.getKey(), DjlTypes.owned(manager, e.getValue()));
        }
    }

    /**
     * Copies variable values to Java memory.
     *
     * @param names variable names
     * @return values by name, in the given order
     */
    protected final Map<String, HostTensor.Floats> fetch(List<String> names) {
        checkOpen();
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, DjlTypes.toFloats(variable(n), shapeOf(n)));
        }
        return out;
    }

    /**
     * @param scope the step
     * @param batch the batch
     * @return the batch as step arrays, as model code sees them
     */
    protected static BatchInputs inputs(StepScope scope, Batch batch) {
        Map<String, DjlTensor> inputs = new LinkedHashMap<>();
        batch.tensors().forEach((name, host) -> inputs.put(name, scope.fromHost(host)));
        return new BatchInputs(inputs);
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            manager.close();
            arena.giveBack(); // only after the manager closed every array that points into it
        } finally {
            variables.clear();
            onClose.run();
        }
    }

    /** The batch as model code sees it: one step array per input. */
    static final class BatchInputs implements Inputs {
        private final Map<String, DjlTensor> inputs;

        BatchInputs(Map<String, DjlTensor> inputs) {
            this.inputs = inputs;
        }

        @Override
        public Tensor get(String name) {
            DjlTensor t = inputs.get(name);
            if (t == null) {
                throw new IllegalArgumentException("batch has no input '" + name + "'; has " + inputs.keySet());
            }
            return t;
        }

        @Override
        public Set<String> names() {
            return Collections.unmodifiableSet(inputs.keySet());
        }
    }

    /**
     * The parameters as model code sees them inside one step: for each parameter used, a step-scoped
     * handle that shares the stored memory (made on first use). In training, a trainable
     * parameter's handle is a fresh autograd leaf, so its gradient starts at zero every step and
     * dies with the step: gradients can never accumulate across steps.
     */
    final class StepParams implements Params {
        private final StepScope scope;
        private final boolean training;
        private final Map<String, DjlTensor> handles = new LinkedHashMap<>();
        private final Map<String, DjlTensor> assigned = new LinkedHashMap<>();

        StepParams(StepScope scope, boolean training) {
            this.scope = scope;
            this.training = training;
        }

        @Override
        public Tensor get(String name) {
            DjlTensor t = handles.get(name);
            if (t == null) {
                ParamSpec spec = specs.get(name);
                if (spec == null) {
                    throw new IllegalArgumentException("no parameter '" + name + "'; declared: " + specs.keySet());
                }
                // detach(): a new tensor over the same storage, attached to the step, with no history.
                NDArray handle = scope.own(variable(name).stopGradient());
                if (training && spec.trainable()) {
                    handle.setRequiresGradient(true);
                }
                t = new DjlTensor(handle, spec.shape(), DType.FLOAT32);
                handles.put(name, t);
            }
            return t;
        }

        @Override
        public void assign(String name, Tensor newValue) {
            ParamSpec spec = specs.get(name);
            if (spec == null) {
                throw new IllegalArgumentException("no parameter '" + name + "'; declared: " + specs.keySet());
            }
            spec.checkAssignable(newValue);
            if (training) {
                assigned.put(name, DjlKernels.unwrap(newValue));
            }
        }

        /** @return handles by parameter name, for the parameters the code used */
        Map<String, DjlTensor> handles() {
            return handles;
        }

        /** @return requested state updates by parameter name */
        Map<String, DjlTensor> assigned() {
            return assigned;
        }
    }

    /**
     * Stores the state assignments of a finished step: each new value is copied into memory the
     * program owns (the step's arrays die with the step).
     *
     * @param params the step's parameters
     */
    protected final void applyAssignments(StepParams params) {
        for (Map.Entry<String, DjlTensor> e : params.assigned().entrySet()) {
            NDArray detached = e.getValue().array().stopGradient();
            NDArray copy = detached.duplicate();
            detached.close();
            copy.attach(manager);
            replace(e.getKey(), copy);
        }
    }
}
