package io.pretext.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.StepResult;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.model.Params;
import io.pretext.api.optim.LearningRateSchedule;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * 2,000 steps of a SCARF-like InfoNCE model in a JVM whose young generation is 8 MiB (surefire
 * runs this class in its own fork with {@code -Xmn8m}), so the collector runs many times per
 * second while PyTorch holds pointers into Java-allocated memory. No loss may become NaN.
 */
class DjlSmallYoungGenerationTest {
    private static final int BATCH = 128;
    private static final int FEATURES = 16;
    private static final int[] ENCODER = {64, 64};
    private static final int[] HEAD = {64, 32};

    private static List<ParamSpec> mlp(String scope, int in, int[] widths) {
        List<ParamSpec> specs = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            specs.add(ParamSpec.trainable(scope + "/dense" + i + "/kernel", Shape.of(in, widths[i]), new Initializer.FanInUniform()));
            specs.add(ParamSpec.trainable(scope + "/dense" + i + "/bias", Shape.of(widths[i]), new Initializer.Uniform(1 / Math.sqrt(in))));
            in = widths[i];
        }
        return specs;
    }

    private static Tensor mlp(Ops ops, Params p, String scope, Tensor x, int layers, boolean finalActivation) {
        for (int i = 0; i < layers; i++) {
            x = ops.add(ops.matmul(x, p.get(scope + "/dense" + i + "/kernel")), p.get(scope + "/dense" + i + "/bias"));
            if (i < layers - 1 || finalActivation) {
                x = ops.relu(x);
            }
        }
        return x;
    }

    /** InfoNCE between the two views' projections, temperature 0.1, as plugins/core computes it. */
    private static final Objective INFO_NCE = (ops, p, in, mode) -> {
        Tensor a = mlp(ops, p, "head", mlp(ops, p, "encoder", in.get("anchor"), ENCODER.length, true), HEAD.length, false);
        Tensor b = mlp(ops, p, "head", mlp(ops, p, "encoder", in.get("positive"), ENCODER.length, true), HEAD.length, false);
        a = ops.l2Normalize(a, 1, 1e-24f);
        b = ops.l2Normalize(b, 1, 1e-24f);
        float[] eye = new float[BATCH * BATCH];
        for (int i = 0; i < BATCH; i++) {
            eye[i * BATCH + i] = 1;
        }
        Tensor logits = ops.div(ops.matmul(a, b, false, true), ops.scalar(0.1f));
        Tensor perRow = ops.sum(ops.mul(ops.constant(HostTensor.of(Shape.of(BATCH, BATCH), eye)), ops.logSoftmax(logits, -1)),
                new int[] {1}, false);
        return LossOutput.of(ops.neg(ops.mean(perRow, new int[0], false)));
    };

    private static Batch batch(SplittableRandom r) {
        float[] anchor = new float[BATCH * FEATURES];
        float[] positive = new float[BATCH * FEATURES];
        for (int i = 0; i < anchor.length; i++) {
            anchor[i] = (float) r.nextGaussian();
            positive[i] = r.nextDouble() < 0.4 ? (float) r.nextGaussian() : anchor[i];
        }
        Shape s = Shape.of(BATCH, FEATURES);
        return new Batch(Map.of("anchor", HostTensor.of(s, anchor), "positive", HostTensor.of(s, positive)));
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    @Test
    void twoThousandInfoNceStepsUnderAYoungGenerationOf8MiBStayFinite() {
        List<ParamSpec> specs = new ArrayList<>(mlp("encoder", FEATURES, ENCODER));
        specs.addAll(mlp("head", ENCODER[ENCODER.length - 1], HEAD));
        TrainingConfig config = new TrainingConfig(OptimizerSpec.Adam.withLearningRate(1e-3), LearningRateSchedule.warmupCosine(100, 2000),
                0);
        SplittableRandom r = new SplittableRandom(17);
        long gcBefore = collections();
        double first = 0;
        double last = 0;
        try (BackendSession session = new DjlBackend().open(new BackendSettings(0, 0, 9));
             TrainingProgram p = session.compileTraining(specs, INFO_NCE, config, ParameterSet.initialize(specs, 9))) {
            double sum = 0;
            for (int s = 0; s < 2000; s++) {
                StepResult result = p.step(batch(r));
                if (!Double.isFinite(result.loss())) {
                    fail("loss at step " + s + " is " + result.loss());
                }
                sum += result.loss();
                if (s == 99) {
                    first = sum / 100;
                }
                if (s % 100 == 99) {
                    last = sum / 100;
                    sum = 0;
                }
            }
            assertEquals(2000, p.state().step());
            for (HostTensor.Floats v : p.parameters().asMap().values()) {
                for (float x : v.data()) {
                    assertTrue(Float.isFinite(x), "parameters stay finite");
                }
            }
        }
        long gcRuns = collections() - gcBefore;
        LoggerFactory.getLogger(DjlSmallYoungGenerationTest.class).info("{} garbage collections during 2000 steps", gcRuns);
        assertTrue(gcRuns > 25, "the young generation must be small enough to collect often; " + gcRuns + " collections");
        assertTrue(last < first, "InfoNCE went from " + first + " (first 100 steps) to " + last + " (last 100)");
    }
}
