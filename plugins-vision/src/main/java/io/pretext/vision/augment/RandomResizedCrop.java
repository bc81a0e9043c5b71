package io.pretext.vision.augment;

import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.vision.image.Resampling;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code random-resized-crop}: SimCLR's main augmentation, as torchvision's
 * {@code RandomResizedCrop}: a box covering a random share of the area (uniform in
 * [min-scale, max-scale]) with a random aspect ratio (log-uniform in [min-ratio, max-ratio]) at a
 * random position, resized back to the image's size with antialiasing. After ten draws that do not
 * fit, the largest centred box within the ratio bounds is taken. At scale 1 it is the identity.
 */
public final class RandomResizedCrop extends ImageAugmentation {
    private static final int ATTEMPTS = 10;

    @Override
    public String id() {
        return "random-resized-crop";
    }

    @Override
    public String description() {
        return "Crop a random box (share of area, aspect ratio) and resize it back to the image size";
    }

    @Override
    List<OptionSpec> ownOptions() {
        return List.of(
                OptionSpec.decimal("min-scale", 0.08, "smallest share of the image area the box covers").between(1e-4, 1),
                OptionSpec.decimal("max-scale", 1.0, "largest share of the image area the box covers").between(1e-4, 1),
                OptionSpec.decimal("min-ratio", 3.0 / 4.0, "smallest width / height of the box").between(0.05, 20),
                OptionSpec.decimal("max-ratio", 4.0 / 3.0, "largest width / height of the box").between(0.05, 20));
    }

    @Override
    ImageTransform create(Options options, double probability) {
        double[] scale = interval(options, "min-scale", "max-scale");
        double[] ratio = interval(options, "min-ratio", "max-ratio");
        double logLow = Math.log(ratio[0]);
        double logHigh = Math.log(ratio[1]);
        return new ImageTransform(probability) {
            @Override
            protected void transform(Canvas canvas, SplittableRandom random) {
                int h = canvas.height();
                int w = canvas.width();
                double area = (double) h * w;
                int boxH = -1;
                int boxW = -1;
                int top = 0;
                int left = 0;
                for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                    double target = area * uniform(random, scale[0], scale[1]);
                    double r = Math.exp(uniform(random, logLow, logHigh));
                    int bw = (int) Math.round(Math.sqrt(target * r));
                    int bh = (int) Math.round(Math.sqrt(target / r));
                    if (bw > 0 && bh > 0 && bw <= w && bh <= h) {
                        boxH = bh;
                        boxW = bw;
                        top = random.nextInt(h - bh + 1);
                        left = random.nextInt(w - bw + 1);
                        break;
                    }
                }
                if (boxH < 0) {
                    // torchvision's fallback: the whole image, narrowed to the ratio bounds, centred.
                    double in = (double) w / h;
                    if (in < ratio[0]) {
                        boxW = w;
                        boxH = (int) Math.round(w / ratio[0]);
                    } else if (in > ratio[1]) {
                        boxH = h;
                        boxW = (int) Math.round(h * ratio[1]);
                    } else {
                        boxW = w;
                        boxH = h;
                    }
                    top = (h - boxH) / 2;
                    left = (w - boxW) / 2;
                }
                if (boxH == h && boxW == w) {
                    return; // the whole image resized to its own size: nothing to do
                }
                Resampling.region(canvas.pixels(), h, w, canvas.channels(), top, left, boxH, boxW, canvas.scratch(), h, w,
                        ScratchRows.get(h * w * canvas.channels()));
                canvas.swap();
            }
        };
    }
}
