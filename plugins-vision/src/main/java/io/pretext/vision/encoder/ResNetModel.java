package io.pretext.vision.encoder;

import io.pretext.api.EncoderModel;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.layers.Pooling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A configured {@code resnet}. Parameters: {@code <scope>/stem/{conv,norm}},
 * {@code <scope>/stage<s>/block<b>/{conv1,norm1,conv2,norm2}} and, where the shape changes,
 * {@code .../shortcut/{conv,norm}}. Convolutions have a bias only without normalization.
 */
final class ResNetModel implements EncoderModel {
    private final String scope;
    private final Shape inputShape;
    private final int[] widths;
    private final ConvNorm stem;
    private final List<Block> blocks;
    private final List<ParamSpec> parameters;

    /**
     * A basic residual block: {@code relu(norm2(conv2(relu(norm1(conv1(x))))) + shortcut(x))}.
     *
     * @param first the first convolution (strided when the block halves the resolution)
     * @param second the second convolution
     * @param shortcut the 1x1 projection where the shape changes, else empty (identity)
     */
    private record Block(ConvNorm first, ConvNorm second, Optional<ConvNorm> shortcut) {
    }

    ResNetModel(String scope, Shape inputShape, int[] widths, int[] blocks, Norm norm, int groups) {
        this.scope = scope;
        this.inputShape = inputShape;
        this.widths = widths.clone();
        boolean bias = norm == Norm.NONE;
        this.stem = ConvNorm.of(scope + "/stem/conv", scope + "/stem/norm", 3, inputShape.dim(2), widths[0], 1, bias, norm, groups);
        List<ParamSpec> specs = new ArrayList<>(stem.parameters());
        List<Block> list = new ArrayList<>();
        int in = widths[0];
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                String block = scope + "/stage" + s + "/block" + b;
                int out = widths[s];
                int stride = s > 0 && b == 0 ? 2 : 1;
                ConvNorm first = ConvNorm.of(block + "/conv1", block + "/norm1", 3, in, out, stride, bias, norm, groups);
                ConvNorm second = ConvNorm.of(block + "/conv2", block + "/norm2", 3, out, out, 1, bias, norm, groups);
                Optional<ConvNorm> shortcut = stride != 1 || in != out
                        ? Optional.of(ConvNorm.of(block + "/shortcut/conv", block + "/shortcut/norm", 1, in, out, stride, bias, norm, groups))
                        : Optional.empty();
                specs.addAll(first.parameters());
                specs.addAll(second.parameters());
                shortcut.ifPresent(c -> specs.addAll(c.parameters()));
                list.add(new Block(first, second, shortcut));
                in = out;
            }
        }
        this.blocks = List.copyOf(list);
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
        return Shape.of(widths[widths.length - 1]);
    }

    @Override
    public List<ParamSpec> parameters() {
        return parameters;
    }

    @Override
    public Tensor forward(Ops ops, Params params, Tensor input, Mode mode) {
        ImageInput.requireBatch("resnet", scope, inputShape, input);
        Tensor x = ops.relu(stem.apply(ops, params, ops.fromNhwc(input), mode));
        for (Block block : blocks) {
            Tensor y = ops.relu(block.first().apply(ops, params, x, mode));
            y = block.second().apply(ops, params, y, mode);
            Tensor shortcut = block.shortcut().isPresent() ? block.shortcut().get().apply(ops, params, x, mode) : x;
            x = ops.relu(ops.add(y, shortcut));
        }
        return Pooling.globalAverage(ops, x);
    }
}
