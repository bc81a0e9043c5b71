package io.pretext.vision.encoder;

import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre-norm Transformer encoder blocks over token sequences [N, T, D] (as in ViT and MAE):
 * {@code x + attention(norm(x))}, then {@code x + mlp(norm(x))} with a GELU MLP, and a final layer
 * norm. Multi-head self-attention is composed from matmul, reshape, transpose and softmax. Used
 * by the {@code vit} encoder and by the masked autoencoder's decoder.
 */
public final class TransformerStack {
    private final String scope;
    private final int depth;
    private final int dim;
    private final int heads;
    private final int hidden;
    private final float dropout;
    private final List<ParamSpec> parameters;

    /**
     * @param scope parameter-name prefix, e.g. {@code encoder/transformer}
     * @param depth number of blocks
     * @param dim token width
     * @param heads attention heads (must divide dim)
     * @param hidden width of each block's MLP
     * @param dropout dropout rate after attention and MLP in training, in [0, 1)
     */
    public TransformerStack(String scope, int depth, int dim, int heads, int hidden, float dropout) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException(heads + " heads do not divide width " + dim);
        }
        this.scope = scope;
        this.depth = depth;
        this.dim = dim;
        this.heads = heads;
        this.hidden = hidden;
        this.dropout = dropout;
        List<ParamSpec> specs = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            String b = block(i);
            Layers.declareNorm(specs, b + "/norm1", Norm.LAYER, dim);
            for (String p : List.of("query", "key", "value", "output")) {
                Layers.declareDense(specs, b + "/attention/" + p, dim, dim);
            }
            Layers.declareNorm(specs, b + "/norm2", Norm.LAYER, dim);
            Layers.declareDense(specs, b + "/mlp/fc1", dim, hidden);
            Layers.declareDense(specs, b + "/mlp/fc2", hidden, dim);
        }
        Layers.declareNorm(specs, scope + "/norm", Norm.LAYER, dim);
        this.parameters = List.copyOf(specs);
    }

    private String block(int i) {
        return scope + "/block" + i;
    }

    /** @return the parameters of every block and the final norm */
    public List<ParamSpec> parameters() {
        return parameters;
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x tokens [N, T, D]
     * @param mode training (dropout on) or evaluation
     * @return the encoded tokens [N, T, D], layer-normalized
     */
    public Tensor forward(Ops ops, Params params, Tensor x, Mode mode) {
        for (int i = 0; i < depth; i++) {
            String b = block(i);
            Tensor a = attention(ops, params, b + "/attention", Layers.layerNorm(ops, params, b + "/norm1", x));
            x = ops.add(x, drop(ops, a, mode));
            Tensor m = Layers.dense(ops, params, b + "/mlp/fc1", Layers.layerNorm(ops, params, b + "/norm2", x));
            m = Layers.dense(ops, params, b + "/mlp/fc2", ops.gelu(m));
            x = ops.add(x, drop(ops, m, mode));
        }
        return Layers.layerNorm(ops, params, scope + "/norm", x);
    }

    private Tensor drop(Ops ops, Tensor x, Mode mode) {
        return mode == Mode.TRAIN && dropout > 0 ? ops.dropout(x, dropout) : x;
    }

    private Tensor attention(Ops ops, Params params, String name, Tensor x) {
        int n = x.shape().dim(0);
        int t = x.shape().dim(1);
        int dh = dim / heads;
        Tensor q = split(ops, Layers.dense(ops, params, name + "/query", x), n, t, dh);
        Tensor k = split(ops, Layers.dense(ops, params, name + "/key", x), n, t, dh);
        Tensor v = split(ops, Layers.dense(ops, params, name + "/value", x), n, t, dh);
        Tensor scores = ops.mul(ops.matmul(q, k, false, true), ops.scalar((float) (1.0 / Math.sqrt(dh))));
        Tensor mixed = ops.matmul(ops.softmax(scores, -1), v);
        Tensor merged = ops.reshape(ops.transpose(mixed, 0, 2, 1, 3), Shape.of(n, t, dim));
        return Layers.dense(ops, params, name + "/output", merged);
    }

    /** [N, T, D] to [N, heads, T, D / heads]. */
    private Tensor split(Ops ops, Tensor x, int n, int t, int dh) {
        return ops.transpose(ops.reshape(x, Shape.of(n, t, heads, dh)), 0, 2, 1, 3);
    }
}
