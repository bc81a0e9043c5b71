package io.pretext.vision.source;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import io.pretext.vision.image.Channels;
import io.pretext.vision.image.Fit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The options every image source shares: the size and channel count the encoder receives, how
 * other aspect ratios are fitted, what a bad image does, and an optional seeded subset.
 *
 * @param height target rows, or 0 for the size as stored
 * @param width target columns, or 0 for the size as stored
 * @param channels target channels: 1, 3, or 0 for as stored
 * @param fit how other aspect ratios are brought to the target size
 * @param skipBadImages true to skip (and count) an unreadable image, false to stop with its path
 * @param limit keep at most this many examples (0 = all)
 * @param limitSeed seed of the subset kept by {@code limit}
 */
record ImageSettings(int height, int width, int channels, Fit fit, boolean skipBadImages, int limit, long limitSeed) {
    static final String HEIGHT = "height";
    static final String WIDTH = "width";
    static final String CHANNELS = "channels";
    static final String FIT = "fit";
    static final String ON_BAD_IMAGE = "on-bad-image";
    static final String LIMIT = "limit";
    static final String LIMIT_SEED = "limit-seed";

    /** The shared option declarations, appended to each source's own. */
    static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.integer(HEIGHT, 0, "rows of the images the encoder receives; 0 = as stored by the first image "
                    + "(set height and width together)").between(0, 4096),
            OptionSpec.integer(WIDTH, 0, "columns of the images the encoder receives; 0 = as stored by the first image")
                    .between(0, 4096),
            OptionSpec.choice(CHANNELS, "auto", "channels the encoder receives: grey (1), rgb (3), or auto (as the first image is stored)", "auto", "grey", "rgb"),
            OptionSpec.choice(FIT, "stretch", "how another aspect ratio is brought to height x width: stretch, crop (centre) or pad (black)",
                    "stretch", "crop", "pad"),
            OptionSpec.choice(ON_BAD_IMAGE, "fail", "a corrupt or truncated image stops with an error naming its path, or is skipped "
                    + "and counted", "fail", "skip"),
            OptionSpec.integer(LIMIT, 0, "keep at most this many examples, a seeded uniform subset in source order; 0 = all")
                    .atLeast(0),
            OptionSpec.integer(LIMIT_SEED, 0, "seed of the subset kept by limit"));

    /**
     * The shared part of {@code DataSource.readInstead} for image sources: every image of the new
     * data (no {@code limit}), read at the size and channels the encoder was trained on, so new
     * data of other sizes or colour is brought to what the encoder takes instead of refused.
     *
     * @param encoderInput the pretrained encoder's input shape, [height, width, channels] for image encoders
     * @return option values for the data section
     */
    static Map<String, Object> readLike(Shape encoderInput) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(LIMIT, 0);
        if (encoderInput.rank() == 3) {
            out.put(HEIGHT, encoderInput.dim(0));
            out.put(WIDTH, encoderInput.dim(1));
            out.put(CHANNELS, encoderInput.dim(2) == 1 ? "grey" : "rgb");
        }
        return out;
    }

    /**
     * @param options a source's validated options (with {@link #OPTIONS})
     * @return the settings, checked
     */
    static ImageSettings from(Options options) {
        int h = options.getInt(HEIGHT);
        int w = options.getInt(WIDTH);
        if ((h == 0) != (w == 0)) {
            throw new InvalidOptionException(options.key(h == 0 ? HEIGHT : WIDTH), "set height and width together (or neither, for the stored size)");
        }
        int c = switch (options.getString(CHANNELS)) {
            case "grey" -> 1;
            case "rgb" -> 3;
            default -> 0;
        };
        int limit = options.getInt(LIMIT);
        return new ImageSettings(h, w, c, Fit.valueOf(options.getString(FIT).toUpperCase(Locale.ROOT)),
                options.getString(ON_BAD_IMAGE).equals("skip"), limit, options.getLong(LIMIT_SEED));
    }

    /**
     * @param storedHeight rows as stored
     * @param storedWidth columns as stored
     * @param storedChannels channels as stored
     * @return the [height, width, channels] examples will have
     */
    int[] target(int storedHeight, int storedWidth, int storedChannels) {
        return new int[] {height == 0 ? storedHeight : height, width == 0 ? storedWidth : width, channels == 0 ? storedChannels : channels};
    }

    /**
     * Brings decoded pixels to the target shape.
     *
     * @param pixels HWC in [0, 1]
     * @param h rows
     * @param w columns
     * @param c channels
     * @param target [height, width, channels] from {@link #target}
     * @return the converted pixels (possibly the same array)
     */
    float[] convert(float[] pixels, int h, int w, int c, int[] target) {
        float[] fitted = fit.apply(pixels, h, w, c, target[0], target[1]);
        return Channels.convert(fitted, c, target[2]);
    }
}
