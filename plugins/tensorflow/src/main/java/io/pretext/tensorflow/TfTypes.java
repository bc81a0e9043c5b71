package io.pretext.tensorflow;

import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/** Conversions between Pretext's dtypes, shapes and host tensors and TensorFlow's. */
final class TfTypes {
    private TfTypes() {
    }

    /**
     * @param dtype a Pretext dtype
     * @return the TensorFlow tensor class
     */
    static Class<? extends TType> typeOf(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> TFloat32.class;
            case INT32 -> TInt32.class;
            case INT64 -> TInt64.class;
        };
    }

    /**
     * @param shape a Pretext shape
     * @return the same TensorFlow shape
     */
    static org.tensorflow.ndarray.Shape shapeOf(Shape shape) {
        int[] d = shape.dims();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = d[i];
        }
        return org.tensorflow.ndarray.Shape.of(l);
    }

    /**
     * Copies host data into a new native tensor; the caller closes it.
     *
     * @param host the host tensor
     * @return a TensorFlow tensor with the same values
     */
    static Tensor toTensor(HostTensor host) {
        org.tensorflow.ndarray.Shape s = shapeOf(host.shape());
        // DataBuffers over the Java array: one bulk copy, far cheaper than StdArrays.
        if (host instanceof HostTensor.Floats f) {
            return TFloat32.tensorOf(s, DataBuffers.of(f.data(), true, false));
        } else if (host instanceof HostTensor.Ints i) {
            return TInt32.tensorOf(s, DataBuffers.of(i.data(), true, false));
        } else {
            HostTensor.Longs l = (HostTensor.Longs) host;
            return TInt64.tensorOf(s, DataBuffers.of(l.data(), true, false));
        }
    }

    /**
     * @param values float values
     * @return a rank-1 float tensor; the caller closes it
     */
    static TFloat32 vector(float[] values) {
        return TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(values.length), DataBuffers.of(values, true, false));
    }

    /**
     * Copies a native tensor into Java memory.
     *
     * @param tensor a fetched tensor (not closed here)
     * @param shape its static shape
     * @return the host copy
     */
    static HostTensor toHost(Tensor tensor, Shape shape) {
        int n = Math.toIntExact(shape.size());
        if (tensor instanceof TFloat32 f) {
            float[] data = new float[n];
            f.copyTo(DataBuffers.of(data, false, false));
            return HostTensor.of(shape, data);
        } else if (tensor instanceof TInt32 i) {
            int[] data = new int[n];
            i.copyTo(DataBuffers.of(data, false, false));
            return HostTensor.of(shape, data);
        } else if (tensor instanceof TInt64 l) {
            long[] data = new long[n];
            l.copyTo(DataBuffers.of(data, false, false));
            return HostTensor.of(shape, data);
        }
        throw new IllegalStateException("unexpected fetched tensor type " + tensor.dataType());
    }

    /**
     * @param tensor a fetched float tensor
     * @param shape its static shape
     * @return the host copy
     */
    static HostTensor.Floats toFloats(Tensor tensor, Shape shape) {
        return (HostTensor.Floats) toHost(tensor, shape);
    }

    /**
     * @param tensor a fetched one-element tensor of any numeric type
     * @return its value
     */
    static double scalarValue(Tensor tensor) {
        if (tensor instanceof TFloat32 f) {
            return f.getFloat(new long[tensor.shape().numDimensions()]);
        } else if (tensor instanceof TInt32 i) {
            return i.getInt(new long[tensor.shape().numDimensions()]);
        } else if (tensor instanceof TInt64 l) {
            return l.getLong(new long[tensor.shape().numDimensions()]);
        }
        throw new IllegalStateException("unexpected fetched tensor type " + tensor.dataType());
    }
}
