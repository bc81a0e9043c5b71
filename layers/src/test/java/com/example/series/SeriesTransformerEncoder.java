package com.example.series;

import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.PretextApi;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.layers.Dense;
import io.pretext.layers.Pooling;
import io.pretext.layers.PositionEmbedding;
import io.pretext.layers.TransformerStack;
import java.util.ArrayList;
import java.util.List;

/** A Transformer over windows of a multivariate series, [steps, channels] per example. */
public final class SeriesTransformerEncoder implements Encoder {

    @Override
    public String id() {
        return "series-transformer";
    }

    @Override
    public String description() {
        return "Transformer over [steps, channels] windows; the embedding is the mean of the encoded steps";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.integer("dim", 32, "token width, which is also the embedding width").between(1, 4096),
                OptionSpec.integer("depth", 2, "Transformer blocks").between(1, 64),
                OptionSpec.integer("heads", 4, "attention heads; must divide dim").between(1, 64));
    }

    @Override
    public EncoderModel create(Options options, Shape inputShape, String scope) {
        if (inputShape.rank() != 2) {
            throw new ShapeException(id(), "needs [steps, channels] per example, got " + inputShape);
        }
        int dim = options.getInt("dim");
        int heads = options.getInt("heads");
        if (dim % heads != 0) {
            throw new InvalidOptionException(options.key("heads"), heads + " heads do not divide " + options.key("dim") + " (" + dim + ")");
        }
        return new Model(scope, inputShape, dim, options.getInt("depth"), heads);
    }

    /** The configured network: each step is a token; every parameter comes from a layer. */
    static final class Model implements EncoderModel {
        private final String scope;
        private final Shape inputShape;
        private final Dense embed;
        private final PositionEmbedding positions;
        private final TransformerStack transformer;
        private final List<ParamSpec> parameters = new ArrayList<>();

        Model(String scope, Shape inputShape, int dim, int depth, int heads) {
            this.scope = scope;
            this.inputShape = inputShape;
            this.embed = Dense.linear(scope + "/embed", inputShape.dim(1), dim);
            this.positions = new PositionEmbedding(scope + "/position", inputShape.dim(0), dim);
            this.transformer = new TransformerStack(scope + "/transformer", depth, dim, heads, 2 * dim, 0.1f);
            parameters.addAll(embed.parameters());
            parameters.addAll(positions.parameters());
            parameters.addAll(transformer.parameters());
        }

        @Override
        public String scope() {
            return scope;
        }

        @Override
        public Shape inputShape() {
            return inputShape;
        }

        @Override
        public Shape outputShape() {
            return Shape.of(transformer.width());
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.copyOf(parameters);
        }

        @Override
        public Tensor forward(Ops ops, Params params, Tensor input, Mode mode) {
            Tensor tokens = positions.apply(ops, params, embed.apply(ops, params, input));
            return Pooling.meanOverTokens(ops, transformer.apply(ops, params, tokens, mode));
        }
    }
}
