package io.pretext.tensorflow;

import io.pretext.api.backend.Gradients;
import io.pretext.api.backend.StepResult;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.backend.TrainingState;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Mode;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.ResourceApplyMomentum;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * A training step compiled once per input signature: forward in training mode, loss,
 * gradients with respect to the parameters the loss reaches ({@code Graph.addGradients}),
 * clipping by global norm and the optimizer update, all one subgraph that each {@link #step}
 * runs with a single {@code Session.run}.
 *
 * <p>The optimizers follow PyTorch's update rules. Adam's bias correction is folded into the
 * learning rate and epsilon fed each step ({@code lr * sqrt(1 - b2^t) / (1 - b1^t)} and
 * {@code eps * sqrt(1 - b2^t)}), which makes TensorFlow's fused {@code ApplyAdam} compute exactly
 * PyTorch's formula; AdamW decays the weights by {@code lr * weightDecay} before that update.
 * Per-step values (the scheduled learning rate) are fed as one small vector, so changing them
 * never rebuilds the graph.
 */
final class TfTrainingProgram extends TfProgram implements TrainingProgram {
    private static final Logger LOG = LoggerFactory.getLogger(TfTrainingProgram.class);
    /** PyTorch's clip_grad_norm_ guard: coefficient = maxNorm / (norm + 1e-6), at most 1. */
    private static final float CLIP_EPSILON = 1e-6f;

    // Layout of the per-step vector fed to every step.
    private static final int HYPER_LEARNING_RATE = 0;
    private static final int HYPER_EPSILON = 1;
    private static final int HYPER_DECAY = 2;
    private static final int HYPER_SIZE = 3;

    private record Compiled(GraphInputs inputs, Output<TFloat32> hyper, Output<?> loss, List<String> metricNames,
                            List<Output<?>> metrics, Map<String, Output<?>> gradients, Operation train) {
    }

    private final Objective objective;
    private final TrainingConfig config;
    private final List<String> parameterNames = new ArrayList<>();
    private final List<ParamSpec> trainable = new ArrayList<>();
    private final List<String> slotNames = new ArrayList<>();
    private final SignatureCache<Compiled> compiled = new SignatureCache<>(this::compile);
    private int gradientScopes;
    private long step;

    TfTrainingProgram(List<ParamSpec> parameters, Objective objective, TrainingConfig config, ParameterSet initial,
                      ConfigProto sessionConfig, long seed, Runnable onClose) {
        super(parameters, sessionConfig, seed, onClose);
        this.objective = objective;
        this.config = config;
        try {
            for (ParamSpec p : parameters) {
                parameterNames.add(p.name());
                if (p.trainable()) {
                    trainable.add(p);
                    for (String slot : config.optimizer().slots()) {
                        slotNames.add(TrainingState.slotName(p.name(), slot));
                        addVariable(TrainingState.slotName(p.name(), slot), p.shape());
                    }
                }
            }
            load(TrainingState.start(initial).variables(parameters, config.optimizer()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    // ---- compilation --------------------------------------------------------------------

    private Compiled compiled(Batch batch) {
        return compiled.get(batch);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Compiled compile(Signature signature) {
        org.tensorflow.op.Ops sub = nextSubgraph("step");
        GraphInputs inputs = placeholders(sub, signature);
        GraphParams params = new GraphParams(sub, true);
        LossOutput lo = objective.apply(new io.pretext.api.tensor.Ops(new TfKernels(sub, seed)), params, inputs, Mode.TRAIN);
        Output<TFloat32> loss = scalar(sub, "loss", lo.loss()).asOutput();
        List<String> metricNames = new ArrayList<>(new TreeMap<>(lo.metrics()).keySet());
        List<Output<?>> metrics = new ArrayList<>();
        List<Operation> fetched = new ArrayList<>();
        fetched.add(loss.op());
        for (String m : metricNames) {
            Output<TFloat32> o = scalar(sub, "metric '" + m + "'", lo.metrics().get(m)).asOutput();
            metrics.add(o);
            fetched.add(o.op());
        }

        // Gradients only for trainable parameters the loss reaches: addGradients rejects the others.
        Set<String> reachable = reachable(loss, params.reads());
        List<String> names = new ArrayList<>();
        List<Output<?>> xs = new ArrayList<>();
        for (ParamSpec p : trainable) {
            if (reachable.contains(p.name())) {
                names.add(p.name());
                xs.add(params.reads().get(p.name()).output());
            }
        }
        Map<String, Output<?>> gradients = new LinkedHashMap<>();
        if (!xs.isEmpty()) {
            Output<?>[] gs = graph.addGradients("gradients" + gradientScopes++, new Output<?>[] {loss}, xs.toArray(new Output<?>[0]),
                    null);
            for (int i = 0; i < gs.length; i++) {
                if (!isNull(gs[i])) {
                    gradients.put(names.get(i), gs[i]);
                }
            }
        }

        org.tensorflow.op.Ops upd = sub.withSubScope("update");
        Output<TFloat32> hyper = upd.placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(HYPER_SIZE)))
                .asOutput();
        Map<String, Operand<TFloat32>> grads = clip(upd, gradients);
        // Updates start once the loss and metrics are computed, so every forward read sees the old values.
        org.tensorflow.op.Ops after = upd.withControlDependencyOps(fetched);
        List<Operation> updates = new ArrayList<>();
        Scalars scalars = scalars(upd, hyper);
        for (Map.Entry<String, Operand<TFloat32>> e : grads.entrySet()) {
            String name = e.getKey();
            Operand<TFloat32> read = (Operand<TFloat32>) params.reads().get(name).operand();
            updates.add(update(after, upd, scalars, name, read, e.getValue()));
        }
        for (Map.Entry<String, TfTensor> e : params.assigned().entrySet()) {
            updates.add(after.assignVariableOp(variable(e.getKey()).handle(), (Operand) e.getValue().operand()).op());
        }
        Operation train = upd.withControlDependencyOps(updates).noOp().op();
        return new Compiled(inputs, hyper, loss, metricNames, metrics, gradients, train);
    }

    private static Operand<TFloat32> scalar(org.tensorflow.op.Ops ops, String what, Tensor t) {
        TfTensor x = TfKernels.unwrap(t);
        if (x.shape().size() != 1) {
            throw new ShapeException("loss", what + " must be a scalar, got " + x.dtype() + x.shape());
        }
        Operand<TFloat32> f = x.dtype() == DType.FLOAT32 ? (Operand<TFloat32>) x.operand()
                : ops.dtypes.cast(ops.stopGradient(x.operand()), TFloat32.class);
        return x.shape().rank() == 0 ? f : ops.reshape(f, ops.constant(new int[0]));
    }

    private static boolean isNull(Output<?> o) {
        if (o == null || o.op() == null) {
            return true;
        }
        var handle = ((GraphOperation) o.op()).getUnsafeNativeHandle();
        return handle == null || handle.isNull();
    }

    /** Parameters whose read node the loss depends on through differentiable ops (not across StopGradient). */
    private static Set<String> reachable(Output<?> loss, Map<String, TfTensor> reads) {
        Map<String, String> paramByOp = new HashMap<>();
        reads.forEach((name, t) -> paramByOp.put(t.output().op().name(), name));
        Set<String> found = new HashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<GraphOperation> todo = new ArrayDeque<>();
        todo.push((GraphOperation) loss.op());
        while (!todo.isEmpty()) {
            GraphOperation op = todo.pop();
            if (!seen.add(op.name())) {
                continue;
            }
            String param = paramByOp.get(op.name());
            if (param != null) {
                found.add(param);
            }
            if (op.type().equals("StopGradient")) {
                continue;
            }
            for (Operand<?> input : op.inputs()) {
                todo.push((GraphOperation) input.op());
            }
        }
        return found;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map<String, Operand<TFloat32>> clip(org.tensorflow.op.Ops ops, Map<String, Output<?>> gradients) {
        Map<String, Operand<TFloat32>> out = new LinkedHashMap<>();
        gradients.forEach((k, v) -> out.put(k, (Operand<TFloat32>) (Operand) v));
        if (config.clipGlobalNorm() <= 0 || out.isEmpty()) {
            return out;
        }
        org.tensorflow.op.Ops c = ops.withSubScope("clip");
        List<Operand<TFloat32>> squares = new ArrayList<>();
        for (Map.Entry<String, Operand<TFloat32>> e : out.entrySet()) {
            int rank = variable(e.getKey()).shape().rank();
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            squares.add(c.sum(c.math.square(e.getValue()), c.constant(all)));
        }
        Operand<TFloat32> total = squares.size() == 1 ? squares.get(0) : c.math.addN(squares);
        Operand<TFloat32> norm = c.math.sqrt(total);
        Operand<TFloat32> coefficient = c.math.minimum(c.constant(1f),
                c.math.div(c.constant((float) config.clipGlobalNorm()), c.math.add(norm, c.constant(CLIP_EPSILON))));
        Map<String, Operand<TFloat32>> clipped = new LinkedHashMap<>();
        out.forEach((k, g) -> clipped.put(k, c.math.mul(g, coefficient)));
        return clipped;
    }

    /** Scalar operands shared by every parameter's update: built once per subgraph. */
    private record Scalars(Operand<TFloat32> learningRate, Operand<TFloat32> epsilon, Operand<TFloat32> decay, Operand<TFloat32> zero,
                           Operand<TFloat32> beta1, Operand<TFloat32> beta2, Operand<TFloat32> momentum, Operand<TFloat32> weightDecay) {
    }

    private Scalars scalars(org.tensorflow.op.Ops ops, Output<TFloat32> hyper) {
        OptimizerSpec optimizer = config.optimizer();
        double beta1 = 0;
        double beta2 = 0;
        double momentum = 0;
        double weightDecay = 0;
        if (optimizer instanceof OptimizerSpec.Sgd sgd) {
            momentum = sgd.momentum();
            weightDecay = sgd.weightDecay();
        } else if (optimizer instanceof OptimizerSpec.Adam a) {
            beta1 = a.beta1();
            beta2 = a.beta2();
        } else if (optimizer instanceof OptimizerSpec.AdamW w) {
            beta1 = w.beta1();
            beta2 = w.beta2();
        }
        return new Scalars(hyperValue(ops, hyper, HYPER_LEARNING_RATE), hyperValue(ops, hyper, HYPER_EPSILON),
                hyperValue(ops, hyper, HYPER_DECAY), ops.constant(0f), ops.constant((float) beta1), ops.constant((float) beta2),
                ops.constant((float) momentum), ops.constant((float) weightDecay));
    }

    private static Operand<TFloat32> hyperValue(org.tensorflow.op.Ops ops, Output<TFloat32> hyper, int index) {
        return ops.gather(hyper, ops.constant(index), ops.constant(0));
    }

    /** One parameter's optimizer update, after the loss is computed. */
    private Operation update(org.tensorflow.op.Ops after, org.tensorflow.op.Ops ops, Scalars k, String name, Operand<TFloat32> read,
                             Operand<TFloat32> gradient) {
        Operand<?> var = variable(name).handle();
        OptimizerSpec optimizer = config.optimizer();
        if (optimizer instanceof OptimizerSpec.Sgd sgd) {
            Operand<TFloat32> g = gradient;
            if (sgd.weightDecay() > 0) {
                g = ops.math.add(g, ops.math.mul(read, k.weightDecay()));
            }
            if (sgd.momentum() > 0) {
                return after.train.resourceApplyMomentum(var, variable(TrainingState.slotName(name, OptimizerSpec.MOMENTUM)).handle(), k.learningRate(), g, k.momentum(),
                        ResourceApplyMomentum.useNesterov(sgd.nesterov())).op();
            }
            return after.train.resourceApplyGradientDescent(var, k.learningRate(), g).op();
        }
        org.tensorflow.op.Ops adam = after;
        if (optimizer instanceof OptimizerSpec.AdamW w && w.weightDecay() > 0) {
            // Decoupled decay on the current weights, then the Adam step on the decayed weights.
            Operation decayed = after.assignSubVariableOp(var, ops.math.mul(read, k.decay())).op();
            adam = after.withControlDependencyOps(List.of(decayed));
        }
        // Beta powers of 0 turn off ApplyAdam's own bias correction: the fed rate and epsilon carry it.
        return adam.train.resourceApplyAdam(var, variable(TrainingState.slotName(name, OptimizerSpec.ADAM_M)).handle(), variable(TrainingState.slotName(name, OptimizerSpec.ADAM_V)).handle(), k.zero(),
                k.zero(), k.learningRate(), k.beta1(), k.beta2(), k.epsilon(), gradient).op();
    }

    /** @return the values fed for one zero-based step: scheduled rate, epsilon, decoupled decay */
    private float[] hyperparameters(long zeroBasedStep) {
        OptimizerSpec optimizer = config.optimizer();
        double lr = optimizer.learningRate() * config.schedule().factor(zeroBasedStep);
        float[] h = new float[HYPER_SIZE];
        h[HYPER_LEARNING_RATE] = (float) lr;
        double t = zeroBasedStep + 1;
        if (optimizer instanceof OptimizerSpec.Adam a) {
            adam(h, lr, a.beta1(), a.beta2(), a.epsilon(), t);
        } else if (optimizer instanceof OptimizerSpec.AdamW w) {
            adam(h, lr, w.beta1(), w.beta2(), w.epsilon(), t);
            h[HYPER_DECAY] = (float) (lr * w.weightDecay());
        }
        return h;
    }

    private static void adam(float[] h, double lr, double beta1, double beta2, double epsilon, double t) {
        double correction1 = 1 - Math.pow(beta1, t);
        double root2 = Math.sqrt(1 - Math.pow(beta2, t));
        h[HYPER_LEARNING_RATE] = (float) (lr * root2 / correction1);
        h[HYPER_EPSILON] = (float) (epsilon * root2);
    }

    // ---- running ------------------------------------------------------------------------

    @Override
    public StepResult step(Batch batch) {
        checkOpen();
        Compiled c = compiled(batch);
        Session.Runner runner = session.runner();
        List<org.tensorflow.Tensor> fed = feed(runner, c.inputs(), batch);
        try (TFloat32 hyper = TfTypes.vector(hyperparameters(step))) {
            runner.feed(c.hyper(), hyper).fetch(c.loss());
            c.metrics().forEach(runner::fetch);
            runner.addTarget(c.train());
            double loss;
            Map<String, Double> metrics = new LinkedHashMap<>();
            try (Result r = runner.run()) {
                loss = TfTypes.scalarValue(r.get(0));
                for (int i = 0; i < c.metricNames().size(); i++) {
                    metrics.put(c.metricNames().get(i), TfTypes.scalarValue(r.get(i + 1)));
                }
            }
            return new StepResult(step++, loss, metrics);
        } finally {
            fed.forEach(org.tensorflow.Tensor::close);
        }
    }

    @Override
    public Gradients gradients(Batch batch) {
        checkOpen();
        Compiled c = compiled(batch);
        Session.Runner runner = session.runner();
        List<org.tensorflow.Tensor> fed = feed(runner, c.inputs(), batch);
        try {
            runner.fetch(c.loss());
            List<String> names = new ArrayList<>(c.gradients().keySet());
            names.forEach(n -> runner.fetch(c.gradients().get(n)));
            Map<String, HostTensor.Floats> values = new LinkedHashMap<>();
            double loss;
            try (Result r = runner.run()) {
                loss = TfTypes.scalarValue(r.get(0));
                for (int i = 0; i < names.size(); i++) {
                    values.put(names.get(i), TfTypes.toFloats(r.get(i + 1), variable(names.get(i)).shape()));
                }
            }
            // Declaration order; parameters the loss does not reach have a zero gradient.
            Map<String, HostTensor.Floats> ordered = new LinkedHashMap<>();
            for (ParamSpec p : trainable) {
                HostTensor.Floats g = values.get(p.name());
                ordered.put(p.name(), g != null ? g : HostTensor.of(p.shape(), new float[Math.toIntExact(p.shape().size())]));
            }
            return new Gradients(loss, new ParameterSet(ordered));
        } finally {
            fed.forEach(org.tensorflow.Tensor::close);
        }
    }

    @Override
    public ParameterSet parameters() {
        return new ParameterSet(fetch(parameterNames));
    }

    @Override
    public TrainingState state() {
        return new TrainingState(parameters(), new ParameterSet(fetch(slotNames)), step);
    }

    @Override
    public void restore(TrainingState state) {
        checkOpen();
        List<ParamSpec> declared = new ArrayList<>(specs().values());
        Map<String, HostTensor.Floats> values = state.variables(declared, config.optimizer());
        for (String unused : state.unusedSlots(declared, config.optimizer())) {
            LOG.debug("ignoring optimizer slot '{}': {} does not use it", unused, config.optimizer());
        }
        load(values);
        step = state.step();
    }
}
