package io.pretext.vision.augment;

import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.vision.image.Channels;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code grayscale}: replaces each RGB pixel by its luma in all three channels (the shape stays
 * RGB), with probability 0.2 by default as in SimCLR. Grey images are left as they are.
 */
public final class Grayscale extends ImageAugmentation {
    @Override
    public String id() {
        return "grayscale";
    }

    @Override
    public String description() {
        return "Turn an RGB image grey (luma in every channel; probability 0.2)";
    }

    @Override
    List<OptionSpec> ownOptions() {
        return List.of();
    }

    @Override
    double defaultProbability() {
        return 0.2;
    }

    @Override
    ImageTransform create(Options options, double probability) {
        return new ImageTransform(probability) {
            @Override
            protected void transform(Canvas canvas, SplittableRandom random) {
                if (canvas.channels() != 3) {
                    return;
                }
                float[] p = canvas.pixels();
                for (int i = 0, n = canvas.size(); i < n; i += 3) {
                    float l = Channels.luma(p[i], p[i + 1], p[i + 2]);
                    p[i] = l;
                    p[i + 1] = l;
                    p[i + 2] = l;
                }
            }
        };
    }
}
