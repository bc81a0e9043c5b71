package io.pretext.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Native memory and handles: released deterministically, flat over many steps. */
class TfResourcesTest {
    private static final long MIB = 1024 * 1024;

    private static final List<ParamSpec> SPECS = List.of(
            ParamSpec.trainable("w0", Shape.of(32, 128), new Initializer.FanInUniform()),
            ParamSpec.trainable("b0", Shape.of(128), new Initializer.Zeros()),
            ParamSpec.trainable("w1", Shape.of(128, 128), new Initializer.FanInUniform()),
            ParamSpec.trainable("b1", Shape.of(128), new Initializer.Zeros()),
            ParamSpec.trainable("w2", Shape.of(128, 16), new Initializer.FanInUniform()));

    private static Tensor forward(Ops ops, Params p, Tensor x) {
        Tensor h = ops.relu(ops.add(ops.matmul(x, p.get("w0")), p.get("b0")));
        h = ops.dropout(ops.relu(ops.add(ops.matmul(h, p.get("w1")), p.get("b1"))), 0.1f);
        return ops.matmul(h, p.get("w2"));
    }

    private static final Objective OBJECTIVE = (ops, p, in, mode) -> {
        Tensor logits = forward(ops, p, in.get("x"));
        Tensor ce = ops.neg(ops.mean(ops.sum(ops.mul(ops.oneHot(in.get("label"), 16), ops.logSoftmax(logits, -1)), new int[] {1}, false),
                new int[0], false));
        return new LossOutput(ce, Map.of("accuracy", ops.mean(ops.cast(ops.argMax(logits, 1), io.pretext.api.tensor.DType.FLOAT32),
                new int[0], false)));
    };

    private static Batch batch(SplittableRandom r) {
        float[] x = new float[128 * 32];
        int[] label = new int[128];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < label.length; i++) {
            label[i] = r.nextInt(16);
        }
        return new Batch(Map.of("x", HostTensor.of(Shape.of(128, 32), x), "label", HostTensor.of(Shape.of(128), label)));
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void residentMemoryStaysFlatOverAThousandSteps() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        TrainingConfig config = new TrainingConfig(OptimizerSpec.Adam.withLearningRate(1e-3), LearningRateSchedule.warmupCosine(50, 2000), 1);
        Forward embed = (ops, p, in) -> Map.of("logits", forward(ops, p, in.get("x")));
        try (BackendSession session = new TensorFlowBackend().open(new BackendSettings(0, 0, 3));
             TrainingProgram train = session.compileTraining(SPECS, OBJECTIVE, config, ParameterSet.initialize(SPECS, 1));
             InferenceProgram infer = session.compileInference(SPECS, embed, ParameterSet.initialize(SPECS, 1))) {
            // Warm-up runs the same mix of calls as the measured loop: every kind of run builds its
            // executor and lets the allocators reach their working set once.
            for (int i = 0; i < 300; i++) {
                oneRound(train, infer, batch(r), i);
            }
            System.gc();
            long before = residentBytes();
            for (int i = 0; i < 1000; i++) {
                oneRound(train, infer, batch(r), i);
            }
            System.gc();
            long growth = residentBytes() - before;
            assertTrue(growth < 64 * MIB, "resident memory grew by " + growth / MIB + " MiB over 1000 steps");
            assertEquals(1300, train.state().step());
        }
    }

    private static void oneRound(TrainingProgram train, InferenceProgram infer, Batch b, int i) {
        train.step(b);
        infer.run(b);
        if (i % 10 == 0) {
            train.gradients(b);
            train.state();
        }
    }

    @Test
    void closingTheSessionClosesItsPrograms() {
        BackendSession session = new TensorFlowBackend().open(BackendSettings.defaults());
        TrainingProgram train = session.compileTraining(SPECS, OBJECTIVE, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(1e-3)),
                ParameterSet.initialize(SPECS, 1));
        InferenceProgram closedEarly = session.compileInference(SPECS, (ops, p, in) -> Map.of("w", p.get("w0")),
                ParameterSet.initialize(SPECS, 1));
        closedEarly.close();
        closedEarly.close(); // idempotent
        session.close();
        assertThrows(IllegalStateException.class, train::parameters);
        assertThrows(IllegalStateException.class, () -> session.compileInference(SPECS, (ops, p, in) -> Map.of(),
                ParameterSet.initialize(SPECS, 1)));
        train.close();
    }

    @Test
    void compilingAndClosingManyProgramsDoesNotLeak() throws IOException {
        try (BackendSession session = new TensorFlowBackend().open(BackendSettings.defaults())) {
            Batch b = batch(new SplittableRandom(2));
            TrainingConfig config = TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0.9, false, 0));
            for (int i = 0; i < 20; i++) {
                try (TrainingProgram p = session.compileTraining(SPECS, OBJECTIVE, config, ParameterSet.initialize(SPECS, i))) {
                    p.step(b);
                }
            }
            System.gc();
            long before = residentBytes();
            for (int i = 0; i < 100; i++) {
                try (TrainingProgram p = session.compileTraining(SPECS, OBJECTIVE, config, ParameterSet.initialize(SPECS, i))) {
                    p.step(b);
                }
            }
            System.gc();
            long growth = residentBytes() - before;
            assertTrue(growth < 64 * MIB, "resident memory grew by " + growth / MIB + " MiB over 100 compile/close cycles");
        }
    }
}
