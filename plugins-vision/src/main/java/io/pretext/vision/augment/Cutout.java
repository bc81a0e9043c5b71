package io.pretext.vision.augment;

import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code cutout} (DeVries and Taylor 2017): fills square patches with a constant; each patch's
 * centre is uniform over the image and the patch is clipped at the borders.
 */
public final class Cutout extends ImageAugmentation {
    @Override
    public String id() {
        return "cutout";
    }

    @Override
    public String description() {
        return "Fill random square patches (side a share of the image) with a constant";
    }

    @Override
    List<OptionSpec> ownOptions() {
        return List.of(
                OptionSpec.decimal("size", 0.5, "side of each patch as a share of the shorter image side; 0 = none").between(0, 1),
                OptionSpec.integer("count", 1, "number of patches").between(0, 1000),
                OptionSpec.decimal("fill", 0.0, "value written into the patches").between(0, 1));
    }

    @Override
    ImageTransform create(Options options, double probability) {
        double size = options.getDouble("size");
        float fill = options.getFloat("fill");
        long count = options.getLong("count");
        return new ImageTransform(probability) {
            @Override
            protected void transform(Canvas canvas, SplittableRandom random) {
                int h = canvas.height();
                int w = canvas.width();
                int c = canvas.channels();
                int side = (int) Math.round(size * Math.min(h, w));
                if (side == 0) {
                    return;
                }
                float[] p = canvas.pixels();
                for (int n = 0; n < count; n++) {
                    int cy = random.nextInt(h);
                    int cx = random.nextInt(w);
                    int y0 = Math.max(0, cy - side / 2);
                    int y1 = Math.min(h, cy - side / 2 + side);
                    int x0 = Math.max(0, cx - side / 2);
                    int x1 = Math.min(w, cx - side / 2 + side);
                    for (int y = y0; y < y1; y++) {
                        java.util.Arrays.fill(p, (y * w + x0) * c, (y * w + x1) * c, fill);
                    }
                }
            }
        };
    }
}
