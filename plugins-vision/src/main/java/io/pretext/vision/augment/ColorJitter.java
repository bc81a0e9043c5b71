package io.pretext.vision.augment;

import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.vision.image.Channels;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code color-jitter}: torchvision's {@code ColorJitter} on [0, 1] images, with SimCLR's default
 * probability 0.8: brightness, contrast and saturation factors drawn uniformly in
 * {@code [max(0, 1 - s), 1 + s]} and a hue shift in {@code [-hue, hue]} (fraction of the colour
 * wheel), applied in a random order. Brightness scales the pixels; contrast blends with the mean
 * grey level; saturation blends with the grey image; hue rotates in HSV. On grey images only
 * brightness and contrast apply. All zero is the identity.
 */
public final class ColorJitter extends ImageAugmentation {
    @Override
    public String id() {
        return "color-jitter";
    }

    @Override
    public String description() {
        return "Random brightness, contrast, saturation and hue, in random order (probability 0.8)";
    }

    @Override
    List<OptionSpec> ownOptions() {
        return List.of(
                OptionSpec.decimal("brightness", 0.4, "brightness factor drawn in [max(0, 1 - b), 1 + b]").between(0, 10),
                OptionSpec.decimal("contrast", 0.4, "contrast factor drawn in [max(0, 1 - c), 1 + c]").between(0, 10),
                OptionSpec.decimal("saturation", 0.4, "saturation factor drawn in [max(0, 1 - s), 1 + s]").between(0, 10),
                OptionSpec.decimal("hue", 0.1, "hue shift drawn in [-hue, hue], as a fraction of the colour wheel")
                        .between(0, 0.5));
    }

    @Override
    double defaultProbability() {
        return 0.8;
    }

    @Override
    ImageTransform create(Options options, double probability) {
        double brightness = options.getDouble("brightness");
        double contrast = options.getDouble("contrast");
        double saturation = options.getDouble("saturation");
        double hue = options.getDouble("hue");
        return new ImageTransform(probability) {
            @Override
            protected void transform(Canvas canvas, SplittableRandom random) {
                int[] order = {0, 1, 2, 3};
                for (int i = 3; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                float b = (float) factor(random, brightness);
                float c = (float) factor(random, contrast);
                float s = (float) factor(random, saturation);
                float hShift = (float) uniform(random, -hue, hue);
                boolean colour = canvas.channels() == 3;
                for (int op : order) {
                    switch (op) {
                        case 0 -> {
                            if (b != 1f) {
                                brightness(canvas, b);
                            }
                        }
                        case 1 -> {
                            if (c != 1f) {
                                contrast(canvas, c);
                            }
                        }
                        case 2 -> {
                            if (colour && s != 1f) {
                                saturation(canvas, s);
                            }
                        }
                        default -> {
                            if (colour && hShift != 0f) {
                                hue(canvas, hShift);
                            }
                        }
                    }
                }
            }
        };
    }

    private static double factor(SplittableRandom random, double strength) {
        return strength == 0 ? 1.0 : ImageTransform.uniform(random, Math.max(0, 1 - strength), 1 + strength);
    }

    private static void brightness(Canvas canvas, float f) {
        float[] p = canvas.pixels();
        for (int i = 0, n = canvas.size(); i < n; i++) {
            p[i] = ImageTransform.clamp(p[i] * f);
        }
    }

    private static void contrast(Canvas canvas, float f) {
        float[] p = canvas.pixels();
        int n = canvas.size();
        double total = 0;
        if (canvas.channels() == 3) {
            for (int i = 0; i < n; i += 3) {
                total += Channels.luma(p[i], p[i + 1], p[i + 2]);
            }
            total /= n / 3.0;
        } else {
            for (int i = 0; i < n; i++) {
                total += p[i];
            }
            total /= n;
        }
        float mean = (float) total;
        for (int i = 0; i < n; i++) {
            p[i] = ImageTransform.clamp(f * p[i] + (1 - f) * mean);
        }
    }

    private static void saturation(Canvas canvas, float f) {
        float[] p = canvas.pixels();
        for (int i = 0, n = canvas.size(); i < n; i += 3) {
            float g = Channels.luma(p[i], p[i + 1], p[i + 2]);
            p[i] = ImageTransform.clamp(f * p[i] + (1 - f) * g);
            p[i + 1] = ImageTransform.clamp(f * p[i + 1] + (1 - f) * g);
            p[i + 2] = ImageTransform.clamp(f * p[i + 2] + (1 - f) * g);
        }
    }

    /** Hue rotation through HSV, as torchvision's {@code adjust_hue}. */
    private static void hue(Canvas canvas, float shift) {
        float[] p = canvas.pixels();
        for (int i = 0, n = canvas.size(); i < n; i += 3) {
            float r = p[i];
            float g = p[i + 1];
            float b = p[i + 2];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float delta = max - min;
            if (delta == 0) {
                continue; // grey: hue undefined, nothing to rotate
            }
            float h;
            if (max == r) {
                h = ((g - b) / delta) / 6f;
            } else if (max == g) {
                h = ((b - r) / delta + 2f) / 6f;
            } else {
                h = ((r - g) / delta + 4f) / 6f;
            }
            h = h + shift;
            h -= (float) Math.floor(h);
            float s = delta / max;
            float v = max;
            float h6 = h * 6f;
            int sector = (int) Math.floor(h6) % 6;
            float frac = h6 - (float) Math.floor(h6);
            float pp = v * (1 - s);
            float q = v * (1 - s * frac);
            float t = v * (1 - s * (1 - frac));
            switch (sector) {
                case 0 -> set(p, i, v, t, pp);
                case 1 -> set(p, i, q, v, pp);
                case 2 -> set(p, i, pp, v, t);
                case 3 -> set(p, i, pp, q, v);
                case 4 -> set(p, i, t, pp, v);
                default -> set(p, i, v, pp, q);
            }
        }
    }

    private static void set(float[] p, int i, float r, float g, float b) {
        p[i] = ImageTransform.clamp(r);
        p[i + 1] = ImageTransform.clamp(g);
        p[i + 2] = ImageTransform.clamp(b);
    }
}
