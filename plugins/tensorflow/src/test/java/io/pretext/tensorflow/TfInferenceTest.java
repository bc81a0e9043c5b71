package io.pretext.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.Backend;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TfInferenceTest {
    private static BackendSession session;

    private static final List<ParamSpec> SPECS = List.of(
            ParamSpec.trainable("mlp/w0", Shape.of(5, 8), new Initializer.GlorotUniform()),
            ParamSpec.trainable("mlp/b0", Shape.of(8), new Initializer.Uniform(0.5)),
            ParamSpec.trainable("mlp/w1", Shape.of(8, 3), new Initializer.GlorotUniform()));

    private static final Forward MLP = (ops, params, inputs) -> {
        Tensor h = ops.relu(ops.add(ops.matmul(inputs.get("x"), params.get("mlp/w0")), params.get("mlp/b0")));
        Tensor logits = ops.matmul(h, params.get("mlp/w1"));
        return Map.of("logits", logits, "probabilities", ops.softmax(logits, -1), "label", ops.argMax(logits, 1));
    };

    @BeforeAll
    static void open() {
        session = new TensorFlowBackend().open(BackendSettings.defaults());
    }

    @AfterAll
    static void close() {
        session.close();
    }

    private static Batch batch(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new Batch(Map.of("x", HostTensor.of(Shape.of(rows, 5), x)));
    }

    @Test
    void isFoundByServiceLoaderWithTrainingAndInference() {
        Backend b = ServiceLoader.load(Backend.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.id().equals("tensorflow")).findFirst().orElseThrow();
        assertTrue(b.hasCapability(Capability.TRAINING));
        assertTrue(b.hasCapability(Capability.INFERENCE));
    }

    @Test
    void mlpForwardMatchesReferenceForEveryBatchShape() {
        ParameterSet values = ParameterSet.initialize(SPECS, 7);
        ReferenceOps ref = new ReferenceOps();
        try (InferenceProgram p = session.compileInference(SPECS, MLP, values)) {
            for (int rows : new int[] {4, 9, 4}) {
                Batch b = batch(rows, rows);
                Map<String, HostTensor> out = p.run(b);
                Map<String, ReferenceOps.Value> expected = ref.run(MLP, values, b);
                for (String name : List.of("logits", "probabilities")) {
                    float[] got = ((HostTensor.Floats) out.get(name)).data();
                    double[] want = expected.get(name).data();
                    assertEquals(want.length, got.length);
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(want[i], got[i], 1e-5 * Math.max(1, Math.abs(want[i])), name + "[" + i + "]");
                    }
                }
                assertArrayEquals(((HostTensor.Ints) expected.get("label").toHost()).data(), ((HostTensor.Ints) out.get("label")).data());
            }
        }
    }

    @Test
    void mismatchedMatmulNamesOpAndShapes() {
        Forward bad = (ops, params, inputs) -> Map.of("y", ops.matmul(inputs.get("x"), params.get("mlp/w1")));
        try (InferenceProgram p = session.compileInference(SPECS, bad, ParameterSet.initialize(SPECS, 1))) {
            ShapeException e = assertThrows(ShapeException.class, () -> p.run(batch(4, 1)));
            assertEquals("matmul", e.op());
            assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("[8, 3]"), e.getMessage());
        }
    }
}
