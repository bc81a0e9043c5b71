package io.pretext.equivalence;

import static io.pretext.equivalence.TwoBackends.assertClose;
import static io.pretext.equivalence.TwoBackends.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.backend.StepResult;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Mode;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.LearningRateSchedule;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.OptionType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * plugins-vision's image encoders ({@code cnn} and {@code resnet} with every normalization,
 * {@code vit}) on real 8x8 digits, real 28x28 MNIST digits and seeded 32x32 RGB images: the same
 * seed builds the same parameters on TensorFlow and DJL; a batch gives the same loss and gradients
 * in training mode, both for the embedding regressed on a fixed target and for the encoder inside
 * pair losses; one step leaves the same weights and batch-norm running statistics; evaluation-mode
 * embeddings agree; and ten optimizer steps of an image encoder stay together. Widths are small so
 * the convolutions stay cheap on two cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VisionEncoderEquivalenceTest {
    private static final Logger LOG = LoggerFactory.getLogger(VisionEncoderEquivalenceTest.class);
    private static final HostTensor.Floats DIGITS = Images.digits(32, 0);
    private static final HostTensor.Floats MNIST = Images.mnist(16);
    private static final HostTensor.Floats RGB = Images.rgb(8, 3);
    private TwoBackends backends;

    @BeforeAll
    void open() {
        backends = new TwoBackends();
    }

    @AfterAll
    void close() {
        backends.close();
    }

    /**
     * One configured image encoder and the batch it sees.
     *
     * @param name display name
     * @param encoder encoder id
     * @param options raw encoder options
     * @param images [N, H, W, C] pixels
     */
    record Case(String name, String encoder, Map<String, Object> options, HostTensor.Floats images) {
        EncoderModel build() {
            Shape s = images.shape();
            return Components.encoder(encoder, "encoder", Shape.of(s.dim(1), s.dim(2), s.dim(3)), options);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String norm : List.of("none", "batch", "group")) {
            out.add(new Case("cnn " + norm + ", 8x8 digits", "cnn", Map.of("channels", List.of(8L, 16L), "pool-after", List.of(1L),
                    "groups", 4L, "normalization", norm), DIGITS));
        }
        out.add(new Case("cnn batch, 5x5 kernels, two poolings, 28x28 MNIST", "cnn", Map.of("channels", List.of(4L, 8L),
                "pool-after", List.of(1L, 2L), "kernel-size", 5L, "normalization", "batch"), MNIST));
        for (String norm : List.of("batch", "group", "none")) {
            out.add(new Case("resnet " + norm + ", 32x32 RGB", "resnet", Map.of("widths", List.of(4L, 8L), "groups", 2L,
                    "normalization", norm), RGB));
        }
        // 28 -> 14 -> 7: stride-2 "same" padding on even and odd sides (TensorFlow pads the odd
        // pixel at the bottom/right, PyTorch symmetrically), two blocks in the last stage.
        out.add(new Case("resnet group, three stages, 28x28 MNIST", "resnet", Map.of("widths", List.of(4L, 8L, 8L),
                "blocks", List.of(1L, 1L, 2L), "groups", 2L, "normalization", "group"), MNIST));
        out.add(new Case("vit patch 2, 8x8 digits", "vit", Map.of("patch-size", 2L, "dim", 8L, "depth", 1L, "heads", 2L), DIGITS));
        out.add(new Case("vit patch 7, two blocks, 28x28 MNIST", "vit", Map.of("patch-size", 7L, "dim", 16L, "depth", 2L,
                "heads", 4L), MNIST));
        out.add(new Case("vit patch 8, 32x32 RGB", "vit", Map.of("patch-size", 8L, "dim", 16L, "depth", 1L, "heads", 2L,
                "mlp-ratio", 3L), RGB));
        return out;
    }

    /** @return the case whose name starts so */
    static Case named(String prefix) {
        return cases().stream().filter(c -> c.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void everyShippedEncoderAndEveryChoiceIsCovered() {
        assertEquals(List.of("cnn", "mlp", "resnet", "vit"), Components.REGISTRY.all(Encoder.class).stream().map(Encoder::id).toList(),
                "encoders on the classpath (mlp is EncoderEquivalenceTest's)");
        for (String id : List.of("cnn", "resnet", "vit")) {
            for (OptionSpec spec : Components.REGISTRY.get(Encoder.class, id).options()) {
                if (spec.type() != OptionType.CHOICE) {
                    continue;
                }
                Set<Object> tried = new TreeSet<>();
                cases().stream().filter(c -> c.encoder().equals(id)).forEach(c -> tried.add(c.options().getOrDefault(spec.name(),
                        spec.defaultValue().orElseThrow())));
                assertEquals(new TreeSet<>(spec.choices()), tried, id + "." + spec.name() + ": every choice is compared");
            }
        }
    }

    /** @param c the encoder and its batch */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void imageEncoderAgreesOnBothBackends(Case c) {
        EncoderModel encoder = c.build();
        LossFunction mse = Components.loss("mse");
        Objective objective = (ops, params, inputs, mode) -> mse.compute(ops, new LossInputs.Reconstruction(
                encoder.forward(ops, params, inputs.get("x"), mode), inputs.get("y"), Optional.empty()));
        int rows = c.images().shape().dim(0);
        Batch batch = new Batch(Map.of("x", c.images(), "y", Components.gaussian(rows, encoder.outputShape().dim(0), 2)));
        // SGD for the step checked here, as EncoderEquivalenceTest explains.
        try (TwoBackends.Programs p = backends.compile(encoder.parameters(), objective,
                TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0.9, false, 0)))) {
            assertSameGradients(c.name(), p, batch);
            p.tensorflow().step(batch);
            p.djl().step(batch);
            ParameterSet tf = p.tensorflow().parameters();
            ParameterSet dj = p.djl().parameters();
            double step = assertClose(c.name() + " after one step", tf, dj, 1e-4, 1e-3);
            Forward embed = (ops, params, inputs) -> Map.of("z", encoder.forward(ops, params, inputs.get("x"), Mode.EVAL));
            Batch inputs = new Batch(Map.of("x", c.images()));
            try (InferenceProgram a = backends.tensorflow.compileInference(encoder.parameters(), embed, tf);
                 InferenceProgram b = backends.djl.compileInference(encoder.parameters(), embed, tf)) {
                double eval = assertClose(c.name() + " embeddings in evaluation mode", (HostTensor.Floats) a.run(inputs).get("z"),
                        (HostTensor.Floats) b.run(inputs).get("z"), 1e-4, 1e-3);
                LOG.info("{}: worst parameter error after one step {}, worst evaluation embedding error {}", c.name(), step, eval);
            }
        }
    }

    static Stream<Arguments> pairs() {
        return Stream.of(named("cnn group, 8x8"), named("resnet batch, 32x32"), named("vit patch 7"))
                .flatMap(c -> Stream.of("info-nce", "vicreg").map(loss -> Arguments.of(c, loss)));
    }

    /**
     * @param c the encoder and its batch
     * @param lossId a pair loss
     */
    @ParameterizedTest(name = "{0} inside {1}")
    @MethodSource("pairs")
    void imageEncoderInsideAPairLossAgrees(Case c, String lossId) {
        EncoderModel encoder = c.build();
        LossFunction loss = Components.loss(lossId);
        Objective objective = (ops, params, inputs, mode) -> loss.compute(ops, new LossInputs.Pair(
                encoder.forward(ops, params, inputs.get("a"), mode), encoder.forward(ops, params, inputs.get("b"), mode)));
        // Two noisy views. ReLU has a kink at zero: on 2 of 20 noise seeds measured (the ResNet
        // here, with or without oneDNN) one gradient element differed by 1e-3 to 5e-3 of its
        // tensor's scale while all others agreed to ~1e-5, and nudging the input by 1e-6 brought
        // that element back to ~1e-5 on both backends: some pre-activation lies within float
        // rounding of zero and the backends' ~1e-7 forward differences put it on opposite sides.
        // The gradient is not defined there, so these seeds keep away from kinks (21 did not).
        Batch batch = new Batch(Map.of("a", Components.noisy(c.images(), 0.1, 23), "b", Components.noisy(c.images(), 0.1, 24)));
        try (TwoBackends.Programs p = backends.compile(encoder.parameters(), objective,
                TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0.9, false, 0)))) {
            assertSameGradients(c.name() + " inside " + lossId, p, batch);
        }
    }

    static Stream<Arguments> trainings() {
        LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(3, 10);
        return Stream.of(
                Arguments.of(named("cnn batch, 8x8"), "adam", new TrainingConfig(OptimizerSpec.Adam.withLearningRate(1e-3), schedule, 0)),
                // SGD for the ViT: an attention key bias adds the same amount to every score of a
                // query, which softmax ignores, so its exact gradient is zero and Adam would turn
                // each backend's rounding noise into full steps in random directions.
                Arguments.of(named("vit patch 2, 8x8"), "sgd nesterov, weight decay, clipped",
                        new TrainingConfig(new OptimizerSpec.Sgd(0.05, 0.9, true, 1e-4), schedule, 1.0)));
    }

    /**
     * Ten steps on ten different batches of real digits (each view a noisy copy), in NT-Xent.
     *
     * @param c the encoder; its own images are not used
     * @param optimizer the optimizer, for names
     * @param config optimizer, schedule, clipping
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("trainings")
    void tenStepsOfAnImageEncoderStayTogether(Case c, String optimizer, TrainingConfig config) {
        EncoderModel encoder = c.build();
        LossFunction loss = Components.loss("nt-xent");
        Objective objective = (ops, params, inputs, mode) -> loss.compute(ops, new LossInputs.Pair(
                encoder.forward(ops, params, inputs.get("a"), mode), encoder.forward(ops, params, inputs.get("b"), mode)));
        try (TwoBackends.Programs p = backends.compile(encoder.parameters(), objective, config)) {
            double worst = 0;
            for (int s = 0; s < 10; s++) {
                HostTensor.Floats x = Images.digits(16, 100 + 16 * s);
                Batch batch = new Batch(Map.of("a", Components.noisy(x, 0.1, 200 + s), "b", Components.noisy(x, 0.1, 300 + s)));
                StepResult tf = p.tensorflow().step(batch);
                StepResult dj = p.djl().step(batch);
                TwoBackends.assertSameLoss(c.name() + " step " + s, tf.loss(), dj.loss());
                worst = Math.max(worst, assertClose(c.name() + " parameters after step " + s, p.tensorflow().parameters(),
                        p.djl().parameters(), TrainingEquivalenceTest.PARAMETER_TOLERANCE, 1e-3));
            }
            LOG.info("{}, {}: worst parameter error over ten steps {} of the tensor's largest element", c.name(), optimizer, worst);
        }
    }
}
