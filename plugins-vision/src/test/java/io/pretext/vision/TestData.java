package io.pretext.vision;

import io.pretext.api.data.Example;
import io.pretext.vision.source.IdxDataSource;
import io.pretext.vision.source.PixelCsvDataSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The real images shipped in data/vision, as the tests read them. */
public final class TestData {
    /** The project's data/vision folder (tests run in the module folder). */
    public static final Path VISION = Path.of("..", "data", "vision").toAbsolutePath().normalize();
    /** scikit-learn's 8x8 digits. */
    public static final Path DIGITS = VISION.resolve("digits.csv.gz");
    /** MNIST test images (10,000). */
    public static final Path MNIST_IMAGES = VISION.resolve("mnist/t10k-images-idx3-ubyte.gz");
    /** MNIST test labels. */
    public static final Path MNIST_LABELS = VISION.resolve("mnist/t10k-labels-idx1-ubyte.gz");

    private TestData() {
    }

    /** @return the 1,797 digits as 8x8x1 images */
    public static List<Example> digits() {
        return new PixelCsvDataSource().open(DIGITS, Map.of()).load();
    }

    /**
     * @param count how many MNIST test images (a seeded subset)
     * @return 28x28x1 images with labels
     */
    public static List<Example> mnist(int count) {
        return new IdxDataSource().open(MNIST_IMAGES.toString(), Map.of("labels", MNIST_LABELS.toString(), "limit", count)).load();
    }

    /**
     * @param image a grey image
     * @return an RGB version with a colour cast, so colour augmentations have something to change
     */
    public static Example.Image colourful(Example.Image image) {
        float[] p = image.pixels();
        float[] out = new float[p.length * 3];
        for (int i = 0; i < p.length; i++) {
            out[3 * i] = p[i];
            out[3 * i + 1] = 0.3f + 0.5f * p[i] * (i % 7) / 7f;
            out[3 * i + 2] = 1f - p[i] * 0.8f;
        }
        return new Example.Image(image.height(), image.width(), 3, out, image.label());
    }
}
