package io.pretext.api.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor. Immutable; every dimension is known (backends compile one program
 * per concrete input signature, so shapes are static inside model code).
 *
 * @param dims the dimensions, outermost first; copied on the way in and out
 */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.STABLE)
public record Shape(int... dims) {

    /** A shape with no dimensions: a scalar. */
    public static final Shape SCALAR = new Shape();

    /** Validates and copies the dimensions. */
    public Shape {
        dims = dims.clone();
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
        }
    }

    /**
     * @param dims the dimensions
     * @return the shape
     */
    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return dims.length;
    }

    /**
     * @param axis an axis; negative counts from the end
     * @return the size of that axis
     */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** @return the number of elements (1 for a scalar) */
    public long size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /**
     * @param axis an axis, negative counting from the end
     * @return the same axis counted from the front
     */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + this);
        }
        return a;
    }

    /**
     * @param first the leading dimension to add
     * @return this shape with {@code first} prepended (e.g. the batch dimension)
     */
    public Shape prepend(int first) {
        int[] d = new int[dims.length + 1];
        d[0] = first;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** @return this shape without its first dimension */
    public Shape dropFirst() {
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** @return this shape without its last dimension */
    public Shape dropLast() {
        return new Shape(Arrays.copyOf(dims, dims.length - 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
