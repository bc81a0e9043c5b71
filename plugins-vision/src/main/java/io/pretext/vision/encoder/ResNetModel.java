package io.pretext.vision.encoder;

import io.pretext.api.EncoderModel;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A configured {@code resnet}. Parameters: {@code <scope>/stem/{conv,norm}},
 * {@code <scope>/stage<s>/block<b>/{conv1,norm1,conv2,norm2}} and, where the shape changes,
 * {@code .../shortcut/{conv,norm}}.
 */
final class ResNetModel implements EncoderModel {
    private final String scope;
    private final Shape inputShape;
    private final int[] widths;
    private final int[] blocks;
    private final Norm norm;
    private final int groups;
    private final boolean bias;
    private final List<ParamSpec> parameters;

    ResNetModel(String scope, Shape inputShape, int[] widths, int[] blocks, Norm norm, int groups) {
        this.scope = scope;
        this.inputShape = inputShape;
        this.widths = widths.clone();
        this.blocks = blocks.clone();
        this.norm = norm;
        this.groups = groups;
        this.bias = norm == Norm.NONE;
        List<ParamSpec> specs = new ArrayList<>();
        Layers.declareConv(specs, scope + "/stem/conv", 3, inputShape.dim(2), widths[0], bias);
        Layers.declareNorm(specs, scope + "/stem/norm", norm, widths[0]);
        int in = widths[0];
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                String block = block(s, b);
                int out = widths[s];
                Layers.declareConv(specs, block + "/conv1", 3, in, out, bias);
                Layers.declareNorm(specs, block + "/norm1", norm, out);
                Layers.declareConv(specs, block + "/conv2", 3, out, out, bias);
                Layers.declareNorm(specs, block + "/norm2", norm, out);
                if (stride(s, b) != 1 || in != out) {
                    Layers.declareConv(specs, block + "/shortcut/conv", 1, in, out, bias);
                    Layers.declareNorm(specs, block + "/shortcut/norm", norm, out);
                }
                in = out;
            }
        }
        this.parameters = List.copyOf(specs);
    }

    private String block(int stage, int index) {
        return scope + "/stage" + stage + "/block" + index;
    }

    private static int stride(int stage, int index) {
        return stage > 0 && index == 0 ? 2 : 1;
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
        Layers.requireImageBatch("resnet", scope, inputShape, input);
        Tensor x = ops.fromNhwc(input);
        x = ops.relu(Layers.normalizeImage(ops, params, scope + "/stem/norm", norm, groups, Layers.conv(ops, params, scope + "/stem/conv", x,
                1, bias), mode));
        int in = widths[0];
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                String block = block(s, b);
                int stride = stride(s, b);
                Tensor y = Layers.conv(ops, params, block + "/conv1", x, stride, bias);
                y = ops.relu(Layers.normalizeImage(ops, params, block + "/norm1", norm, groups, y, mode));
                y = Layers.conv(ops, params, block + "/conv2", y, 1, bias);
                y = Layers.normalizeImage(ops, params, block + "/norm2", norm, groups, y, mode);
                Tensor shortcut = x;
                if (stride != 1 || in != widths[s]) {
                    shortcut = Layers.conv(ops, params, block + "/shortcut/conv", x, stride, bias);
                    shortcut = Layers.normalizeImage(ops, params, block + "/shortcut/norm", norm, groups, shortcut, mode);
                }
                x = ops.relu(ops.add(y, shortcut));
                in = widths[s];
            }
        }
        return Layers.globalAveragePool(ops, x);
    }
}
