package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * Learned position embeddings added to a sequence of tokens (ViT, BERT). It declares one parameter
 * named exactly {@code <name>}, [length, width], drawn from a normal with standard deviation 0.02
 * truncated at two. A sequence shorter than {@code length} gets the first positions.
 *
 * @param name the parameter's name
 * @param length the longest sequence
 * @param width token width
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record PositionEmbedding(String name, int length, int width) implements Layer {

    /** Checks the sizes. */
    public PositionEmbedding {
        Objects.requireNonNull(name, "name");
        if (length < 1 || width < 1) {
            throw new IllegalArgumentException("position embedding '" + name + "' needs a positive length and width, got " + length + ", "
                    + width);
        }
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.trainable(name, Shape.of(length, width), new Initializer.TruncatedNormal(0.02)));
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param tokens [batch, tokens, width] with at most {@code length} tokens
     * @return the tokens with the embedding of their position added
     * @throws ShapeException when the sequence is longer than {@code length} or not {@code width} wide
     */
    public Tensor apply(Ops ops, Params params, Tensor tokens) {
        Shape s = tokens.shape();
        if (s.rank() != 3 || s.dim(1) > length || s.dim(2) != width) {
            throw new ShapeException("position-embedding", "layer '" + name + "' takes [batch, up to " + length + ", " + width + "], got "
                    + s);
        }
        Tensor table = params.get(name);
        Tensor used = s.dim(1) == length ? table : ops.slice(table, new int[] {0, 0}, new int[] {s.dim(1), width});
        return ops.add(tokens, used);
    }
}
