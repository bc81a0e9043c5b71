package io.pretext.testkit;

import io.pretext.api.error.ShapeException;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Shape;
import io.pretext.testkit.ReferenceOps.Value;
import java.util.List;

/** The reference kernels that move values: transpose, concat, slice, gather and one-hot, as row-major loops. */
final class ReferenceShapes {
    private ReferenceShapes() {
    }

    /** @return row-major strides of a shape */
    static int[] strides(Shape s) {
        int[] st = new int[s.rank()];
        int stride = 1;
        for (int k = s.rank() - 1; k >= 0; k--) {
            st[k] = stride;
            stride *= s.dim(k);
        }
        return st;
    }

    static Value transpose(Value a, int[] permutation, Shape out) {
        int rank = out.rank();
        int[] inStrides = strides(a.shape());
        double[] r = new double[a.data().length];
        int[] idx = new int[rank];
        for (int i = 0; i < r.length; i++) {
            int src = 0;
            for (int q = 0; q < rank; q++) {
                src += idx[q] * inStrides[permutation[q]];
            }
            r[i] = a.data()[src];
            for (int q = rank - 1; q >= 0; q--) {
                if (++idx[q] < out.dim(q)) {
                    break;
                }
                idx[q] = 0;
            }
        }
        return new Value(out, a.dtype(), r);
    }

    /** @return a transposed to the given permutation, its shape permuted alike */
    static Value transpose(Value a, int... permutation) {
        int[] d = new int[permutation.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.shape().dim(permutation[i]);
        }
        return transpose(a, permutation, new Shape(d));
    }

    static Value concat(List<Value> parts, int axis, Shape out) {
        int outer = 1;
        for (int q = 0; q < axis; q++) {
            outer *= out.dim(q);
        }
        double[] r = new double[Math.toIntExact(out.size())];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (Value p : parts) {
                int chunk = Math.toIntExact(p.shape().size() / outer);
                System.arraycopy(p.data(), o * chunk, r, pos, chunk);
                pos += chunk;
            }
        }
        return new Value(out, parts.get(0).dtype(), r);
    }

    static Value slice(Value a, int[] begin, int[] size) {
        Shape out = new Shape(size);
        int rank = out.rank();
        int[] inStrides = strides(a.shape());
        double[] r = new double[Math.toIntExact(out.size())];
        int[] idx = new int[rank];
        for (int i = 0; i < r.length; i++) {
            int src = 0;
            for (int q = 0; q < rank; q++) {
                src += (begin[q] + idx[q]) * inStrides[q];
            }
            r[i] = a.data()[src];
            for (int q = rank - 1; q >= 0; q--) {
                if (++idx[q] < out.dim(q)) {
                    break;
                }
                idx[q] = 0;
            }
        }
        return new Value(out, a.dtype(), r);
    }

    static Value gather(Value p, Value ix, int axis, Shape out) {
        int outer = 1;
        for (int q = 0; q < axis; q++) {
            outer *= p.shape().dim(q);
        }
        int len = p.shape().dim(axis);
        int inner = Math.toIntExact(p.shape().size() / ((long) outer * len));
        double[] r = new double[Math.toIntExact(out.size())];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (double di : ix.data()) {
                int j = (int) di;
                // A value check no shape rule can make: the reference refuses what a backend would read out of bounds.
                if (j < 0 || j >= len) {
                    throw new ShapeException("gather", "index " + j + " out of range [0, " + len + ") for params " + p.shape());
                }
                System.arraycopy(p.data(), (o * len + j) * inner, r, pos, inner);
                pos += inner;
            }
        }
        return new Value(out, p.dtype(), r);
    }

    static Value oneHot(Value ix, int depth, Shape out) {
        double[] r = new double[Math.toIntExact(out.size())];
        for (int i = 0; i < ix.data().length; i++) {
            int j = (int) ix.data()[i];
            if (j >= 0 && j < depth) { // out-of-range indices give an all-zero row, as in TensorFlow
                r[i * depth + j] = 1;
            }
        }
        return new Value(out, DType.FLOAT32, r);
    }
}
