package io.pretext.vision.augment;

import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code random-affine}: a small random rotation, translation and zoom, sampled bilinearly with
 * black outside the image, exactly as PyTorch's {@code affine_grid} + {@code grid_sample}
 * ({@code align_corners=False}, zero padding) with
 * {@code theta = [[s cos a, -s sin a, tx], [s sin a, s cos a, ty]]} in normalized coordinates:
 * the augmentation of the PyTorch SimCLR digits reference.
 *
 * <p>{@code s} is the side of the sampled region relative to the image: below 1 it zooms in (a
 * crop resized back), above 1 it zooms out. Translation is a fraction of the image size
 * ({@code translate: 0.125} moves up to one pixel on an 8-pixel image, the reference's
 * {@code shift 0.25} in normalized units). With no rotation, translation or zoom it is the identity.
 */
public final class RandomAffine extends ImageAugmentation {
    @Override
    public String id() {
        return "random-affine";
    }

    @Override
    public String description() {
        return "Small random rotation, translation and zoom (bilinear, black outside), as the SimCLR digits reference";
    }

    @Override
    List<OptionSpec> ownOptions() {
        return List.of(
                OptionSpec.decimal("degrees", 15.0, "rotation drawn uniformly in [-degrees, degrees]").between(0, 180),
                OptionSpec.decimal("translate", 0.125, "shift drawn uniformly in [-translate, translate] times the image size, per axis")
                        .between(0, 1),
                OptionSpec.decimal("min-scale", 0.75, "smallest side of the sampled region relative to the image (< 1 zooms in)")
                        .between(0.05, 4),
                OptionSpec.decimal("max-scale", 1.0, "largest side of the sampled region relative to the image").between(0.05, 4));
    }

    @Override
    ImageTransform create(Options options, double probability) {
        double degrees = options.getDouble("degrees");
        double translate = options.getDouble("translate");
        double[] scale = interval(options, "min-scale", "max-scale");
        return new ImageTransform(probability) {
            @Override
            protected void transform(Canvas canvas, SplittableRandom random) {
                double s = uniform(random, scale[0], scale[1]);
                double angle = Math.toRadians(uniform(random, -degrees, degrees));
                double tx = 2 * uniform(random, -translate, translate);
                double ty = 2 * uniform(random, -translate, translate);
                if (s == 1 && angle == 0 && tx == 0 && ty == 0) {
                    return;
                }
                sample(canvas, (float) (s * Math.cos(angle)), (float) (s * Math.sin(angle)), (float) tx, (float) ty);
            }
        };
    }

    /** Bilinear sampling of {@code theta = [[a, -b, tx], [b, a, ty]]} with zero padding into the scratch buffer. */
    static void sample(Canvas canvas, float a, float b, float tx, float ty) {
        int h = canvas.height();
        int w = canvas.width();
        int c = canvas.channels();
        float[] src = canvas.pixels();
        float[] dst = canvas.scratch();
        for (int i = 0; i < h; i++) {
            float y = (2 * i + 1) / (float) h - 1;
            for (int j = 0; j < w; j++) {
                float x = (2 * j + 1) / (float) w - 1;
                float sx = a * x - b * y + tx;
                float sy = b * x + a * y + ty;
                // Unnormalize as align_corners=False: -1 and 1 are the outer edges of the border pixels.
                float ix = ((sx + 1) * w - 1) / 2;
                float iy = ((sy + 1) * h - 1) / 2;
                int x0 = (int) Math.floor(ix);
                int y0 = (int) Math.floor(iy);
                float wx = ix - x0;
                float wy = iy - y0;
                int out = (i * w + j) * c;
                for (int k = 0; k < c; k++) {
                    float v = 0;
                    v += (1 - wx) * (1 - wy) * at(src, h, w, c, y0, x0, k);
                    v += wx * (1 - wy) * at(src, h, w, c, y0, x0 + 1, k);
                    v += (1 - wx) * wy * at(src, h, w, c, y0 + 1, x0, k);
                    v += wx * wy * at(src, h, w, c, y0 + 1, x0 + 1, k);
                    dst[out + k] = v;
                }
            }
        }
        canvas.swap();
    }

    private static float at(float[] src, int h, int w, int c, int y, int x, int k) {
        return y < 0 || y >= h || x < 0 || x >= w ? 0f : src[(y * w + x) * c + k];
    }
}
