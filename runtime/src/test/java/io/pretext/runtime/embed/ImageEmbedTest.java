package io.pretext.runtime.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretext embed} and {@code evaluate --data} on images read the new data whole and at the
 * size and channels the encoder was trained on, whatever subset, size or colour pretraining read.
 */
class ImageEmbedTest {

    private static final Path MNIST = Path.of("..", "data", "vision", "mnist").toAbsolutePath();
    private static final int WIDTH = 16;

    @TempDir
    static Path dir;

    private static Path encoder;

    /** SimCLR for one epoch on a 300-image subset of MNIST's test file (28x28 grey). */
    @BeforeAll
    static void pretrain() throws IOException {
        Path recipe = dir.resolve("mnist-small.yaml");
        Files.writeString(recipe, """
                name: mnist-small
                seed: 5
                data: {id: idx, images: %s, labels: %s, limit: 300}
                task: {id: simclr, augmentations: "random-affine(degrees=10)", head-widths: [16, 8]}
                encoder: {id: cnn, channels: [8, %d], pool-after: [1, 2]}
                loss: {id: nt-xent, temperature: 0.5}
                training: {epochs: 1, batch-size: 100}
                """.formatted(MNIST.resolve("t10k-images-idx3-ubyte.gz"), MNIST.resolve("t10k-labels-idx1-ubyte.gz"), WIDTH));
        Cli.Result r = Cli.run("pretrain", recipe.toString(), "--set", "output=" + dir.resolve("run"));
        assertEquals(0, r.status(), r.err());
        encoder = dir.resolve("run").resolve("encoder.safetensors");
    }

    @Test
    void embedReadsEveryImageOfTheFileNotThePretrainingSubset() throws IOException {
        Path out = dir.resolve("t10k.npy");
        Cli.Result r = Cli.run("embed", "--encoder", encoder.toString(), "--data", MNIST.resolve("t10k-images-idx3-ubyte.gz").toString(),
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(10_000 * WIDTH, Npy.read(out).data().length, "all 10,000 images, not the 300 the recipe's limit kept");
    }

    private static void writeImages(Path folder, int count, int width, int height, boolean grey) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(width + 10 * i, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int v = (x * 5 + y * 3 + i * 40) & 0xff;
                    image.setRGB(x, y, grey ? v << 16 | v << 8 | v : v << 16 | (y * 7 & 0xff) << 8 | 200);
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format("%03d.png", i)).toFile());
        }
    }

    /**
     * An encoder pretrained on a folder of 40x30 colour images, read "as stored", embeds a folder
     * whose first image is grey and whose sizes differ: the new folder is read at 30x40 RGB, as
     * pretraining read its own, instead of taking its shape from whichever image sorts first.
     */
    @Test
    void aFolderIsReadAtTheSizeAndChannelsTheEncoderWasTrainedOn() throws IOException {
        Path photos = dir.resolve("photos");
        writeImages(photos, 8, 40, 30, false);
        Path recipe = dir.resolve("photos.yaml");
        Files.writeString(recipe, """
                name: photos
                data: {id: image-folder, path: photos}
                task: {id: simclr, augmentations: "horizontal-flip", head-widths: [8]}
                encoder: {id: cnn, channels: [4, %d], pool-after: [1]}
                training: {epochs: 1, batch-size: 8}
                """.formatted(WIDTH));
        Cli.Result trained = Cli.run("pretrain", recipe.toString(), "--set", "output=" + dir.resolve("photos-run"));
        assertEquals(0, trained.status(), trained.err());
        Path other = dir.resolve("other");
        writeImages(other.resolve("a"), 1, 50, 50, true); // sorts first: grey, square
        writeImages(other.resolve("b"), 3, 20, 64, false);
        Path out = dir.resolve("other.npy");
        Cli.Result r = Cli.run("embed", "--encoder", dir.resolve("photos-run").resolve("encoder.safetensors").toString(), "--data", other.toString(),
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(4 * WIDTH, Npy.read(out).data().length);
    }
}
