package io.pretext.core.encoder;

import io.pretext.api.EncoderModel;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.layers.BatchNorm;
import io.pretext.layers.Dense;
import io.pretext.layers.Dropout;
import io.pretext.layers.LayerNorm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A configured MLP, built from the layer library: dense layers {@code <scope>/dense<i>} initialized
 * as PyTorch's {@code nn.Linear}, so that models match the PyTorch references, each optionally
 * followed by batch norm ({@code nn.BatchNorm1d}: momentum 0.1, eps 1e-5, unbiased running
 * variance) or layer norm, whose parameters sit under the same {@code <scope>/dense<i>} prefix.
 */
final class MlpModel implements EncoderModel {
    private final String scope;
    private final Shape inputShape;
    private final int inputWidth;
    private final int[] widths;
    private final Activation activation;
    private final Dropout dropout;
    private final boolean finalActivation;
    private final List<Dense> dense = new ArrayList<>();
    private final List<Optional<io.pretext.layers.Normalization>> norms = new ArrayList<>();
    private final List<ParamSpec> parameters;

    MlpModel(String scope, Shape inputShape, int[] widths, Activation activation, Normalization normalization, float dropout,
             boolean finalActivation) {
        this.scope = scope;
        this.inputShape = inputShape;
        this.inputWidth = Math.toIntExact(inputShape.size());
        this.widths = widths.clone();
        this.activation = activation;
        this.dropout = new Dropout(dropout);
        this.finalActivation = finalActivation;
        List<ParamSpec> specs = new ArrayList<>();
        int in = inputWidth;
        for (int i = 0; i < widths.length; i++) {
            int out = widths[i];
            String layer = scope + "/dense" + i;
            dense.add(Dense.linear(layer, in, out));
            // The norm's gamma and beta (and running statistics) follow the layer's kernel and bias under the same prefix.
            norms.add(!normalized(i) ? Optional.empty() : switch (normalization) {
                case NONE -> Optional.empty();
                case LAYER -> Optional.of(LayerNorm.of(layer, out));
                case BATCH -> Optional.of(BatchNorm.of(layer, out));
            });
            specs.addAll(dense.get(i).parameters());
            norms.get(i).ifPresent(n -> specs.addAll(n.parameters()));
            in = out;
        }
        this.parameters = List.copyOf(specs);
    }

    private boolean normalized(int layer) {
        return layer < widths.length - 1 || finalActivation;
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
        return Shape.of(widths[widths.length - 1]);
    }

    @Override
    public List<ParamSpec> parameters() {
        return parameters;
    }

    @Override
    public Tensor forward(Ops ops, Params params, Tensor input, Mode mode) {
        Shape s = input.shape();
        if (s.rank() < 1 || !s.dropFirst().equals(inputShape)) {
            throw new ShapeException("mlp", "scope '" + scope + "' expects [batch, " + inputShape.toString().replace("[", "")
                    + " but got " + s);
        }
        Tensor x = s.rank() == 2 ? input : ops.reshape(input, Shape.of(s.dim(0), inputWidth));
        for (int i = 0; i < widths.length; i++) {
            x = dense.get(i).apply(ops, params, x);
            if (!normalized(i)) {
                continue;
            }
            if (norms.get(i).isPresent()) {
                x = norms.get(i).get().apply(ops, params, x, mode);
            }
            x = activation.apply(ops, x);
            if (i < widths.length - 1) {
                x = dropout.apply(ops, x, mode);
            }
        }
        return x;
    }
}
