package io.pretext.vision.augment;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code gaussian-blur}: a separable Gaussian blur with a random sigma, reflect padding at the
 * borders, as torchvision's {@code GaussianBlur}; the kernel is 10% of the image side by default
 * (odd, at least 3), as in SimCLR.
 */
public final class GaussianBlur extends ImageAugmentation {
    @Override
    public String id() {
        return "gaussian-blur";
    }

    @Override
    public String description() {
        return "Blur with a Gaussian of random sigma (probability 0.5)";
    }

    @Override
    List<OptionSpec> ownOptions() {
        return List.of(
                OptionSpec.decimal("min-sigma", 0.1, "smallest sigma, in pixels").between(0, 100),
                OptionSpec.decimal("max-sigma", 2.0, "largest sigma, in pixels; 0 = no blur").between(0, 100),
                OptionSpec.integer("kernel-size", 0, "odd kernel side in pixels; 0 = 10% of the shorter image side (odd, at least 3)")
                        .between(0, 255));
    }

    @Override
    double defaultProbability() {
        return 0.5;
    }

    @Override
    ImageTransform create(Options options, double probability) {
        double[] sigma = interval(options, "min-sigma", "max-sigma");
        long kernel = options.getLong("kernel-size");
        if (kernel % 2 == 0 && kernel != 0) {
            throw new InvalidOptionException(options.key("kernel-size"), kernel + " is even; a kernel has a centre pixel: use an odd size, "
                    + "or 0 for an automatic one");
        }
        return new ImageTransform(probability) {
            @Override
            protected void transform(Canvas canvas, SplittableRandom random) {
                double s = uniform(random, sigma[0], sigma[1]);
                if (s <= 0) {
                    return;
                }
                int h = canvas.height();
                int w = canvas.width();
                int size = kernel > 0 ? (int) kernel : Math.max(3, ((int) Math.round(0.1 * Math.min(h, w))) | 1);
                blur(canvas, weights(size, s));
            }
        };
    }

    private static float[] weights(int size, double sigma) {
        float[] k = new float[size];
        int r = size / 2;
        double total = 0;
        for (int i = 0; i < size; i++) {
            double x = i - r;
            double v = Math.exp(-x * x / (2 * sigma * sigma));
            k[i] = (float) v;
            total += v;
        }
        for (int i = 0; i < size; i++) {
            k[i] /= (float) total;
        }
        return k;
    }

    /** Reflect padding without repeating the edge (..., 2, 1, | 0, 1, 2, ...), folded as often as needed. */
    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    private static void blur(Canvas canvas, float[] k) {
        int h = canvas.height();
        int w = canvas.width();
        int c = canvas.channels();
        int r = k.length / 2;
        float[] src = canvas.pixels();
        float[] tmp = canvas.scratch();
        // Reflected source index of every padded position, computed once per image rather than per tap.
        int[] cols = reflectedOffsets(w, r, c);
        int[] rows = reflectedOffsets(h, r, w * c);
        for (int y = 0; y < h; y++) {
            int row = y * w * c;
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    float acc = 0;
                    for (int t = 0; t < k.length; t++) {
                        acc += k[t] * src[row + cols[x + t] + ch];
                    }
                    tmp[row + x * c + ch] = acc;
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int col = x * c;
                for (int ch = 0; ch < c; ch++) {
                    float acc = 0;
                    for (int t = 0; t < k.length; t++) {
                        acc += k[t] * tmp[rows[y + t] + col + ch];
                    }
                    src[(y * w + x) * c + ch] = acc;
                }
            }
        }
    }

    /** @return for padded positions -r .. n - 1 + r, the reflected index times {@code stride} */
    private static int[] reflectedOffsets(int n, int r, int stride) {
        int[] out = new int[n + 2 * r];
        for (int i = 0; i < out.length; i++) {
            out[i] = reflect(i - r, n) * stride;
        }
        return out;
    }
}
