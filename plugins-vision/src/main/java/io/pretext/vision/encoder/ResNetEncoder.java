package io.pretext.vision.encoder;

import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.PretextApi;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code resnet} encoder: a small ResNet for 28x28 to 64x64 images (He et al. 2016, the CIFAR
 * variant): a 3x3 stem, then stages of basic residual blocks (two 3x3 convolutions, normalization,
 * ReLU, identity or 1x1 projection shortcut), each stage after the first halving the resolution,
 * then global average pooling. Batch normalization by default; group normalization for small or
 * uneven batches.
 */
public final class ResNetEncoder implements Encoder {
    /** Option: width of each stage. */
    public static final String WIDTHS = "widths";
    /** Option: residual blocks per stage. */
    public static final String BLOCKS = "blocks";
    /** Option: normalization. */
    public static final String NORMALIZATION = "normalization";
    /** Option: groups of group normalization. */
    public static final String GROUPS = "groups";

    @Override
    public String id() {
        return "resnet";
    }

    @Override
    public String description() {
        return "Small ResNet: 3x3 stem, stages of basic residual blocks (batch/group norm), global average pooling";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.integers(WIDTHS, List.of(32L, 64L, 128L), "channels of each stage; stages after the first halve the resolution; "
                        + "the last is the embedding width").nonEmpty().atLeast(1),
                OptionSpec.integers(BLOCKS, List.of(1L), "residual blocks per stage: one value for every stage, or one per stage")
                        .nonEmpty().atLeast(1),
                OptionSpec.choice(NORMALIZATION, "batch", "normalization after each convolution", "batch", "group", "none"),
                OptionSpec.integer(GROUPS, 8, "channel groups of group normalization (must divide every width)").between(1, 1024));
    }

    @Override
    public EncoderModel create(Options options, Shape inputShape, String scope) {
        int[] image = ImageEncoders.image(id(), inputShape);
        int[] widths = options.getInts(WIDTHS);
        int[] blocks = options.getInts(BLOCKS);
        if (blocks.length == 1) {
            int b = blocks[0];
            blocks = new int[widths.length];
            Arrays.fill(blocks, b);
        } else if (blocks.length != widths.length) {
            throw new InvalidOptionException(options.key(BLOCKS), "needs one value, or one per stage (" + widths.length + "), got "
                    + options.getLongs(BLOCKS));
        }
        int side = Math.min(image[0], image[1]);
        if (side >> (widths.length - 1) < 1) {
            throw new io.pretext.api.error.ShapeException(id(), widths.length + " stages halve a " + image[0] + "x" + image[1]
                    + " input to nothing; use fewer stages (" + options.key(WIDTHS) + ")");
        }
        Norm norm = Norm.ofImage(options.key(NORMALIZATION), options.getString(NORMALIZATION));
        int groups = options.getInt(GROUPS);
        if (norm == Norm.GROUP) {
            for (int c : widths) {
                if (c % groups != 0) {
                    throw new InvalidOptionException(options.key(GROUPS), groups + " groups do not divide " + c + " channels");
                }
            }
        }
        return new ResNetModel(scope, inputShape, widths, blocks, norm, groups);
    }
}
