package io.pretext.vision.encoder;

import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.PretextApi;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.util.List;

/**
 * The {@code vit} encoder: a small Vision Transformer (Dosovitskiy et al. 2021). The image is cut
 * into non-overlapping square patches, each flattened and embedded linearly, a learned position
 * embedding is added, a pre-norm Transformer encodes the tokens, and the embedding is the mean of
 * the encoded tokens. The masked autoencoder drives it token by token ({@link VitModel}).
 */
public final class VitEncoder implements Encoder {
    /** Option: patch side. */
    public static final String PATCH_SIZE = "patch-size";
    /** Option: token width. */
    public static final String DIM = "dim";
    /** Option: Transformer blocks. */
    public static final String DEPTH = "depth";
    /** Option: attention heads. */
    public static final String HEADS = "heads";
    /** Option: MLP width relative to the token width. */
    public static final String MLP_RATIO = "mlp-ratio";
    /** Option: dropout. */
    public static final String DROPOUT = "dropout";

    @Override
    public String id() {
        return "vit";
    }

    @Override
    public String description() {
        return "Small Vision Transformer: patch embedding, learned positions, pre-norm Transformer blocks, mean of the tokens";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.integer(PATCH_SIZE, 4, "side of the square patches; must divide the image height and width")
                        .between(1, 256),
                OptionSpec.integer(DIM, 64, "token width, which is also the embedding width").between(1, 4096),
                OptionSpec.integer(DEPTH, 4, "Transformer blocks").between(1, 64),
                OptionSpec.integer(HEADS, 4, "attention heads; must divide dim").between(1, 64),
                OptionSpec.integer(MLP_RATIO, 2, "MLP width of each block as a multiple of dim").between(1, 16),
                OptionSpec.decimal(DROPOUT, 0.0, "dropout after attention and MLP during training").atLeast(0).lessThan(1));
    }

    @Override
    public EncoderModel create(Options options, Shape inputShape, String scope) {
        int[] image = ImageEncoders.image(id(), inputShape);
        int patch = options.getInt(PATCH_SIZE);
        if (image[0] % patch != 0 || image[1] % patch != 0) {
            throw new ShapeException(id(), "patch size " + patch + " does not divide the " + image[0] + "x" + image[1] + " images; choose "
                    + "a divisor (" + options.key(PATCH_SIZE) + ") or resize the images (the data source's height and width)");
        }
        int dim = options.getInt(DIM);
        int depth = options.getInt(DEPTH);
        int heads = options.getInt(HEADS);
        if (dim % heads != 0) {
            throw new InvalidOptionException(options.key(HEADS), heads + " heads do not divide " + options.key(DIM) + " (" + dim + ")");
        }
        int ratio = options.getInt(MLP_RATIO);
        double dropout = options.getDouble(DROPOUT);
        return new VitModel(scope, inputShape, patch, depth, dim, heads, dim * ratio, (float) dropout);
    }
}
