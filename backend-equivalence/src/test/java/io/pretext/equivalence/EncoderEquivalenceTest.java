package io.pretext.equivalence;

import static io.pretext.equivalence.TwoBackends.assertClose;
import static io.pretext.equivalence.TwoBackends.assertSameGradients;

import io.pretext.api.EncoderModel;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.HostTensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Encoder {@code mlp} with every activation and every normalization: the same seed builds the same
 * parameters on TensorFlow and DJL, and a regression batch gives the same loss and gradients in
 * training mode (batch statistics), the same running statistics after a step and the same outputs
 * in evaluation mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncoderEquivalenceTest {
    private static final int ROWS = 64;
    private static final int INPUT = 12;
    private TwoBackends backends;

    @BeforeAll
    void open() {
        backends = new TwoBackends();
    }

    @AfterAll
    void close() {
        backends.close();
    }

    static Stream<Arguments> variants() {
        return Stream.of("relu", "gelu", "tanh", "sigmoid")
                .flatMap(a -> Stream.of("none", "batch", "layer").map(n -> Arguments.of(a, n)));
    }

    /**
     * @param activation the activation option
     * @param normalization the normalization option
     */
    @ParameterizedTest(name = "mlp, {0}, {1} normalization")
    @MethodSource("variants")
    void mlpAgreesOnBothBackends(String activation, String normalization) {
        EncoderModel encoder = Components.mlp("encoder", INPUT, Map.of("widths", List.of(48L, 32L, 16L), "activation", activation,
                "normalization", normalization));
        LossFunction mse = Components.loss("mse");
        Objective objective = (ops, params, inputs, mode) -> mse.compute(ops, new LossInputs.Reconstruction(
                encoder.forward(ops, params, inputs.get("x"), mode), inputs.get("y"), Optional.empty()));
        HostTensor.Floats x = Components.gaussian(ROWS, INPUT, 1);
        Batch batch = new Batch(Map.of("x", x, "y", Components.gaussian(ROWS, 16, 2)));
        String what = "mlp " + activation + " " + normalization;
        // SGD for the step checked here: an update linear in the gradient. (Adam divides by the
        // gradient's own magnitude, so the rounding noise of a bias before batch normalization,
        // whose exact gradient is zero, would become a full step in a random direction.)
        try (TwoBackends.Programs p = backends.compile(encoder.parameters(), objective,
                TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0.9, false, 0)))) {
            assertSameGradients(what, p, batch);
            p.tensorflow().step(batch);
            p.djl().step(batch);
            // Batch-norm running statistics (state parameters) and the updated weights.
            ParameterSet tf = p.tensorflow().parameters();
            ParameterSet dj = p.djl().parameters();
            assertClose(what + " after one step", tf, dj, 1e-4, 1e-3);
            Forward embed = (ops, params, inputs) -> Map.of("z", encoder.forward(ops, params, inputs.get("x"),
                    io.pretext.api.model.Mode.EVAL));
            Batch inputs = new Batch(Map.of("x", x));
            try (InferenceProgram a = backends.tensorflow.compileInference(encoder.parameters(), embed, tf);
                 InferenceProgram b = backends.djl.compileInference(encoder.parameters(), embed, tf)) {
                assertClose(what + " embeddings in evaluation mode", (HostTensor.Floats) a.run(inputs).get("z"),
                        (HostTensor.Floats) b.run(inputs).get("z"), 1e-4, 1e-3);
            }
        }
    }
}
