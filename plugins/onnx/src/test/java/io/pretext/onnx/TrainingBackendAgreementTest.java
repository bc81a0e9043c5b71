package io.pretext.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.pretext.api.Backend;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Mode;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.OptionType;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported model gives the embeddings of the backend that trained it. For every training
 * backend and every encoder on the classpath, in every variant its choice and flag options allow
 * (the MLP: four activations x three normalizations x final activation or not): a few training
 * steps on the training backend (so batch-norm statistics are the backend's own), then the same
 * real batch through the training backend's inference program and through the exported ONNX model
 * on ONNX Runtime: max abs difference below 1e-4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingBackendAgreementTest {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingBackendAgreementTest.class);
    private static final double TOLERANCE = 1e-4;
    /** Real letter rows for table encoders; a smaller batch of images keeps convolutions cheap on two cores. */
    private static final int TABLE_ROWS = 256;
    private static final int IMAGE_ROWS = 32;
    /** Per-example shapes tried, in order, for an encoder: the first it accepts is used. */
    private static final List<Shape> CANDIDATE_SHAPES = List.of(Shape.of(16), Shape.of(8, 8, 1), Shape.of(16, 16, 3), Shape.of(32, 8));

    private final Map<String, BackendSession> trainers = new LinkedHashMap<>();
    private BackendSession onnx;

    @TempDir
    Path dir;

    @BeforeAll
    void open() {
        BackendSettings settings = new BackendSettings(1, 1, 42);
        for (Backend b : ServiceLoader.load(Backend.class)) {
            if (b.hasCapability(Capability.TRAINING)) {
                trainers.put(b.id(), b.open(settings));
            }
        }
        onnx = new OnnxBackend().open(settings);
    }

    @AfterAll
    void close() {
        trainers.values().forEach(BackendSession::close);
        onnx.close();
    }

    @Test
    void theTrainingBackendsAndEncodersArePresent() {
        assertEquals(List.of("djl", "tensorflow"), trainers.keySet().stream().sorted().toList(), "trainers on the test classpath");
        assertTrue(Fixtures.encoders().stream().anyMatch(e -> e.id().equals("mlp")));
    }

    /** Every combination of an encoder's choice and flag options, the others at their defaults. */
    static List<Map<String, Object>> variants(Encoder encoder) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (OptionSpec spec : encoder.options()) {
            List<Object> values = new ArrayList<>();
            if (spec.type() == OptionType.CHOICE) {
                values.addAll(spec.choices());
            } else if (spec.type() == OptionType.BOOLEAN) {
                values.addAll(List.of(true, false));
            } else {
                continue;
            }
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> v : out) {
                for (Object value : values) {
                    Map<String, Object> m = new LinkedHashMap<>(v);
                    m.put(spec.name(), value);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private static Optional<EncoderModel> build(Encoder encoder, Map<String, Object> options) {
        Options resolved = Options.resolve("encoder", encoder.options(), options);
        for (Shape shape : CANDIDATE_SHAPES) {
            try {
                return Optional.of(encoder.create(resolved, shape, "encoder"));
            } catch (PretextException | IllegalArgumentException e) {
                // this encoder does not take this input shape; try the next
            }
        }
        return Optional.empty();
    }

    /** Real letter rows for table encoders, real 8x8 digits for image encoders, a fixed pseudo-random batch otherwise. */
    private static HostTensor.Floats realBatch(Shape example) {
        if (example.equals(Shape.of(16))) {
            return Fixtures.letterRows(TABLE_ROWS);
        }
        if (example.equals(Shape.of(8, 8, 1))) {
            return Fixtures.digits(IMAGE_ROWS);
        }
        SplittableRandom random = new SplittableRandom(5);
        float[] x = new float[Math.toIntExact(example.size() * IMAGE_ROWS)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return HostTensor.of(example.prepend(IMAGE_ROWS), x);
    }

    @TestFactory
    Stream<DynamicTest> exportedEncodersAgreeWithTheBackendThatTrainedThem() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, BackendSession> trainer : trainers.entrySet()) {
            for (Encoder encoder : Fixtures.encoders()) {
                for (Map<String, Object> options : variants(encoder)) {
                    String name = trainer.getKey() + " / " + encoder.id() + " " + options;
                    tests.add(dynamicTest(name, () -> agree(name, trainer.getValue(), encoder, options)));
                }
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    private void agree(String name, BackendSession trainer, Encoder provider, Map<String, Object> options) throws Exception {
        Optional<EncoderModel> built = build(provider, options);
        org.junit.jupiter.api.Assumptions.assumeTrue(built.isPresent(), name + ": takes none of the input shapes " + CANDIDATE_SHAPES);
        EncoderModel encoder = built.get();
        HostTensor.Floats x = realBatch(encoder.inputShape());
        ParameterSet trained = train(trainer, encoder, x);

        HostTensor.Floats expected;
        try (InferenceProgram program = trainer.compileInference(encoder.parameters(), Fixtures.embedding(encoder), trained)) {
            expected = (HostTensor.Floats) program.run(Fixtures.batch(x)).get(OnnxModel.OUTPUT);
        }
        Path file = dir.resolve("encoder-" + Math.abs(name.hashCode()) + ".onnx");
        onnx.exportOnnx(encoder.parameters(), trained, encoder.inputShape(), Fixtures.embedding(encoder), Map.of(), file);
        try (OnnxModel model = onnx.openOnnx(file)) {
            HostTensor.Floats got = (HostTensor.Floats) model.run(Fixtures.batch(x)).get(OnnxModel.OUTPUT);
            assertEquals(expected.shape(), got.shape(), name);
            double diff = Fixtures.maxAbsDiff(expected.data(), got.data());
            double largest = 0;
            for (float v : expected.data()) {
                largest = Math.max(largest, Math.abs(v));
            }
            LOG.info("{}: max abs difference {} (largest |value| {})", name, String.format("%.2e", diff), String.format("%.3g", largest));
            assertTrue(diff < TOLERANCE, name + ": max abs difference " + diff);
        }
    }

    /** A few Adam steps on the training backend (batch-norm statistics move too); returns its parameters. */
    private static ParameterSet train(BackendSession trainer, EncoderModel encoder, HostTensor.Floats x) {
        Objective spread = (ops, params, inputs, mode) -> {
            var z = encoder.forward(ops, params, inputs.get(OnnxModel.INPUT), mode);
            var centered = ops.sub(z, ops.mean(z, new int[] {0}, true));
            return LossOutput.of(ops.neg(ops.mean(ops.square(centered), new int[0], false)));
        };
        ParameterSet initial = Fixtures.trainedLooking(encoder, 13);
        try (TrainingProgram program = trainer.compileTraining(encoder.parameters(), spread,
                TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(1e-3)), initial)) {
            for (int step = 0; step < 3; step++) {
                program.step(Fixtures.batch(x));
            }
            ParameterSet trained = program.parameters();
            assertFalse(trained.equals(initial), "training moved the parameters");
            return trained;
        }
    }
}
