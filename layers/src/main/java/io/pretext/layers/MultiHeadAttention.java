package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Multi-head self-attention (Vaswani et al. 2017) over tokens [batch, tokens, width]: queries, keys
 * and values are dense projections of the tokens, split into {@code heads} heads; each head mixes
 * the values with {@code softmax(q k^T / sqrt(width / heads) + mask)}, and the heads are merged and
 * projected back. Composed from matmul, reshape, transpose and softmax. A mask is applied as a
 * bias of {@link #MASKED} on the scores of hidden keys, so a hidden key's weight is exactly zero
 * and a row whose keys are all hidden stays finite.
 *
 * <p>Parameters, all {@link Dense.Init#XAVIER}: {@code <name>/query}, {@code <name>/key},
 * {@code <name>/value} and {@code <name>/output}, each {@code /kernel} [width, width] and
 * {@code /bias} [width].
 *
 * @param name parameter-name prefix
 * @param width token width
 * @param heads number of heads; divides {@code width}
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record MultiHeadAttention(String name, int width, int heads) implements Layer {

    /** The score bias of a hidden key: far below any real score, and finite. */
    public static final float MASKED = -1e9f;

    /** Checks that the heads divide the width. */
    public MultiHeadAttention {
        Objects.requireNonNull(name, "name");
        if (width < 1 || heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException(heads + " heads do not divide width " + width + " (attention '" + name + "')");
        }
    }

    /** @return the query projection */
    public Dense query() {
        return Dense.xavier(name + "/query", width, width);
    }

    /** @return the key projection */
    public Dense key() {
        return Dense.xavier(name + "/key", width, width);
    }

    /** @return the value projection */
    public Dense value() {
        return Dense.xavier(name + "/value", width, width);
    }

    /** @return the output projection */
    public Dense output() {
        return Dense.xavier(name + "/output", width, width);
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> specs = new ArrayList<>(8);
        for (Dense d : List.of(query(), key(), value(), output())) {
            specs.addAll(d.parameters());
        }
        return List.copyOf(specs);
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x tokens [batch, tokens, width]
     * @param mask which keys each query may see
     * @return the attended tokens [batch, tokens, width]
     * @throws ShapeException when x is not [batch, tokens, width] or the padding mask not [batch, tokens]
     */
    public Tensor apply(Ops ops, Params params, Tensor x, AttentionMask mask) {
        Shape s = x.shape();
        if (s.rank() != 3 || s.dim(2) != width) {
            throw new ShapeException("attention", "layer '" + name + "' takes [batch, tokens, " + width + "], got " + s);
        }
        int n = s.dim(0);
        int t = s.dim(1);
        int dh = width / heads;
        Tensor q = split(ops, query().apply(ops, params, x), n, t, dh);
        Tensor k = split(ops, key().apply(ops, params, x), n, t, dh);
        Tensor v = split(ops, value().apply(ops, params, x), n, t, dh);
        Tensor scores = ops.mul(ops.matmul(q, k, false, true), ops.scalar((float) (1.0 / Math.sqrt(dh))));
        if (mask.padding().isPresent()) {
            scores = ops.add(scores, paddingBias(ops, mask.padding().get(), n, t));
        }
        if (mask.causal()) {
            scores = ops.add(scores, causalBias(ops, t));
        }
        Tensor mixed = ops.matmul(ops.softmax(scores, -1), v);
        Tensor merged = ops.reshape(ops.transpose(mixed, 0, 2, 1, 3), Shape.of(n, t, width));
        return output().apply(ops, params, merged);
    }

    /** [N, T, D] to [N, heads, T, D / heads]. */
    private Tensor split(Ops ops, Tensor x, int n, int t, int dh) {
        return ops.transpose(ops.reshape(x, Shape.of(n, t, heads, dh)), 0, 2, 1, 3);
    }

    /** (keep - 1) * 1e9 as [N, 1, 1, T]: 0 on real keys, {@link #MASKED} on padding, for every head and query. */
    private Tensor paddingBias(Ops ops, Tensor keep, int n, int t) {
        if (!keep.shape().equals(Shape.of(n, t))) {
            throw new ShapeException("attention", "layer '" + name + "': the padding mask must be [batch, tokens] = " + Shape.of(n, t)
                    + ", got " + keep.shape());
        }
        Tensor k = keep.dtype() == DType.FLOAT32 ? keep : ops.cast(keep, DType.FLOAT32);
        Tensor bias = ops.mul(ops.sub(k, ops.scalar(1f)), ops.scalar(-MASKED));
        return ops.reshape(bias, Shape.of(n, 1, 1, t));
    }

    /** [T, T]: 0 where the key is not after the query, {@link #MASKED} where it is. */
    private static Tensor causalBias(Ops ops, int t) {
        float[] bias = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                bias[i * t + j] = MASKED;
            }
        }
        return ops.constant(HostTensor.of(Shape.of(t, t), bias));
    }
}
