package io.pretext.api.tensor;

import java.util.Arrays;

/**
 * A dense tensor in Java memory, row-major. This is how data crosses the boundary between host
 * code (data sources, pretext-task preparation, checkpoints) and a backend.
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.STABLE)
public sealed interface HostTensor permits HostTensor.Floats, HostTensor.Ints, HostTensor.Longs {

    /** @return the tensor's shape */
    Shape shape();

    /** @return the element type */
    DType dtype();

    /**
     * @param shape the shape
     * @param data row-major values; the array is taken, not copied (host tensors are handed over)
     * @return a float tensor
     */
    static Floats of(Shape shape, float[] data) {
        return new Floats(shape, data);
    }

    /**
     * @param shape the shape
     * @param data row-major values; taken, not copied
     * @return an int tensor
     */
    static Ints of(Shape shape, int[] data) {
        return new Ints(shape, data);
    }

    /**
     * @param shape the shape
     * @param data row-major values; taken, not copied
     * @return a long tensor
     */
    static Longs of(Shape shape, long[] data) {
        return new Longs(shape, data);
    }

    /**
     * @param value the value
     * @return a float scalar
     */
    static Floats scalar(float value) {
        return new Floats(Shape.SCALAR, new float[] {value});
    }

    private static void check(Shape shape, int length) {
        if (shape.size() != length) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " values, got " + length);
        }
    }

    /**
     * Float32 values.
     *
     * @param shape the shape
     * @param data row-major values
     */
    record Floats(Shape shape, float[] data) implements HostTensor {
        /** Checks that the data fills the shape. */
        public Floats {
            check(shape, data.length);
        }

        @Override
        public DType dtype() {
            return DType.FLOAT32;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Floats f && shape.equals(f.shape) && Arrays.equals(data, f.data);
        }

        @Override
        public int hashCode() {
            return 31 * shape.hashCode() + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Floats" + shape + (data.length <= 8 ? Arrays.toString(data) : "");
        }
    }

    /**
     * Int32 values.
     *
     * @param shape the shape
     * @param data row-major values
     */
    record Ints(Shape shape, int[] data) implements HostTensor {
        /** Checks that the data fills the shape. */
        public Ints {
            check(shape, data.length);
        }

        @Override
        public DType dtype() {
            return DType.INT32;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ints f && shape.equals(f.shape) && Arrays.equals(data, f.data);
        }

        @Override
        public int hashCode() {
            return 31 * shape.hashCode() + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Ints" + shape + (data.length <= 8 ? Arrays.toString(data) : "");
        }
    }

    /**
     * Int64 values.
     *
     * @param shape the shape
     * @param data row-major values
     */
    record Longs(Shape shape, long[] data) implements HostTensor {
        /** Checks that the data fills the shape. */
        public Longs {
            check(shape, data.length);
        }

        @Override
        public DType dtype() {
            return DType.INT64;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Longs f && shape.equals(f.shape) && Arrays.equals(data, f.data);
        }

        @Override
        public int hashCode() {
            return 31 * shape.hashCode() + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Longs" + shape + (data.length <= 8 ? Arrays.toString(data) : "");
        }
    }
}
