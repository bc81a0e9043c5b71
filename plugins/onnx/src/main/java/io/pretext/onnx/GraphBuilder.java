package io.pretext.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Accumulates an ONNX graph: nodes in the order they were recorded (which is a topological order,
 * since a node's inputs exist before it), initializers, inputs and outputs; then wraps it in a
 * model with the opset, producer and metadata.
 */
final class GraphBuilder {
    /** The operator set written: 17 has every op traced here with axes as attributes for ReduceMax/ReduceMean. */
    static final int OPSET = 17;
    /** IR version 8 goes with opset 17 (ONNX 1.12+). */
    static final long IR_VERSION = 8;
    /** Dimension name of the dynamic batch axis in exported models. */
    static final String BATCH_DIM = "batch";

    private final OnnxMl.GraphProto.Builder graph;
    private final Map<String, String> int64Constants = new HashMap<>();
    private final Map<Float, String> floatScalars = new HashMap<>();
    private int counter;

    /** @param name the graph's name */
    GraphBuilder(String name) {
        this.graph = OnnxMl.GraphProto.newBuilder().setName(name);
    }

    /**
     * @param hint readable prefix
     * @return a value name not used before in this graph
     */
    String fresh(String hint) {
        // A prefix that parameter names and batch keys do not use, so generated names never collide with them.
        return "__" + hint + "_" + counter++;
    }

    /**
     * Adds a node with one output.
     *
     * @param opType the ONNX operator
     * @param inputs value names ("" for an omitted optional input)
     * @param attributes the node's attributes
     * @return the output's name
     */
    String node(String opType, List<String> inputs, OnnxMl.AttributeProto... attributes) {
        String output = fresh(opType.toLowerCase(Locale.ROOT));
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(opType).setName(output).addAllInput(inputs).addOutput(output);
        for (OnnxMl.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return output;
    }

    /**
     * Adds an Identity node with a chosen output name (a graph output named by the caller).
     *
     * @param input the value to pass on
     * @param output the output's name
     */
    void identity(String input, String output) {
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName(fresh("identity")).addInput(input).addOutput(output));
    }

    /**
     * @param name the initializer's name
     * @param value its value
     */
    void initializer(String name, HostTensor value) {
        graph.addInitializer(tensor(name, value));
    }

    /**
     * @param value a host tensor
     * @return the name of a new initializer holding it
     */
    String constant(HostTensor value) {
        String name = fresh("const");
        initializer(name, value);
        return name;
    }

    /**
     * @param values int64 values
     * @return the name of a 1-D int64 initializer holding them (shared between identical requests)
     */
    String int64s(long... values) {
        String key = Arrays.toString(values);
        return int64Constants.computeIfAbsent(key, k -> constant(HostTensor.of(Shape.of(values.length), values)));
    }

    /**
     * @param value a boolean
     * @return the name of a new scalar bool initializer
     */
    String boolScalar(boolean value) {
        String name = fresh("bool");
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.BOOL.getNumber())
                .setRawData(ByteString.copyFrom(new byte[] {(byte) (value ? 1 : 0)})));
        return name;
    }

    /**
     * @param value a float
     * @return the name of a scalar float initializer (shared between identical requests)
     */
    String floatScalar(float value) {
        return floatScalars.computeIfAbsent(value, v -> constant(HostTensor.scalar(v)));
    }

    /**
     * Declares a graph input.
     *
     * @param name its name
     * @param dtype its element type
     * @param dims its dimensions; -1 marks the dynamic batch axis
     */
    void input(String name, DType dtype, int[] dims) {
        graph.addInput(valueInfo(name, dtype, dims));
    }

    /**
     * Declares a graph output.
     *
     * @param name its name
     * @param dtype its element type
     * @param dims its dimensions; -1 marks the dynamic batch axis
     */
    void output(String name, DType dtype, int[] dims) {
        graph.addOutput(valueInfo(name, dtype, dims));
    }

    /**
     * @param producerVersion the plugin's version
     * @param metadata metadata properties
     * @return the finished model
     */
    OnnxMl.ModelProto model(String producerVersion, Map<String, String> metadata) {
        OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("pretext")
                .setProducerVersion(producerVersion)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        metadata.forEach((k, v) -> m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    static int elementType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> OnnxMl.TensorProto.DataType.FLOAT.getNumber();
            case INT32 -> OnnxMl.TensorProto.DataType.INT32.getNumber();
            case INT64 -> OnnxMl.TensorProto.DataType.INT64.getNumber();
        };
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, DType dtype, int[] dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (int d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d < 0) {
                dim.setDimParam(BATCH_DIM);
            } else {
                dim.setDimValue(d);
            }
            shape.addDim(dim);
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elementType(dtype)).setShape(shape))
                .build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static OnnxMl.TensorProto tensor(String name, HostTensor value) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(elementType(value.dtype()));
        for (int d : value.shape().dims()) {
            t.addDims(d);
        }
        ByteBuffer bytes;
        if (value instanceof HostTensor.Floats f) {
            bytes = ByteBuffer.allocate(4 * f.data().length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(f.data());
        } else if (value instanceof HostTensor.Ints i) {
            bytes = ByteBuffer.allocate(4 * i.data().length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asIntBuffer().put(i.data());
        } else {
            long[] l = ((HostTensor.Longs) value).data();
            bytes = ByteBuffer.allocate(8 * l.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asLongBuffer().put(l);
        }
        // Raw little-endian bytes: the compact encoding ONNX Runtime reads without conversion.
        return t.setRawData(ByteString.copyFrom(bytes.array())).build();
    }

    // ---- attributes ---------------------------------------------------------------------

    static OnnxMl.AttributeProto attr(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
    }

    static OnnxMl.AttributeProto attr(String name, float value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static OnnxMl.AttributeProto attrInts(String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }
}
