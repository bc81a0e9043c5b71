package io.pretext.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.pretext.api.EncoderModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Forward;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export by tracing: the written model is the encoder's own forward function, for any batch size. */
class ExportTest {

    private static BackendSession session;
    private static final HostTensor.Floats ROWS = Fixtures.letterRows(64);

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

    private Path export(EncoderModel encoder, ParameterSet values, String name) {
        Path file = dir.resolve(name + ".onnx");
        session.exportOnnx(encoder.parameters(), values, encoder.inputShape(), Fixtures.embedding(encoder), Map.of("recipe", "test"), file);
        return file;
    }

    @Test
    void everyMlpVariantMatchesThePlainJavaReferenceAtSeveralBatchSizes() {
        for (String activation : List.of("relu", "gelu", "tanh", "sigmoid")) {
            for (String normalization : List.of("none", "batch", "layer")) {
                EncoderModel mlp = Fixtures.mlp(Map.of("activation", activation, "normalization", normalization));
                ParameterSet values = Fixtures.trainedLooking(mlp, 7);
                try (OnnxModel model = session.openOnnx(export(mlp, values, activation + "-" + normalization))) {
                    for (int n : new int[] {1, 5, 64}) {
                        HostTensor.Floats x = Fixtures.head(ROWS, n);
                        HostTensor.Floats got = (HostTensor.Floats) model.run(Fixtures.batch(x)).get(OnnxModel.OUTPUT);
                        ReferenceOps.Value want = new ReferenceOps().run(Fixtures.embedding(mlp), values, Fixtures.batch(x)).get(OnnxModel.OUTPUT);
                        assertEquals(Shape.of(n, 256), got.shape(), activation + "/" + normalization);
                        double diff = Fixtures.maxAbsDiff(got.data(), want.data());
                        assertTrue(diff < 1e-4, activation + "/" + normalization + " batch " + n + ": max abs diff " + diff);
                    }
                }
            }
        }
    }

    @Test
    void theModelDeclaresNamedInputAndOutputWithADynamicBatchOpset17AndTheMetadata() throws Exception {
        EncoderModel mlp = Fixtures.mlp(Map.of());
        ParameterSet values = Fixtures.trainedLooking(mlp, 3);
        Path file = export(mlp, values, "declared");
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals(17, proto.getOpsetImport(0).getVersion());
        assertEquals("pretext", proto.getProducerName());
        OnnxMl.ValueInfoProto input = proto.getGraph().getInput(0);
        assertEquals(OnnxModel.INPUT, input.getName());
        assertEquals("batch", input.getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(16, input.getType().getTensorType().getShape().getDim(1).getDimValue());
        assertEquals(OnnxModel.OUTPUT, proto.getGraph().getOutput(0).getName());
        assertEquals(mlp.parameters().stream().map(ParamSpec::name).collect(Collectors.toSet()),
                proto.getGraph().getInitializerList().stream().map(OnnxMl.TensorProto::getName).filter(n -> !n.startsWith("__"))
                        .collect(Collectors.toSet()), "every parameter is an initializer under its own name");
        Map<String, String> meta = proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        assertEquals("test", meta.get("recipe"));
        assertTrue(meta.get(OnnxExporter.EXPORTER_KEY).contains("opset 17"), meta.toString());

        try (OnnxModel model = session.openOnnx(file)) {
            assertEquals(List.of(new OnnxModel.Port(OnnxModel.INPUT, Optional.of(DType.FLOAT32), List.of(-1L, 16L))), model.inputs());
            assertEquals(List.of(new OnnxModel.Port(OnnxModel.OUTPUT, Optional.of(DType.FLOAT32), List.of(-1L, 256L))), model.outputs());
            assertEquals("test", model.metadata().get("recipe"));
        }
    }

    @Test
    void aBatchReshapedInsideTheEncoderStaysDynamic() {
        // Per-example input [4, 4]: the MLP flattens it with reshape([batch, 16]), which must not freeze the batch size.
        var mlpProvider = Fixtures.encoders().stream().filter(e -> e.id().equals("mlp")).findFirst().orElseThrow();
        EncoderModel mlp = mlpProvider.create(io.pretext.api.option.Options.defaults(mlpProvider.options()), Shape.of(4, 4), "encoder");
        ParameterSet values = Fixtures.trainedLooking(mlp, 5);
        try (OnnxModel model = session.openOnnx(export(mlp, values, "square"))) {
            for (int n : new int[] {3, 10}) {
                HostTensor.Floats x = HostTensor.of(Shape.of(n, 4, 4), Fixtures.head(ROWS, n).data());
                HostTensor.Floats got = (HostTensor.Floats) model.run(Fixtures.batch(x)).get(OnnxModel.OUTPUT);
                ReferenceOps.Value want = new ReferenceOps().run(Fixtures.embedding(mlp), values, Fixtures.batch(x)).get(OnnxModel.OUTPUT);
                assertTrue(Fixtures.maxAbsDiff(got.data(), want.data()) < 1e-4);
            }
        }
    }

    @Test
    void functionsThatFixTheBatchSizeAreRefusedAndLeaveAnEarlierFileAlone() throws Exception {
        EncoderModel mlp = Fixtures.mlp(Map.of());
        ParameterSet values = Fixtures.trainedLooking(mlp, 1);
        Path file = export(mlp, values, "kept");
        byte[] before = Files.readAllBytes(file);
        Map<String, Forward> refused = Map.of(
                "constant", (ops, params, inputs) -> {
                    Tensor x = inputs.get(OnnxModel.INPUT);
                    return Map.of(OnnxModel.OUTPUT, ops.add(x, ops.constant(HostTensor.of(x.shape(), new float[(int) x.shape().size()]))));
                },
                "slice", (ops, params, inputs) -> {
                    Tensor x = inputs.get(OnnxModel.INPUT);
                    return Map.of(OnnxModel.OUTPUT, ops.slice(x, new int[] {0, 0}, new int[] {1, 16}));
                },
                "export", (ops, params, inputs) -> Map.of(OnnxModel.OUTPUT, ops.sum(inputs.get(OnnxModel.INPUT), new int[] {0}, true)));
        refused.forEach((op, forward) -> {
            ShapeException e = assertThrows(ShapeException.class,
                    () -> session.exportOnnx(List.of(), new ParameterSet(Map.of()), Shape.of(16), forward, Map.of(), file), op);
            assertEquals(op, e.op());
            assertTrue(e.getMessage().contains("batch"), e.getMessage());
        });
        assertArrayEquals(before, Files.readAllBytes(file), "a refused export leaves the previous file as it was");
    }
}
