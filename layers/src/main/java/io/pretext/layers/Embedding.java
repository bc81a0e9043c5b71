package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * A lookup table of learned vectors, one per token id: the token embedding of a text encoder. It
 * declares one parameter named exactly {@code <name>}, [vocabulary, width]. The same table can
 * serve as a tied output head ({@link #logits}), as BERT and GPT tie their input embedding and
 * their prediction layer.
 *
 * @param name the parameter's name
 * @param vocabulary number of token ids
 * @param width embedding width
 * @param initializer how the table is first drawn
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record Embedding(String name, int vocabulary, int width, Initializer initializer) implements Layer {

    /** Checks the sizes. */
    public Embedding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initializer, "initializer");
        if (vocabulary < 1 || width < 1) {
            throw new IllegalArgumentException("embedding '" + name + "' needs a positive vocabulary and width, got " + vocabulary + ", "
                    + width);
        }
    }

    /**
     * @param name the parameter's name
     * @param vocabulary number of token ids
     * @param width embedding width
     * @return an embedding drawn from a normal with standard deviation 0.02 truncated at two (BERT's)
     */
    public static Embedding of(String name, int vocabulary, int width) {
        return new Embedding(name, vocabulary, width, new Initializer.TruncatedNormal(0.02));
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.trainable(name, Shape.of(vocabulary, width), initializer));
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param ids integer token ids of any shape, each in [0, vocabulary)
     * @return the ids' vectors, [...ids shape, width]
     * @throws ShapeException when the ids are not integers
     */
    public Tensor apply(Ops ops, Params params, Tensor ids) {
        if (ids.dtype() == DType.FLOAT32) {
            throw new ShapeException("embedding", "layer '" + name + "' takes integer token ids, got " + ids.dtype() + ids.shape());
        }
        return ops.gather(params.get(name), ids, 0);
    }

    /**
     * The tied output head: scores every token id against each vector by a dot product with its
     * embedding.
     *
     * @param ops op set
     * @param params parameters
     * @param x [..., width], rank 2 or more
     * @return [..., vocabulary]
     * @throws ShapeException when the last axis of x is not {@code width} wide
     */
    public Tensor logits(Ops ops, Params params, Tensor x) {
        int[] d = x.shape().dims();
        if (d.length < 2 || d[d.length - 1] != width) {
            throw new ShapeException("embedding", "tied head '" + name + "' takes [..., " + width + "], got " + x.shape());
        }
        Tensor table = params.get(name);
        Tensor flat = d.length == 2 ? x : ops.reshape(x, Shape.of(Math.toIntExact(x.shape().size() / width), width));
        Tensor y = ops.matmul(flat, table, false, true);
        if (d.length == 2) {
            return y;
        }
        d[d.length - 1] = vocabulary;
        return ops.reshape(y, Shape.of(d));
    }
}
