package io.pretext.vision.encoder;

import io.pretext.api.EncoderModel;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.layers.Pooling;
import java.util.ArrayList;
import java.util.List;

/** A configured {@code cnn}: conv layers {@code <scope>/conv<i>} and, with normalization, {@code <scope>/norm<i>}. */
final class CnnModel implements EncoderModel {
    private final String scope;
    private final Shape inputShape;
    private final int[] channels;
    private final boolean[] pool;
    private final List<ConvNorm> layers;
    private final List<ParamSpec> parameters;

    CnnModel(String scope, Shape inputShape, int[] channels, boolean[] pool, int kernel, Norm norm, int groups) {
        this.scope = scope;
        this.inputShape = inputShape;
        this.channels = channels.clone();
        this.pool = pool.clone();
        List<ConvNorm> units = new ArrayList<>();
        List<ParamSpec> specs = new ArrayList<>();
        int in = inputShape.dim(2);
        for (int i = 0; i < channels.length; i++) {
            // A bias before batch norm is cancelled by the mean: left out then, as is usual.
            ConvNorm unit = ConvNorm.of(scope + "/conv" + i, scope + "/norm" + i, kernel, in, channels[i], 1, norm != Norm.BATCH, norm,
                    groups);
            units.add(unit);
            specs.addAll(unit.parameters());
            in = channels[i];
        }
        this.layers = List.copyOf(units);
        this.parameters = List.copyOf(specs);
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
        return Shape.of(channels[channels.length - 1]);
    }

    @Override
    public List<ParamSpec> parameters() {
        return parameters;
    }

    @Override
    public Tensor forward(Ops ops, Params params, Tensor input, Mode mode) {
        ImageInput.requireBatch("cnn", scope, inputShape, input);
        Tensor x = ops.fromNhwc(input);
        for (int i = 0; i < channels.length; i++) {
            x = ops.relu(layers.get(i).apply(ops, params, x, mode));
            if (pool[i]) {
                x = Pooling.max(ops, x, 2, 2, Padding.VALID);
            }
        }
        return Pooling.globalAverage(ops, x);
    }
}
