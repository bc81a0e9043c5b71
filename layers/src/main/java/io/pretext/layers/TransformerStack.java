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
 * A pre-norm Transformer encoder: {@code depth} {@link TransformerBlock}s and a final layer norm,
 * over tokens [batch, tokens, width]. The {@code vit} encoder and the masked autoencoder's decoder
 * are built on it. Parameters: {@code <name>/block<i>/...} for each block (see
 * {@link TransformerBlock}), then {@code <name>/norm}.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public final class TransformerStack implements Layer {
    private final String name;
    private final List<TransformerBlock> blocks;
    private final LayerNorm norm;

    /**
     * @param name parameter-name prefix, e.g. {@code encoder/transformer}
     * @param depth number of blocks, at least 1
     * @param width token width
     * @param heads attention heads; divides {@code width}
     * @param hidden width of each block's MLP
     * @param dropout dropout rate after attention and MLP in training, in [0, 1)
     * @throws IllegalArgumentException when a size or the rate is out of range
     */
    public TransformerStack(String name, int depth, int width, int heads, int hidden, float dropout) {
        this.name = Objects.requireNonNull(name, "name");
        if (depth < 1) {
            throw new IllegalArgumentException("a Transformer ('" + name + "') needs at least one block, got " + depth);
        }
        List<TransformerBlock> list = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            list.add(new TransformerBlock(name + "/block" + i, width, heads, hidden, dropout));
        }
        this.blocks = List.copyOf(list);
        this.norm = LayerNorm.of(name + "/norm", width);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the token width */
    public int width() {
        return norm.width();
    }

    /** @return the blocks, in order */
    public List<TransformerBlock> blocks() {
        return blocks;
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> specs = new ArrayList<>();
        for (TransformerBlock b : blocks) {
            specs.addAll(b.parameters());
        }
        specs.addAll(norm.parameters());
        return List.copyOf(specs);
    }

    /**
     * Every token attends to every token.
     *
     * @param ops op set
     * @param params parameters
     * @param x tokens [batch, tokens, width]
     * @param mode training (dropout on) or evaluation
     * @return the encoded tokens [batch, tokens, width], layer-normalized
     */
    public Tensor apply(Ops ops, Params params, Tensor x, Mode mode) {
        return apply(ops, params, x, AttentionMask.NONE, mode);
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x tokens [batch, tokens, width]
     * @param mask which tokens each token may attend to, in every block
     * @param mode training (dropout on) or evaluation
     * @return the encoded tokens [batch, tokens, width], layer-normalized
     */
    public Tensor apply(Ops ops, Params params, Tensor x, AttentionMask mask, Mode mode) {
        for (TransformerBlock b : blocks) {
            x = b.apply(ops, params, x, mask, mode);
        }
        return norm.apply(ops, params, x);
    }
}
