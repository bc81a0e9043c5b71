package io.pretext.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.nio.ByteBuffer;

/** Conversions between Pretext's dtypes, shapes and host tensors and DJL's. */
final class DjlTypes {
    private DjlTypes() {
    }

    /**
     * @param dtype a Pretext dtype
     * @return the DJL data type
     */
    static DataType typeOf(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> DataType.FLOAT32;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
        };
    }

    /**
     * @param shape a Pretext shape
     * @return the same DJL shape
     */
    static ai.djl.ndarray.types.Shape shapeOf(Shape shape) {
        int[] d = shape.dims();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = d[i];
        }
        return new ai.djl.ndarray.types.Shape(l);
    }

    /**
     * Copies host data into arena memory and wraps it, without a further copy, as an array of
     * {@code manager}. The array is valid until the arena is reset.
     *
     * @param manager the step's manager
     * @param arena the step's direct memory
     * @param host the values
     * @return the array
     */
    static NDArray wrap(NDManager manager, HostArena arena, HostTensor host) {
        int n = Math.toIntExact(host.shape().size());
        ByteBuffer buffer;
        if (host instanceof HostTensor.Floats f) {
            buffer = arena.take(n * Float.BYTES);
            buffer.asFloatBuffer().put(f.data());
        } else if (host instanceof HostTensor.Ints i) {
            buffer = arena.take(n * Integer.BYTES);
            buffer.asIntBuffer().put(i.data());
        } else {
            buffer = arena.take(n * Long.BYTES);
            buffer.asLongBuffer().put(((HostTensor.Longs) host).data());
        }
        return manager.create(buffer, shapeOf(host.shape()), typeOf(host.dtype()));
    }

    /**
     * Copies host floats into memory PyTorch owns: for arrays that outlive a step (parameters,
     * optimizer slots), which must not depend on any Java buffer staying reachable.
     *
     * @param manager the manager the array belongs to
     * @param host the values
     * @return an array that owns its memory
     */
    static NDArray owned(NDManager manager, HostTensor.Floats host) {
        int n = Math.toIntExact(host.shape().size());
        ByteBuffer buffer = manager.allocateDirect(Math.max(1, n) * Float.BYTES);
        buffer.asFloatBuffer().put(host.data());
        buffer.limit(n * Float.BYTES);
        try (NDArray view = manager.create(buffer, shapeOf(host.shape()), DataType.FLOAT32)) {
            return view.duplicate();
        }
    }

    /**
     * Copies an array into Java memory.
     *
     * @param array the array (float32, int32 or int64)
     * @param shape its static shape
     * @return the host copy
     */
    static HostTensor toHost(NDArray array, Shape shape) {
        return switch (array.getDataType()) {
            case FLOAT32 -> HostTensor.of(shape, array.toFloatArray());
            case INT32 -> HostTensor.of(shape, array.toIntArray());
            case INT64 -> HostTensor.of(shape, array.toLongArray());
            default -> throw new IllegalStateException("unexpected array type " + array.getDataType());
        };
    }

    /**
     * @param array a float array
     * @param shape its static shape
     * @return the host copy
     */
    static HostTensor.Floats toFloats(NDArray array, Shape shape) {
        return HostTensor.of(shape, array.toFloatArray());
    }

    /**
     * @param array a one-element array of any numeric type
     * @return its value
     */
    static double scalarValue(NDArray array) {
        return switch (array.getDataType()) {
            case FLOAT32 -> array.toFloatArray()[0];
            case INT32 -> array.toIntArray()[0];
            case INT64 -> array.toLongArray()[0];
            default -> throw new IllegalStateException("unexpected array type " + array.getDataType());
        };
    }
}
