package io.pretext.vision.encoder;

import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.PretextApi;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.util.List;

/**
 * The {@code cnn} encoder: 3x3 convolutions (stride 1, same padding) with ReLU, 2x2 max pooling
 * after chosen layers, optional batch or group normalization, then global average pooling to a
 * vector as wide as the last layer. The defaults are the SimCLR digits reference's encoder:
 * {@code conv(32) relu, conv(64) relu maxpool2, conv(128) relu, mean} (128-d).
 */
public final class CnnEncoder implements Encoder {
    /** Option: output channels per convolution. */
    public static final String CHANNELS = "channels";
    /** Option: convolutions followed by max pooling. */
    public static final String POOL_AFTER = "pool-after";
    /** Option: kernel side. */
    public static final String KERNEL = "kernel-size";
    /** Option: normalization after each convolution. */
    public static final String NORMALIZATION = "normalization";
    /** Option: groups of group normalization. */
    public static final String GROUPS = "groups";

    @Override
    public String id() {
        return "cnn";
    }

    @Override
    public String description() {
        return "Small CNN: 3x3 convolutions + ReLU, 2x2 max pooling, optional batch/group norm, global average pooling";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.integers(CHANNELS, List.of(32L, 64L, 128L), "output channels of each convolution; the last is the embedding width")
                        .nonEmpty().atLeast(1),
                OptionSpec.integers(POOL_AFTER, List.of(2L), "1-based indices of the convolutions followed by 2x2 max pooling").atLeast(1),
                OptionSpec.integer(KERNEL, 3, "kernel side (odd)").between(1, 15),
                OptionSpec.choice(NORMALIZATION, "none", "normalization after each convolution, before the ReLU", "none", "batch", "group"),
                OptionSpec.integer(GROUPS, 8, "channel groups of group normalization (must divide every width)").between(1, 1024));
    }

    @Override
    public EncoderModel create(Options options, Shape inputShape, String scope) {
        int[] image = ImageEncoders.image(id(), inputShape);
        int[] channels = options.getInts(CHANNELS);
        int[] poolAfter = options.getInts(POOL_AFTER);
        boolean[] pool = new boolean[channels.length];
        int h = image[0];
        int w = image[1];
        for (int p : poolAfter) {
            if (p > channels.length) {
                throw new InvalidOptionException(options.key(POOL_AFTER), p + " names no convolution: " + options.key(CHANNELS)
                        + " has " + channels.length);
            }
            pool[p - 1] = true;
        }
        for (int i = 0; i < channels.length; i++) {
            if (pool[i]) {
                h /= 2;
                w /= 2;
                if (h == 0 || w == 0) {
                    throw new io.pretext.api.error.ShapeException(id(), "a " + image[0] + "x" + image[1] + " input is pooled to nothing after "
                            + "convolution " + (i + 1) + "; pool less (" + options.key(POOL_AFTER) + ")");
                }
            }
        }
        int kernel = options.getInt(KERNEL);
        if (kernel % 2 == 0) {
            throw new InvalidOptionException(options.key(KERNEL), kernel + " is even; a kernel has a centre pixel: use an odd size");
        }
        Norm norm = Norm.ofImage(options.key(NORMALIZATION), options.getString(NORMALIZATION));
        int groups = options.getInt(GROUPS);
        if (norm == Norm.GROUP) {
            for (int c : channels) {
                if (c % groups != 0) {
                    throw new InvalidOptionException(options.key(GROUPS), groups + " groups do not divide " + c + " channels");
                }
            }
        }
        return new CnnModel(scope, inputShape, channels, pool, kernel, norm, groups);
    }
}
