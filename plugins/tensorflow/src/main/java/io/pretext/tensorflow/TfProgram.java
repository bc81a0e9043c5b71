package io.pretext.tensorflow;

import io.pretext.api.model.Batch;
import io.pretext.api.model.Inputs;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * What training and inference programs share: one graph and one session, a resource variable per
 * parameter (and per optimizer slot) that lives in the session between runs, and host transfer of
 * variable values. Subgraphs for each input signature are added to the same graph later, reading
 * the same variables, so a new batch shape never copies the model.
 */
abstract class TfProgram implements AutoCloseable {

    /** A resource variable with the nodes that move its value in and out. */
    record Variable(String name, Shape shape, Operand<?> handle, Output<TFloat32> read, Output<TFloat32> feed, Operation assign) {
    }

    /** Names, dtypes and shapes of a batch: a program compiles one subgraph per signature. */
    record Signature(List<String> names, List<DType> dtypes, List<Shape> shapes) {
        static Signature of(Batch batch) {
            List<String> names = new ArrayList<>();
            List<DType> dtypes = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            // By name: the same inputs in another map order are the same signature.
            new java.util.TreeMap<>(batch.tensors()).forEach((name, t) -> {
                names.add(name);
                dtypes.add(t.dtype());
                shapes.add(t.shape());
            });
            return new Signature(List.copyOf(names), List.copyOf(dtypes), List.copyOf(shapes));
        }

        /**
         * @param batch a batch
         * @return whether the batch has exactly this signature; plain loops, no hashing, so the
         *     per-step check stays cheap even before the JIT has compiled the record methods
         */
        boolean matches(Batch batch) {
            Map<String, HostTensor> tensors = batch.tensors();
            if (tensors.size() != names.size()) {
                return false;
            }
            for (int i = 0; i < names.size(); i++) {
                HostTensor t = tensors.get(names.get(i));
                if (t == null || t.dtype() != dtypes.get(i) || !t.shape().equals(shapes.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One compiled subgraph per batch signature, with the last one checked first: training and
     * inference loops feed the same signature batch after batch.
     *
     * @param <C> what a program compiles per signature
     */
    static final class SignatureCache<C> {
        private final Map<Signature, C> compiled = new java.util.HashMap<>();
        private final java.util.function.Function<Signature, C> compiler;
        private Signature lastSignature;
        private C last;

        SignatureCache(java.util.function.Function<Signature, C> compiler) {
            this.compiler = compiler;
        }

        C get(Batch batch) {
            if (lastSignature != null && lastSignature.matches(batch)) {
                return last;
            }
            Signature s = Signature.of(batch);
            C c = compiled.get(s);
            if (c == null) {
                c = compiler.apply(s);
                compiled.put(s, c);
            }
            lastSignature = s;
            last = c;
            return c;
        }
    }

    protected final Graph graph;
    protected final Session session;
    protected final org.tensorflow.op.Ops tf;
    protected final long seed;
    private final Map<String, ParamSpec> specs = new LinkedHashMap<>();
    private final Map<String, Variable> variables = new LinkedHashMap<>();
    private final Runnable onClose;
    private boolean closed;
    private int subgraphs;

    /**
     * @param parameters the declared parameters
     * @param config thread settings of the session
     * @param seed seed of the graph's random ops
     * @param onClose called once when the program closes (the backend session forgets it)
     */
    protected TfProgram(List<ParamSpec> parameters, ConfigProto config, long seed, Runnable onClose) {
        this.seed = seed;
        this.onClose = onClose;
        for (ParamSpec p : parameters) {
            if (specs.put(p.name(), p) != null) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' declared twice");
            }
        }
        Graph g = new Graph();
        try {
            this.graph = g;
            this.tf = org.tensorflow.op.Ops.create(g);
            for (ParamSpec p : parameters) {
                addVariable(p.name(), p.shape());
            }
            this.session = new Session(g, config);
        } catch (RuntimeException | Error e) {
            g.close();
            throw e;
        }
    }

    /**
     * Declares a variable (parameter or optimizer slot). Only call before the session exists or
     * from a subclass constructor: variables are plain graph nodes, so adding them later is safe
     * too, but they start uninitialized until {@link #load} fills them.
     */
    protected final Variable addVariable(String name, Shape shape) {
        int index = variables.size();
        String id = "v" + index;
        org.tensorflow.op.Ops vs = tf.withSubScope("variables");
        // An explicit shared name: variables with an empty one would alias inside the session.
        VarHandleOp handle = vs.withName(id).varHandleOp(TFloat32.class, TfTypes.shapeOf(shape), VarHandleOp.sharedName(id),
                VarHandleOp.debugName(name));
        org.tensorflow.op.Ops io = tf.withSubScope("io");
        Output<TFloat32> read = io.withName("read_" + id).readVariableOp(handle, TFloat32.class).asOutput();
        Output<TFloat32> feed = io.withName("feed_" + id).placeholder(TFloat32.class, Placeholder.shape(TfTypes.shapeOf(shape)))
                .asOutput();
        Operation assign = io.withName("assign_" + id).assignVariableOp(handle, feed).op();
        Variable v = new Variable(name, shape, handle, read, feed, assign);
        variables.put(name, v);
        return v;
    }

    /** @return the declared parameters by name */
    protected final Map<String, ParamSpec> specs() {
        return Collections.unmodifiableMap(specs);
    }

    /**
     * @param name a variable name
     * @return the variable
     */
    protected final Variable variable(String name) {
        Variable v = variables.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no variable '" + name + "'");
        }
        return v;
    }

    /** @return a fresh name scope for the next compiled subgraph */
    protected final org.tensorflow.op.Ops nextSubgraph(String kind) {
        return tf.withSubScope(kind + subgraphs++);
    }

    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("program is closed");
        }
    }

    /**
     * Copies host values into variables, in one session run.
     *
     * @param values values by variable name; each must match the variable's shape
     */
    protected final void load(Map<String, HostTensor.Floats> values) {
        checkOpen();
        if (values.isEmpty()) {
            return;
        }
        List<org.tensorflow.Tensor> tensors = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (Map.Entry<String, HostTensor.Floats> e : values.entrySet()) {
                Variable v = variable(e.getKey());
                if (!v.shape().equals(e.getValue().shape())) {
                    throw new IllegalArgumentException("'" + e.getKey() + "' has shape " + e.getValue().shape() + ", the program expects "
                            + v.shape());
                }
                org.tensorflow.Tensor t = TfTypes.toTensor(e.getValue());
                tensors.add(t);
                runner.feed(v.feed(), t).addTarget(v.assign());
            }
            runner.run().close();
        } finally {
            tensors.forEach(org.tensorflow.Tensor::close);
        }
    }

    /**
     * Copies variable values to Java memory, in one session run.
     *
     * @param names variable names
     * @return values by name, in the given order
     */
    protected final Map<String, HostTensor.Floats> fetch(List<String> names) {
        checkOpen();
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        Session.Runner runner = session.runner();
        for (String n : names) {
            runner.fetch(variable(n).read());
        }
        try (Result r = runner.run()) {
            for (int i = 0; i < names.size(); i++) {
                out.put(names.get(i), TfTypes.toFloats(r.get(i), variable(names.get(i)).shape()));
            }
        }
        return out;
    }

    /**
     * Adds one placeholder per batch input.
     *
     * @param ops the subgraph's scope
     * @param signature the batch signature
     * @return the placeholders, as model code sees them
     */
    protected static GraphInputs placeholders(org.tensorflow.op.Ops ops, Signature signature) {
        Map<String, TfTensor> inputs = new LinkedHashMap<>();
        for (int i = 0; i < signature.names().size(); i++) {
            DType dtype = signature.dtypes().get(i);
            Shape shape = signature.shapes().get(i);
            Operand<?> p = ops.withName("input" + i).placeholder(TfTypes.typeOf(dtype), Placeholder.shape(TfTypes.shapeOf(shape)));
            inputs.put(signature.names().get(i), new TfTensor(p, shape, dtype));
        }
        return new GraphInputs(inputs);
    }

    /**
     * Feeds a batch into a subgraph's placeholders; the caller closes the returned tensors.
     *
     * @param runner the run being prepared
     * @param inputs the subgraph's placeholders
     * @param batch the batch, whose signature matches
     * @return the native tensors created
     */
    protected static List<org.tensorflow.Tensor> feed(Session.Runner runner, GraphInputs inputs, Batch batch) {
        List<org.tensorflow.Tensor> tensors = new ArrayList<>(batch.tensors().size());
        try {
            for (Map.Entry<String, HostTensor> e : batch.tensors().entrySet()) {
                org.tensorflow.Tensor t = TfTypes.toTensor(e.getValue());
                tensors.add(t);
                runner.feed(inputs.placeholder(e.getKey()).operand(), t);
            }
        } catch (RuntimeException e) {
            tensors.forEach(org.tensorflow.Tensor::close);
            throw e;
        }
        return tensors;
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } finally {
            graph.close();
            onClose.run();
        }
    }

    /** The batch as model code sees it: one placeholder per input. */
    static final class GraphInputs implements Inputs {
        private final Map<String, TfTensor> inputs;

        GraphInputs(Map<String, TfTensor> inputs) {
            this.inputs = inputs;
        }

        TfTensor placeholder(String name) {
            return inputs.get(name);
        }

        @Override
        public Tensor get(String name) {
            TfTensor t = inputs.get(name);
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
     * The parameters as model code sees them inside one subgraph: one read node per parameter
     * (made on first use), and the state assignments the code asked for.
     */
    final class GraphParams implements Params {
        private final org.tensorflow.op.Ops ops;
        private final boolean training;
        private final Map<String, TfTensor> reads = new LinkedHashMap<>();
        private final Map<String, TfTensor> assigned = new LinkedHashMap<>();

        GraphParams(org.tensorflow.op.Ops ops, boolean training) {
            this.ops = ops.withSubScope("params");
            this.training = training;
        }

        @Override
        public Tensor get(String name) {
            TfTensor t = reads.get(name);
            if (t == null) {
                ParamSpec spec = specs.get(name);
                if (spec == null) {
                    throw new IllegalArgumentException("no parameter '" + name + "'; declared: " + specs.keySet());
                }
                Operand<TFloat32> read = ops.readVariableOp(variable(name).handle(), TFloat32.class);
                t = new TfTensor(read, spec.shape(), DType.FLOAT32);
                reads.put(name, t);
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
                assigned.put(name, TfKernels.unwrap(newValue));
            }
        }

        /** @return read nodes by parameter name, for the parameters the code used */
        Map<String, TfTensor> reads() {
            return reads;
        }

        /** @return requested state updates by parameter name */
        Map<String, TfTensor> assigned() {
            return assigned;
        }
    }
}
