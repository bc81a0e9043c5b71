package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pre-norm Transformer encoder block (as in ViT, MAE and GPT-2) over tokens [batch, tokens, width]:
 * {@code x = x + dropout(attention(norm1(x)))}, then {@code x = x + dropout(fc2(gelu(fc1(norm2(x)))))}.
 *
 * <p>Parameters, in this order: {@code <name>/norm1} ({@link LayerNorm}), {@code <name>/attention}
 * ({@link MultiHeadAttention}), {@code <name>/norm2}, {@code <name>/mlp/fc1} [width, hidden] and
 * {@code <name>/mlp/fc2} [hidden, width] ({@link Dense.Init#XAVIER}).
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public final class TransformerBlock implements Layer {
    private final String name;
    private final LayerNorm norm1;
    private final MultiHeadAttention attention;
    private final LayerNorm norm2;
    private final Dense fc1;
    private final Dense fc2;
    private final Dropout dropout;

    /**
     * @param name parameter-name prefix, e.g. {@code encoder/transformer/block0}
     * @param width token width
     * @param heads attention heads; divides {@code width}
     * @param hidden width of the MLP
     * @param dropout dropout rate after the attention and after the MLP in training, in [0, 1)
     * @throws IllegalArgumentException when the heads do not divide the width, or a size or rate is out of range
     */
    public TransformerBlock(String name, int width, int heads, int hidden, float dropout) {
        this.name = Objects.requireNonNull(name, "name");
        this.norm1 = LayerNorm.of(name + "/norm1", width);
        this.attention = new MultiHeadAttention(name + "/attention", width, heads);
        this.norm2 = LayerNorm.of(name + "/norm2", width);
        this.fc1 = Dense.xavier(name + "/mlp/fc1", width, hidden);
        this.fc2 = Dense.xavier(name + "/mlp/fc2", hidden, width);
        this.dropout = new Dropout(dropout);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the token width */
    public int width() {
        return attention.width();
    }

    /** @return the self-attention of this block */
    public MultiHeadAttention attention() {
        return attention;
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> specs = new ArrayList<>();
        specs.addAll(norm1.parameters());
        specs.addAll(attention.parameters());
        specs.addAll(norm2.parameters());
        specs.addAll(fc1.parameters());
        specs.addAll(fc2.parameters());
        return List.copyOf(specs);
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x tokens [batch, tokens, width]
     * @param mask which tokens each token may attend to
     * @param mode training (dropout on) or evaluation
     * @return the tokens after the block, [batch, tokens, width]
     */
    public Tensor apply(Ops ops, Params params, Tensor x, AttentionMask mask, Mode mode) {
        Tensor a = attention.apply(ops, params, norm1.apply(ops, params, x), mask);
        x = ops.add(x, dropout.apply(ops, a, mode));
        Tensor m = fc1.apply(ops, params, norm2.apply(ops, params, x));
        m = fc2.apply(ops, params, ops.gelu(m));
        return ops.add(x, dropout.apply(ops, m, mode));
    }
}
