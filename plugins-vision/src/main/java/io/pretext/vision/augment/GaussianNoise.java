package io.pretext.vision.augment;

import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.List;
import java.util.SplittableRandom;

/** {@code gaussian-noise}: adds independent N(0, sigma^2) noise to every value, then clamps to [0, 1]. */
public final class GaussianNoise extends ImageAugmentation {
    @Override
    public String id() {
        return "gaussian-noise";
    }

    @Override
    public String description() {
        return "Add Gaussian noise (sigma on the [0, 1] scale) to every pixel, clamp to [0, 1]";
    }

    @Override
    List<OptionSpec> ownOptions() {
        return List.of(OptionSpec.decimal("sigma", 0.1, "standard deviation of the noise on the [0, 1] scale").between(0, 10));
    }

    @Override
    ImageTransform create(Options options, double probability) {
        float sigma = options.getFloat("sigma");
        return new ImageTransform(probability) {
            @Override
            protected void transform(Canvas canvas, SplittableRandom random) {
                if (sigma == 0) {
                    return;
                }
                float[] p = canvas.pixels();
                int n = canvas.size();
                // Box-Muller gives two independent normals per pair of uniforms: use both.
                for (int i = 0; i < n; i += 2) {
                    double u1 = random.nextDouble();
                    double u2 = random.nextDouble();
                    double r = Math.sqrt(-2.0 * Math.log(1.0 - u1));
                    double t = 2.0 * Math.PI * u2;
                    p[i] = clamp(p[i] + sigma * (float) (r * Math.cos(t)));
                    if (i + 1 < n) {
                        p[i + 1] = clamp(p[i + 1] + sigma * (float) (r * Math.sin(t)));
                    }
                }
            }
        };
    }
}
