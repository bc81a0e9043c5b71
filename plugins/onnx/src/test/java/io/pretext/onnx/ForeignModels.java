package io.pretext.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ONNX models written by hand with the protobuf builders, independently of the tracer, as another
 * tool (PyTorch's exporter, a converter) would write them: a dense layer with tanh, input
 * {@code features} of shape [N, 3] with a named dynamic axis, output {@code z} of shape [N, 2], and
 * a second output {@code winner} (int64 argmax).
 */
final class ForeignModels {
    private ForeignModels() {
    }

    static final float[] W = {0.5f, -1.0f, 0.25f, 0.75f, -0.5f, 2.0f}; // [3, 2]
    static final float[] B = {0.1f, -0.2f};

    /** @return the model's bytes */
    static byte[] denseTanh() {
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("torch-jit-export")
                .addInput(value("features", 1, "N", 3))
                .addInitializer(floats("W", W, 3, 2))
                .addInitializer(floats("B", B, 2))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gemm").addInput("features").addInput("W").addInput("B").addOutput("h"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Tanh").addInput("h").addOutput("z"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("ArgMax").addInput("z").addOutput("winner")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1))
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(0)))
                .addOutput(value("z", 1, "N", 2))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("winner").setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(7)
                                .setShape(OnnxMl.TensorShapeProto.newBuilder().addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))))))
                .build();
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("pytorch")
                .setProducerVersion("2.7.1")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    /** What the model computes, in plain Java. */
    static float[] expected(float[] features, int rows) {
        float[] z = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 2; j++) {
                double s = B[j];
                for (int k = 0; k < 3; k++) {
                    s += features[r * 3 + k] * W[k * 2 + j];
                }
                z[r * 2 + j] = (float) Math.tanh(s);
            }
        }
        return z;
    }

    private static OnnxMl.ValueInfoProto value(String name, int elemType, String batchName, int width) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType)
                        .setShape(OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batchName))
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width)))))
                .build();
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
}
