package io.pretext.vision.encoder;

import io.pretext.api.EncoderModel;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** A configured {@code cnn}: conv layers {@code <scope>/conv<i>} and, with normalization, {@code <scope>/norm<i>}. */
final class CnnModel implements EncoderModel {
    private final String scope;
    private final Shape inputShape;
    private final int[] channels;
    private final boolean[] pool;
    private final Norm norm;
    private final int groups;
    private final List<ParamSpec> parameters;

    CnnModel(String scope, Shape inputShape, int[] channels, boolean[] pool, int kernel, Norm norm, int groups) {
        this.scope = scope;
        this.inputShape = inputShape;
        this.channels = channels.clone();
        this.pool = pool.clone();
        this.norm = norm;
        this.groups = groups;
        List<ParamSpec> specs = new ArrayList<>();
        int in = inputShape.dim(2);
        for (int i = 0; i < channels.length; i++) {
            // A bias before batch norm is cancelled by the mean: left out then, as is usual.
            Layers.declareConv(specs, conv(i), kernel, in, channels[i], norm != Norm.BATCH);
            Layers.declareNorm(specs, normName(i), norm, channels[i]);
            in = channels[i];
        }
        this.parameters = List.copyOf(specs);
    }

    private String conv(int i) {
        return scope + "/conv" + i;
    }

    private String normName(int i) {
        return scope + "/norm" + i;
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
        Layers.requireImageBatch("cnn", scope, inputShape, input);
        Tensor x = ops.fromNhwc(input);
        for (int i = 0; i < channels.length; i++) {
            x = Layers.conv(ops, params, conv(i), x, 1, norm != Norm.BATCH);
            x = Layers.normalizeImage(ops, params, normName(i), norm, groups, x, mode);
            x = ops.relu(x);
            if (pool[i]) {
                x = ops.maxPool2d(x, 2, 2, Padding.VALID);
            }
        }
        return Layers.globalAveragePool(ops, x);
    }
}
