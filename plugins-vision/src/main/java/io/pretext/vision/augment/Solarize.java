package io.pretext.vision.augment;

import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.List;
import java.util.SplittableRandom;

/** {@code solarize}: inverts every value at or above a threshold (x becomes 1 - x), as BYOL's second view does. */
public final class Solarize extends ImageAugmentation {
    @Override
    public String id() {
        return "solarize";
    }

    @Override
    public String description() {
        return "Invert pixels at or above a threshold (probability 0.2)";
    }

    @Override
    List<OptionSpec> ownOptions() {
        return List.of(OptionSpec.decimal("threshold", 0.5, "values at or above it are inverted; above 1 nothing is").between(0, 2));
    }

    @Override
    double defaultProbability() {
        return 0.2;
    }

    @Override
    ImageTransform create(Options options, double probability) {
        float threshold = options.getFloat("threshold");
        return new ImageTransform(probability) {
            @Override
            protected void transform(Canvas canvas, SplittableRandom random) {
                float[] p = canvas.pixels();
                for (int i = 0, n = canvas.size(); i < n; i++) {
                    if (p[i] >= threshold) {
                        p[i] = 1f - p[i];
                    }
                }
            }
        };
    }
}
