package io.pretext.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Mode;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;

/**
 * The shipped cross-entropy losses, compiled into TensorFlow training graphs: where the targets
 * are a constant distribution per row (InfoNCE's identity, NT-Xent's pairs) the graph holds the
 * fused SoftmaxCrossEntropyWithLogits kernel and no LogSoftmax, so a loss that spelled the
 * cross-entropy out instead of calling {@code Ops.softmaxCrossEntropy} would fail here.
 */
class FusedCrossEntropyTest {
    private static final String FUSED = "SoftmaxCrossEntropyWithLogits";
    private static final List<ParamSpec> PROJECTION = List.of(ParamSpec.trainable("w", Shape.of(6, 4), new Initializer.GlorotUniform()));

    private static BackendSession session;

    @BeforeAll
    static void open() {
        session = new TensorFlowBackend().open(BackendSettings.defaults());
    }

    @AfterAll
    static void close() {
        session.close();
    }

    private static LossFunction loss(String id, Map<String, Object> options) {
        Loss loss = ServiceLoader.load(Loss.class).stream().map(ServiceLoader.Provider::get).filter(l -> l.id().equals(id)).findFirst()
                .orElseThrow();
        return loss.create(Options.resolve("loss", loss.options(), options));
    }

    private static HostTensor.Floats gaussian(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return HostTensor.of(Shape.of(rows, cols), v);
    }

    private static Objective pair(LossFunction loss) {
        return (ops, params, inputs, mode) -> loss.compute(ops, new LossInputs.Pair(ops.matmul(inputs.get("a"), params.get("w")),
                ops.matmul(inputs.get("b"), params.get("w"))));
    }

    private static final Batch PAIRS = new Batch(Map.of("a", gaussian(8, 6, 1), "b", gaussian(8, 6, 2)));

    /**
     * Compiles and runs one step, checking the loss against the reference.
     *
     * @return the op types of the training graph's forward part (the gradient builder adds its own
     *     LogSoftmax to differentiate the fused kernel)
     */
    private static List<String> trainingGraphOps(Objective objective, Batch batch) {
        ParameterSet values = ParameterSet.initialize(PROJECTION, 3);
        double expected = new ReferenceOps().loss(objective, values, batch, Mode.TRAIN);
        try (TrainingProgram p = session.compileTraining(PROJECTION, objective, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.01)),
                values)) {
            assertEquals(expected, p.step(batch).loss(), 1e-4 * (Math.abs(expected) + 0.1), "the loss the graph computes");
            List<String> types = new ArrayList<>();
            for (Iterator<GraphOperation> it = ((TfProgram) p).graph.operations(); it.hasNext(); ) {
                GraphOperation op = it.next();
                if (!op.name().startsWith("gradients")) {
                    types.add(op.type());
                }
            }
            return types;
        }
    }

    private static long count(List<String> types, String type) {
        return types.stream().filter(type::equals).count();
    }

    @Test
    void infoNceRunsTheFusedKernelInBothDirections() {
        List<String> oneWay = trainingGraphOps(pair(loss("info-nce", Map.of())), PAIRS);
        assertEquals(1, count(oneWay, FUSED), "one fused cross-entropy: " + oneWay);
        assertEquals(0, count(oneWay, "LogSoftmax"), "no composed cross-entropy: " + oneWay);
        List<String> both = trainingGraphOps(pair(loss("info-nce", Map.of("symmetric", true))), PAIRS);
        assertEquals(2, count(both, FUSED), "symmetric InfoNCE fuses both directions: " + both);
        assertEquals(0, count(both, "LogSoftmax"), both.toString());
    }

    @Test
    void ntXentRunsTheFusedKernel() {
        List<String> types = trainingGraphOps(pair(loss("nt-xent", Map.of())), PAIRS);
        assertEquals(1, count(types, FUSED), types.toString());
        assertEquals(0, count(types, "LogSoftmax"), types.toString());
    }

    /**
     * Labels arrive in the batch, so their one-hot rows are not known to be distributions when the
     * graph is built, and the fused kernel's gradient (softmax - targets) needs that: the
     * classification loss keeps the composition, exactly as before the op existed.
     */
    @Test
    void classificationOnBatchLabelsKeepsTheComposition() {
        int[] labels = {0, 3, 1, 2, 2, 0, 3, 1};
        Batch batch = new Batch(Map.of("a", gaussian(8, 6, 4), "labels", HostTensor.of(Shape.of(8), labels)));
        LossFunction crossEntropy = loss("cross-entropy", Map.of());
        Objective objective = (ops, params, inputs, mode) -> {
            Tensor logits = ops.matmul(inputs.get("a"), params.get("w"));
            LossOutput out = crossEntropy.compute(ops, new LossInputs.Classification(logits, inputs.get("labels")));
            return LossOutput.of(out.loss());
        };
        List<String> types = trainingGraphOps(objective, batch);
        assertEquals(0, count(types, FUSED), types.toString());
        assertTrue(count(types, "LogSoftmax") > 0, types.toString());
    }
}
