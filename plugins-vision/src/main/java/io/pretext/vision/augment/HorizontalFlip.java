package io.pretext.vision.augment;

import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.List;
import java.util.SplittableRandom;

/** {@code horizontal-flip}: mirrors the image left to right, with probability 0.5 by default. */
public final class HorizontalFlip extends ImageAugmentation {
    @Override
    public String id() {
        return "horizontal-flip";
    }

    @Override
    public String description() {
        return "Mirror the image left to right (probability 0.5)";
    }

    @Override
    List<OptionSpec> ownOptions() {
        return List.of();
    }

    @Override
    double defaultProbability() {
        return 0.5;
    }

    @Override
    ImageTransform create(Options options, double probability) {
        return new ImageTransform(probability) {
            @Override
            protected void transform(Canvas canvas, SplittableRandom random) {
                float[] p = canvas.pixels();
                int w = canvas.width();
                int c = canvas.channels();
                for (int y = 0; y < canvas.height(); y++) {
                    int row = y * w * c;
                    for (int left = 0, right = w - 1; left < right; left++, right--) {
                        for (int k = 0; k < c; k++) {
                            int a = row + left * c + k;
                            int b = row + right * c + k;
                            float t = p[a];
                            p[a] = p[b];
                            p[b] = t;
                        }
                    }
                }
            }
        };
    }
}
