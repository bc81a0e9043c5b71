package io.pretext.equivalence;

import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Small image batches in NHWC, pixels in [0, 1]: real 8x8 digits and 28x28 MNIST digits from the
 * shipped data, and seeded 32x32 RGB images where no real colour set is shipped.
 */
final class Images {
    /** scikit-learn's digits: 64 values in 0..16 and the label per line. */
    static final Path DIGITS = Path.of("../data/vision/digits.csv.gz");
    /** The MNIST test images, IDX format. */
    static final Path MNIST = Path.of("../data/vision/mnist/t10k-images-idx3-ubyte.gz");

    private Images() {
    }

    /**
     * @param rows how many images from the top of the file
     * @param skip images skipped first
     * @return [rows, 8, 8, 1]
     */
    static HostTensor.Floats digits(int rows, int skip) {
        float[] data = new float[rows * 64];
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(DIGITS)),
                StandardCharsets.US_ASCII))) {
            for (int r = 0; r < skip; r++) {
                in.readLine();
            }
            for (int r = 0; r < rows; r++) {
                String[] f = in.readLine().split(",");
                for (int p = 0; p < 64; p++) {
                    data[r * 64 + p] = Float.parseFloat(f[p]) / 16f;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HostTensor.of(Shape.of(rows, 8, 8, 1), data);
    }

    /**
     * @param rows how many images from the top of the file
     * @return [rows, 28, 28, 1]
     */
    static HostTensor.Floats mnist(int rows) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(MNIST)))) {
            int magic = in.readInt();
            int count = in.readInt();
            int height = in.readInt();
            int width = in.readInt();
            if (magic != 0x803 || height != 28 || width != 28 || count < rows) {
                throw new IllegalStateException(MNIST + ": not a 28x28 IDX image file of at least " + rows + " images");
            }
            byte[] pixels = new byte[rows * 28 * 28];
            in.readFully(pixels);
            float[] data = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                data[i] = (pixels[i] & 0xff) / 255f;
            }
            return HostTensor.of(Shape.of(rows, 28, 28, 1), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param rows images
     * @param seed seed
     * @return [rows, 32, 32, 3]: a random smooth gradient per image and channel plus pixel noise
     */
    static HostTensor.Floats rgb(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int side = 32;
        float[] data = new float[rows * side * side * 3];
        for (int n = 0; n < rows; n++) {
            for (int c = 0; c < 3; c++) {
                double base = r.nextDouble();
                double dy = r.nextDouble(-1, 1) / side;
                double dx = r.nextDouble(-1, 1) / side;
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        double v = base + dy * y + dx * x + 0.1 * r.nextGaussian();
                        data[((n * side + y) * side + x) * 3 + c] = (float) Math.min(1, Math.max(0, v));
                    }
                }
            }
        }
        return HostTensor.of(Shape.of(rows, side, side, 3), data);
    }
}
