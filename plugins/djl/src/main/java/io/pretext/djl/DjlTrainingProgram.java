package io.pretext.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
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
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training step run eagerly: inside a fresh {@link StepScope}, the objective runs in training
 * mode under DJL's gradient collector, PyTorch's autograd computes the gradient of every trainable
 * parameter the loss reaches, and {@link DjlOptimizer} clips and applies the update in place. The
 * scope's manager closes at the end of each step, so the step's arrays, autograd graph and
 * gradients are released then. Nothing is compiled: a new batch shape needs nothing special.
 */
final class DjlTrainingProgram extends DjlProgram implements TrainingProgram {
    private static final Logger LOG = LoggerFactory.getLogger(DjlTrainingProgram.class);
    /**
     * DJL allows one collecting gradient collector per JVM; programs used from different threads
     * wait for each other here instead of failing.
     */
    private static final ReentrantLock COLLECTOR = new ReentrantLock();

    private final Engine engine;
    private final Objective objective;
    private final TrainingConfig config;
    private final DjlOptimizer optimizer;
    private final List<String> parameterNames = new ArrayList<>();
    private final List<ParamSpec> trainable = new ArrayList<>();
    private final List<String> slotNames = new ArrayList<>();
    private long step;

    DjlTrainingProgram(Engine engine, List<ParamSpec> parameters, Objective objective, TrainingConfig config, ParameterSet initial,
                       NDManager parent, Runnable onClose) {
        super(parameters, parent, onClose);
        this.engine = engine;
        this.objective = objective;
        this.config = config;
        this.optimizer = new DjlOptimizer(config);
        try {
            for (ParamSpec p : parameters) {
                parameterNames.add(p.name());
                addVariable(p.name(), p.shape());
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

    /** What the forward and backward half of a step leaves behind, inside its scope. */
    private record Pass(StepParams params, DjlTensor loss, Map<String, DjlTensor> metrics, Map<String, NDArray> gradients) {
    }

    /** Forward in training mode and backward, under the gradient collector. */
    private Pass forwardAndBackward(StepScope scope, Batch batch) {
        StepParams params = new StepParams(scope, true);
        DjlTensor loss;
        Map<String, DjlTensor> metrics = new TreeMap<>();
        COLLECTOR.lock();
        try (GradientCollector collector = engine.newGradientCollector()) {
            LossOutput lo = objective.apply(new io.pretext.api.tensor.Ops(new DjlKernels(scope)), params, inputs(scope, batch), Mode.TRAIN);
            loss = scalar(scope, "loss", lo.loss());
            lo.metrics().forEach((name, t) -> metrics.put(name, scalar(scope, "metric '" + name + "'", t)));
            if (params.handles().keySet().stream().anyMatch(n -> specs().get(n).trainable())) {
                backward(collector, loss);
            }
        } finally {
            COLLECTOR.unlock();
        }
        // Only parameters the loss reached have a gradient; the others are left alone, as on TensorFlow.
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        for (ParamSpec p : trainable) {
            DjlTensor handle = params.handles().get(p.name());
            if (handle != null) {
                PtNDArray g = JniUtils.getGradient((PtNDArray) handle.array());
                if (g != null) {
                    gradients.put(p.name(), scope.own(g));
                }
            }
        }
        return new Pass(params, loss, metrics, gradients);
    }

    /**
     * Runs the backward pass. DJL cannot tell whether the loss depends on anything trainable (its
     * requires-grad query answers false for every non-leaf), so a loss that reaches trainable
     * parameters only through stopGradient surfaces as PyTorch's refusal, which means no gradients.
     */
    private static void backward(GradientCollector collector, DjlTensor loss) {
        try {
            collector.backward(loss.array());
        } catch (EngineException e) {
            if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
                throw e;
            }
        }
    }

    private static DjlTensor scalar(StepScope scope, String what, Tensor t) {
        DjlTensor x = DjlKernels.unwrap(t);
        if (x.shape().size() != 1) {
            throw new ShapeException("loss", what + " must be a scalar, got " + x.dtype() + x.shape());
        }
        return x;
    }

    @Override
    public StepResult step(Batch batch) {
        checkOpen();
        try (StepScope scope = new StepScope(manager, arena)) {
            Pass pass = forwardAndBackward(scope, batch);
            double loss = DjlTypes.scalarValue(pass.loss().array());
            Map<String, Double> metrics = new LinkedHashMap<>();
            pass.metrics().forEach((name, t) -> metrics.put(name, DjlTypes.scalarValue(t.array())));
            Map<String, NDArray> weights = new LinkedHashMap<>();
            pass.gradients().keySet().forEach(n -> weights.put(n, variable(n)));
            optimizer.apply(scope, step, weights, pass.gradients(), this::variable);
            applyAssignments(pass.params());
            return new StepResult(step++, loss, metrics);
        }
    }

    @Override
    public Gradients gradients(Batch batch) {
        checkOpen();
        try (StepScope scope = new StepScope(manager, arena)) {
            Pass pass = forwardAndBackward(scope, batch);
            double loss = DjlTypes.scalarValue(pass.loss().array());
            // Declaration order; parameters the loss does not reach have a zero gradient.
            Map<String, HostTensor.Floats> ordered = new LinkedHashMap<>();
            for (ParamSpec p : trainable) {
                NDArray g = pass.gradients().get(p.name());
                ordered.put(p.name(), g != null ? DjlTypes.toFloats(g, p.shape())
                        : HostTensor.of(p.shape(), new float[Math.toIntExact(p.shape().size())]));
            }
            return new Gradients(loss, new ParameterSet(ordered));
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
