package io.pretext.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.Capability;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.error.CapabilityException;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Batch;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving ONNX files: models Pretext did not write, and files or batches that are wrong. */
class ServingTest {

    private static BackendSession session;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        session = new OnnxBackend().open(new BackendSettings(1, 1, 42));
    }

    @AfterAll
    static void close() {
        session.close();
    }

    private Path foreign() throws Exception {
        Path file = dir.resolve("foreign.onnx");
        Files.write(file, ForeignModels.denseTanh());
        return file;
    }

    private static Batch features(String name, int rows, int width) {
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.7) * 2;
        }
        return new Batch(Map.of(name, HostTensor.of(Shape.of(rows, width), x)));
    }

    @Test
    void declaresInferenceAndExportButNotTraining() {
        OnnxBackend backend = new OnnxBackend();
        assertEquals("onnx", backend.id());
        assertTrue(backend.hasCapability(Capability.INFERENCE));
        assertTrue(backend.hasCapability(Capability.EXPORT_ONNX));
        assertFalse(backend.hasCapability(Capability.TRAINING));
        // GPU is declared exactly when the CUDA build (-Pgpu) is on the classpath; the default build has the CPU artifact.
        boolean gpuBuild = OnnxBackend.class.getResource("/ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so") != null;
        assertEquals(gpuBuild, backend.hasCapability(Capability.GPU), "GPU capability follows the artifact on the classpath");
    }

    @Test
    void askedToTrainItRefusesAtOnceNamingTheBackendsThatCan() {
        CapabilityException e = assertThrows(CapabilityException.class, () -> session.compileTraining(List.of(),
                (ops, params, inputs, mode) -> null, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.1)), null));
        assertTrue(e.getMessage().contains("cannot train") && e.getMessage().contains("tensorflow"), e.getMessage());
    }

    @Test
    void servesAModelItDidNotWriteWithItsOwnNamesAndDynamicAxis() throws Exception {
        try (OnnxModel model = session.openOnnx(foreign())) {
            assertEquals(List.of(new OnnxModel.Port("features", Optional.of(DType.FLOAT32), List.of(-1L, 3L))), model.inputs());
            assertEquals(List.of("z", "winner"), model.outputs().stream().map(OnnxModel.Port::name).toList());
            assertEquals(Map.of(), model.metadata());
            for (int rows : new int[] {1, 9}) {
                Batch batch = features("features", rows, 3);
                Map<String, HostTensor> out = model.run(batch);
                float[] z = ((HostTensor.Floats) out.get("z")).data();
                float[] want = ForeignModels.expected(((HostTensor.Floats) batch.get("features")).data(), rows);
                assertTrue(Fixtures.maxAbsDiff(z, want) < 1e-6, Arrays.toString(z) + " vs " + Arrays.toString(want));
                long[] winner = ((HostTensor.Longs) out.get("winner")).data();
                for (int r = 0; r < rows; r++) {
                    assertEquals(want[2 * r] >= want[2 * r + 1] ? 0 : 1, winner[r]);
                }
            }
        }
    }

    @Test
    void truncatedCorruptAndMissingFilesAreClearErrorsNamingTheFile() throws Exception {
        byte[] good = ForeignModels.denseTanh();
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        Path garbage = dir.resolve("garbage.onnx");
        byte[] noise = new byte[4096];
        new java.util.Random(3).nextBytes(noise);
        Files.write(garbage, noise);
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        Path text = dir.resolve("recipe.onnx");
        Files.writeString(text, "name: not a model\nseed: 1\n");
        for (Path bad : List.of(truncated, garbage, empty, text, dir.resolve("absent.onnx"), dir)) {
            PretextException e = assertThrows(PretextException.class, () -> session.openOnnx(bad), bad.toString());
            assertTrue(e.getMessage().contains(bad.getFileName().toString()), e.getMessage());
        }
        // The session still works after the failures.
        try (OnnxModel model = session.openOnnx(foreign())) {
            assertEquals(2, model.run(features("features", 2, 3)).size());
        }
    }

    @Test
    void aBatchThatDoesNotFitTheModelIsAClearError() throws Exception {
        try (OnnxModel model = session.openOnnx(foreign())) {
            ShapeException width = assertThrows(ShapeException.class, () -> model.run(features("features", 4, 5)));
            assertTrue(width.getMessage().contains("foreign.onnx") && width.getMessage().contains("[-1, 3]")
                    && width.getMessage().contains("[4, 5]"), width.getMessage());
            ShapeException rank = assertThrows(ShapeException.class,
                    () -> model.run(new Batch(Map.of("features", HostTensor.of(Shape.of(12), new float[12])))));
            assertTrue(rank.getMessage().contains("[12]"), rank.getMessage());
            ShapeException dtype = assertThrows(ShapeException.class,
                    () -> model.run(new Batch(Map.of("features", HostTensor.of(Shape.of(1, 3), new int[3])))));
            assertTrue(dtype.getMessage().contains("INT32"), dtype.getMessage());
            PretextException name = assertThrows(PretextException.class, () -> model.run(features("input", 4, 3)));
            assertTrue(name.getMessage().contains("no input 'input'") && name.getMessage().contains("features"), name.getMessage());
            PretextException none = assertThrows(PretextException.class, () -> model.run(new Batch(Map.of())));
            assertTrue(none.getMessage().contains("needs input features"), none.getMessage());
        }
    }

    @Test
    void inferenceProgramsTraceAndRunAnyForward() {
        var mlp = Fixtures.mlp(Map.of("normalization", "layer"));
        var values = Fixtures.trainedLooking(mlp, 11);
        HostTensor.Floats x = Fixtures.letterRows(32);
        try (var program = session.compileInference(mlp.parameters(), Fixtures.embedding(mlp), values)) {
            HostTensor.Floats got = (HostTensor.Floats) program.run(Fixtures.batch(x)).get(OnnxModel.OUTPUT);
            var want = new io.pretext.testkit.ReferenceOps().run(Fixtures.embedding(mlp), values, Fixtures.batch(x)).get(OnnxModel.OUTPUT);
            assertTrue(Fixtures.maxAbsDiff(got.data(), want.data()) < 1e-4);
            assertArrayEquals(got.data(), ((HostTensor.Floats) program.run(Fixtures.batch(x)).get(OnnxModel.OUTPUT)).data(),
                    "the compiled session is reused and deterministic");
        }
    }
}
