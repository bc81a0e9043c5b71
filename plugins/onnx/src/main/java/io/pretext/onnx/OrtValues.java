package io.pretext.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Optional;

/** Conversions between host tensors and ONNX Runtime values. */
final class OrtValues {
    private OrtValues() {
    }

    /**
     * @param environment the environment
     * @param value a host tensor
     * @return an ONNX Runtime tensor holding a copy; the caller closes it
     */
    static OnnxTensor toOrt(OrtEnvironment environment, HostTensor value) throws OrtException {
        long[] shape = Arrays.stream(value.shape().dims()).asLongStream().toArray();
        if (value instanceof HostTensor.Floats f) {
            return OnnxTensor.createTensor(environment, FloatBuffer.wrap(f.data()), shape);
        }
        if (value instanceof HostTensor.Ints i) {
            return OnnxTensor.createTensor(environment, IntBuffer.wrap(i.data()), shape);
        }
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(((HostTensor.Longs) value).data()), shape);
    }

    /**
     * @param value an output of a run
     * @return it as a host tensor, or empty when its type has no {@link DType}
     */
    static Optional<HostTensor> toHost(OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor t)) {
            return Optional.empty();
        }
        TensorInfo info = t.getInfo();
        Optional<DType> dtype = dtypeOf(info);
        if (dtype.isEmpty()) {
            return Optional.empty();
        }
        Shape shape = new Shape(Arrays.stream(info.getShape()).mapToInt(Math::toIntExact).toArray());
        int n = Math.toIntExact(shape.size());
        return Optional.of(switch (dtype.get()) {
            case FLOAT32 -> {
                float[] data = new float[n];
                t.getFloatBuffer().get(data);
                yield HostTensor.of(shape, data);
            }
            case INT32 -> {
                int[] data = new int[n];
                t.getIntBuffer().get(data);
                yield HostTensor.of(shape, data);
            }
            case INT64 -> {
                long[] data = new long[n];
                t.getLongBuffer().get(data);
                yield HostTensor.of(shape, data);
            }
        });
    }

    /**
     * @param info a value's description
     * @return its Pretext element type, or empty when there is none (doubles, strings, maps...)
     */
    static Optional<DType> dtypeOf(ValueInfo info) {
        if (!(info instanceof TensorInfo t)) {
            return Optional.empty();
        }
        if (t.type == OnnxJavaType.FLOAT) {
            return Optional.of(DType.FLOAT32);
        }
        if (t.type == OnnxJavaType.INT32) {
            return Optional.of(DType.INT32);
        }
        if (t.type == OnnxJavaType.INT64) {
            return Optional.of(DType.INT64);
        }
        return Optional.empty();
    }

    /**
     * @param info a value's description
     * @return a readable type, e.g. {@code FLOAT [-1, 16]}
     */
    static String describe(ValueInfo info) {
        if (info instanceof TensorInfo t) {
            return t.type + " " + Arrays.toString(t.getShape());
        }
        return info.toString();
    }
}
