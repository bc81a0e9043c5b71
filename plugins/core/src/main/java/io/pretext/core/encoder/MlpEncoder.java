package io.pretext.core.encoder;

import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.PretextApi;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.util.List;

/**
 * A multilayer perceptron: a stack of dense layers with an activation, optional batch or layer
 * normalization and dropout. Serves as a table encoder and as every projection, decoder or
 * classifier head (a head is an MLP created under another scope).
 */
public final class MlpEncoder implements Encoder {

    /** Option: widths of the dense layers, the last one being the output size. */
    public static final String WIDTHS = "widths";
    /** Option: activation between layers. */
    public static final String ACTIVATION = "activation";
    /** Option: normalization after each hidden dense layer. */
    public static final String NORMALIZATION = "normalization";
    /** Option: dropout rate after each hidden activation. */
    public static final String DROPOUT = "dropout";
    /** Option: whether the last layer is followed by normalization and activation too. */
    public static final String FINAL_ACTIVATION = "final-activation";

    @Override
    public String id() {
        return "mlp";
    }

    @Override
    public String description() {
        return "Multilayer perceptron (dense layers, activation, batch/layer norm, dropout); encoder or head";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.integers(WIDTHS, List.of(256L, 256L, 256L), "widths of the dense layers; the last is the output size")
                        .nonEmpty().atLeast(1),
                OptionSpec.choice(ACTIVATION, "relu", "activation after each layer", "relu", "gelu", "tanh", "sigmoid"),
                OptionSpec.choice(NORMALIZATION, "none", "normalization before each activation", "none", "batch", "layer"),
                OptionSpec.decimal(DROPOUT, 0.0, "dropout rate after each hidden activation").atLeast(0).lessThan(1),
                OptionSpec.flag(FINAL_ACTIVATION, true,
                        "apply normalization and activation after the last layer too (true for encoders, false for heads)"));
    }

    @Override
    public EncoderModel create(Options options, Shape inputShape, String scope) {
        int[] widths = options.getInts(WIDTHS);
        double dropout = options.getDouble(DROPOUT);
        if (inputShape.rank() == 0 || inputShape.size() == 0) {
            throw new io.pretext.api.error.ShapeException("mlp", "needs a non-empty per-example input, got " + inputShape);
        }
        return new MlpModel(scope, inputShape, widths, Activation.valueOf(options.getString(ACTIVATION).toUpperCase()),
                Normalization.valueOf(options.getString(NORMALIZATION).toUpperCase()), (float) dropout,
                options.getBoolean(FINAL_ACTIVATION));
    }
}
