package io.pretext.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.pretext.runtime.cli.Main;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed} with ONNX models Pretext did not write: built here with the protobuf builders as
 * an exporter such as PyTorch's would (no tracer involved), fed plain numeric CSV columns.
 */
class ForeignModelTest {

    /** Iris: 150 rows, 4 numeric features, a scikit-learn count line and the label last (dropped by the csv source). */
    private static final Path IRIS = Path.of("..", "data", "tabular", "iris.csv").toAbsolutePath().normalize();
    private static final float[] W = {0.5f, -1f, 0.25f, 0.75f, -0.5f, 2f, 0.1f, 0.3f}; // [4, 2]
    private static final float[] B = {0.1f, -0.2f};

    @TempDir
    static Path dir;

    private static Path dynamic;
    private static Path fixedBatch;
    private static Path twoInputs;

    @BeforeAll
    static void writeModels() throws Exception {
        dynamic = dir.resolve("dense.onnx");
        Files.write(dynamic, denseTanh(-1, false));
        fixedBatch = dir.resolve("dense-batch-8.onnx");
        Files.write(fixedBatch, denseTanh(8, false));
        twoInputs = dir.resolve("two-inputs.onnx");
        Files.write(twoInputs, denseTanh(-1, true));
    }

    /** A dense layer with tanh: input "features" [batch, 4] (batch fixed when > 0), output "z" [batch, 2]. */
    static byte[] denseTanh(int batch, boolean extraInput) {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("main_graph")
                .addInput(value("features", batch, 4))
                .addInitializer(floats("fc.weight", W, 4, 2))
                .addInitializer(floats("fc.bias", B, 2))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gemm").addInput("features").addInput("fc.weight").addInput("fc.bias")
                        .addOutput("h"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Tanh").addInput("h").addOutput("z"))
                .addOutput(value("z", batch, 2));
        if (extraInput) {
            g.addInput(value("mask", batch, 4));
        }
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("pytorch").setProducerVersion("2.7.1")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build().toByteArray();
    }

    private static OnnxMl.ValueInfoProto value(String name, int batch, int width) {
        OnnxMl.TensorShapeProto.Dimension.Builder first = OnnxMl.TensorShapeProto.Dimension.newBuilder();
        if (batch > 0) {
            first.setDimValue(batch);
        } else {
            first.setDimParam("batch_size");
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(1).setShape(OnnxMl.TensorShapeProto.newBuilder().addDim(first)
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))))).build();
    }

    private static OnnxMl.TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** What the model computes on iris, in plain Java, row by row. */
    private static float[] expected() throws Exception {
        List<String> lines = Files.readAllLines(IRIS);
        float[] out = new float[150 * 2];
        for (int r = 0; r < 150; r++) {
            String[] f = lines.get(r + 1).split(",");
            for (int j = 0; j < 2; j++) {
                double s = B[j];
                for (int k = 0; k < 4; k++) {
                    s += Float.parseFloat(f[k]) * W[k * 2 + j];
                }
                out[r * 2 + j] = (float) Math.tanh(s);
            }
        }
        return out;
    }

    private static void assertEmbeds(Path out) throws Exception {
        Npy z = Npy.read(out);
        assertEquals(150, z.rows());
        assertEquals(2, z.width());
        float[] want = expected();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], z.data()[i], 1e-5, "value " + i + " of " + Arrays.toString(Arrays.copyOf(z.data(), 6)));
        }
    }

    @Test
    void aForeignModelEmbedsPlainNumericColumnsGivenItsInputNameAndShape() throws Exception {
        Path out = dir.resolve("given.npy");
        var r = Cli.run("embed", "--encoder", dynamic.toString(), "--data", IRIS.toString(), "--out", out.toString(),
                "--input-name", "features", "--input-shape", "4", "--batch-size", "64");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("foreign ONNX model, input 'features' [batch, 4], output 'z'"), r.out());
        assertEmbeds(out);
    }

    @Test
    void withoutOptionsTheOnlyInputAndItsDeclaredShapeAreUsedAndAFixedBatchIsPadded() throws Exception {
        Path out = dir.resolve("declared.npy");
        var r = Cli.run("embed", "--encoder", fixedBatch.toString(), "--data", IRIS.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEmbeds(out); // 150 rows in batches of exactly 8: the last batch of 6 is padded and trimmed
    }

    @Test
    void aWrongNameShapeOrFileIsAnErrorNamingTheOptionOrFile() throws Exception {
        Path out = dir.resolve("bad.npy");
        var name = Cli.run("embed", "--encoder", dynamic.toString(), "--data", IRIS.toString(), "--out", out.toString(),
                "--input-name", "input");
        assertEquals(Main.USER_ERROR, name.status());
        assertTrue(name.err().contains("--input-name") && name.err().contains("no input 'input'") && name.err().contains("features [-1, 4]"),
                name.err());

        var ambiguous = Cli.run("embed", "--encoder", twoInputs.toString(), "--data", IRIS.toString(), "--out", out.toString());
        assertEquals(Main.USER_ERROR, ambiguous.status());
        assertTrue(ambiguous.err().contains("--input-name") && ambiguous.err().contains("2 inputs"), ambiguous.err());

        var declared = Cli.run("embed", "--encoder", dynamic.toString(), "--data", IRIS.toString(), "--out", out.toString(),
                "--input-shape", "2x3");
        assertEquals(Main.USER_ERROR, declared.status());
        assertTrue(declared.err().contains("--input-shape") && declared.err().contains("dense.onnx"), declared.err());

        var columns = Cli.run("embed", "--encoder", dynamic.toString(), "--data", IRIS.toString(), "--out", out.toString(),
                "--set", "data.label=none");
        assertEquals(Main.USER_ERROR, columns.status());
        assertTrue(columns.err().contains("5 feature columns") && columns.err().contains("needs 4"), columns.err());

        Path truncated = dir.resolve("truncated.onnx");
        byte[] good = Files.readAllBytes(dynamic);
        Files.write(truncated, Arrays.copyOf(good, good.length - 40));
        var broken = Cli.run("embed", "--encoder", truncated.toString(), "--data", IRIS.toString(), "--out", out.toString());
        assertEquals(Main.USER_ERROR, broken.status());
        assertTrue(broken.err().contains("truncated.onnx") && broken.err().contains("cannot load ONNX model"), broken.err());

        var missing = Cli.run("embed", "--encoder", dir.resolve("absent.onnx").toString(), "--data", IRIS.toString(),
                "--out", out.toString());
        assertEquals(Main.USER_ERROR, missing.status());
        assertTrue(missing.err().contains("absent.onnx") && missing.err().contains("does not exist"), missing.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void largeInputsStreamInBatches() throws Exception {
        // 60,000 rows through batches of 500: the writer receives 120 batches; only one is held at a time.
        Path big = dir.resolve("big.csv");
        StringBuilder text = new StringBuilder("a,b,c,d\n");
        for (int r = 0; r < 60_000; r++) {
            text.append(r % 7).append(',').append(r % 5 * 0.5).append(',').append(-(r % 3)).append(',').append(r % 11 * 0.1).append('\n');
        }
        Files.writeString(big, text);
        Path out = dir.resolve("big.npy");
        var r = Cli.run("embed", "--encoder", dynamic.toString(), "--data", big.toString(), "--out", out.toString(),
                "--batch-size", "500", "--set", "data.label=none");
        assertEquals(0, r.status(), r.err());
        Npy z = Npy.read(out);
        assertEquals(60_000, z.rows());
        for (int row : new int[] {0, 31_337, 59_999}) {
            double[] x = {row % 7, row % 5 * 0.5, -(row % 3), Double.parseDouble(String.valueOf(row % 11 * 0.1))};
            double s = B[1];
            for (int k = 0; k < 4; k++) {
                s += (float) x[k] * W[k * 2 + 1];
            }
            assertEquals((float) Math.tanh(s), z.data()[row * 2 + 1], 1e-5, "row " + row);
        }
        assertTrue(r.err().contains("embedded 60,000 rows"), r.err());
    }
}
