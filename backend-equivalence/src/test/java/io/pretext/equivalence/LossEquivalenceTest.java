package io.pretext.equivalence;

import static io.pretext.equivalence.TwoBackends.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.api.EncoderModel;
import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.model.Batch;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss on the classpath (plugins/core's eight), fed by a small MLP so gradients reach real
 * parameters: same loss and gradients on TensorFlow and DJL. Pair losses get two noisy views of
 * the same rows, reconstruction losses a weighted target, classification losses integer labels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LossEquivalenceTest {
    private static final int ROWS = 48;
    private static final int INPUT = 10;
    private static final int CLASSES = 5;
    private TwoBackends backends;

    @BeforeAll
    void open() {
        backends = new TwoBackends();
    }

    @AfterAll
    void close() {
        backends.close();
    }

    static Stream<String> losses() {
        return Components.REGISTRY.all(Loss.class).stream().map(Loss::id);
    }

    @Test
    void everyShippedLossIsCovered() {
        assertEquals(List.of("barlow-twins", "contrastive-margin", "cross-entropy", "info-nce", "mse", "nt-xent", "triplet", "vicreg"),
                losses().toList());
    }

    /** @param id the loss */
    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void lossAgreesOnBothBackends(String id) {
        Loss loss = Components.REGISTRY.get(Loss.class, id);
        LossFunction f = Components.loss(id);
        int out = loss.kind() == io.pretext.api.LossKind.CLASSIFICATION ? CLASSES : 16;
        EncoderModel net = Components.mlp("net", INPUT, Map.of("widths", List.of(32L, (long) out), "activation", "gelu",
                "final-activation", false));
        List<ParamSpec> specs = new ArrayList<>(net.parameters());
        HostTensor.Floats x = Components.gaussian(ROWS, INPUT, 11);
        Batch batch;
        Objective objective;
        switch (loss.kind()) {
            case PAIR -> {
                batch = new Batch(Map.of("a", Components.noisy(x, 0.3, 12), "b", Components.noisy(x, 0.3, 13)));
                objective = (ops, p, in, mode) -> f.compute(ops, new LossInputs.Pair(net.forward(ops, p, in.get("a"), mode),
                        net.forward(ops, p, in.get("b"), mode)));
            }
            case RECONSTRUCTION -> {
                batch = new Batch(Map.of("x", x, "target", Components.gaussian(ROWS, out, 14), "weights", mask(ROWS, out)));
                objective = (ops, p, in, mode) -> {
                    Tensor prediction = net.forward(ops, p, in.get("x"), mode);
                    LossOutput weighted = f.compute(ops, new LossInputs.Reconstruction(prediction, in.get("target"),
                            Optional.of(in.get("weights"))));
                    LossOutput plain = f.compute(ops, new LossInputs.Reconstruction(prediction, in.get("target"), Optional.empty()));
                    return new LossOutput(ops.add(weighted.loss(), plain.loss()), Map.of());
                };
            }
            case CLASSIFICATION -> {
                batch = new Batch(Map.of("x", x, "label", Components.labels(ROWS, CLASSES, 15)));
                objective = (ops, p, in, mode) -> f.compute(ops, new LossInputs.Classification(net.forward(ops, p, in.get("x"), mode),
                        in.get("label")));
            }
            default -> throw new IllegalStateException("unknown loss kind " + loss.kind());
        }
        try (TwoBackends.Programs p = backends.compile(specs, objective, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(1e-3)))) {
            assertSameGradients(id, p, batch);
            // The loss's own diagnostics agree too (reported by a step, before its update).
            Map<String, Double> tf = p.tensorflow().step(batch).metrics();
            Map<String, Double> dj = p.djl().step(batch).metrics();
            assertEquals(tf.keySet(), dj.keySet(), id + ": metric names");
            tf.forEach((name, v) -> TwoBackends.assertSameLoss(id + " metric " + name, v, dj.get(name)));
        }
    }

    private static HostTensor.Floats mask(int rows, int columns) {
        SplittableRandom r = new SplittableRandom(16);
        float[] v = new float[rows * columns];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() < 0.3 ? 1f : 0f;
        }
        return HostTensor.of(Shape.of(rows, columns), v);
    }
}
