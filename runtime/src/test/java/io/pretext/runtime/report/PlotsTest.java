package io.pretext.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.PretextException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loss curve and the embedding picture are real PNGs that show what they should. */
class PlotsTest {
    @TempDir
    Path dir;

    private static int count(BufferedImage img, int x0, int x1, java.util.function.IntPredicate rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) {
                n += rgb.test(img.getRGB(x, y) & 0xffffff) ? 1 : 0;
            }
        }
        return n;
    }

    private static int r(int rgb) {
        return (rgb >> 16) & 0xff;
    }

    private static int b(int rgb) {
        return rgb & 0xff;
    }

    @Test
    void lossCurveReadsTheMetricsLogAsThePretrainerWritesIt() throws IOException {
        Path metrics = dir.resolve("metrics.jsonl");
        List<String> lines = new ArrayList<>();
        int step = 0;
        for (int epoch = 1; epoch <= 5; epoch++) {
            for (int s = 0; s < 4; s++) {
                step++;
                lines.add("{\"type\":\"step\",\"epoch\":" + epoch + ",\"step\":" + step + ",\"loss\":" + (6.0 - 0.1 * step) + ",\"lr\":0.001}");
            }
            lines.add("{\"type\":\"epoch\",\"epoch\":" + epoch + ",\"step\":" + step + ",\"loss\":" + (6.2 - 0.4 * epoch) + ",\"rows_per_s\":1000.0}");
        }
        Files.write(metrics, lines);
        List<LossCurvePlot.Point> epochs = new ArrayList<>();
        List<LossCurvePlot.Point> steps = new ArrayList<>();
        LossCurvePlot.read(metrics, epochs, steps);
        assertEquals(5, epochs.size());
        assertEquals(20, steps.size());
        // Step 7 is the third of epoch 2's four steps (5..8): three quarters into epoch 2.
        assertEquals(1.75, steps.get(6).x(), 1e-9);
        assertEquals(4.2, epochs.get(4).y(), 1e-9);

        Path png = dir.resolve("loss.png");
        LossCurvePlot.write(metrics, png, "loss: test");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(720, img.getWidth());
        assertEquals(440, img.getHeight());
        int blue = count(img, 0, img.getWidth(), rgb -> b(rgb) > 150 && r(rgb) < 80);
        assertTrue(blue > 200, "the epoch curve is drawn: " + blue + " blue pixels");
    }

    @Test
    void lossCurveNeedsEpochLines() throws IOException {
        Path metrics = dir.resolve("metrics.jsonl");
        Files.writeString(metrics, "{\"type\":\"step\",\"epoch\":1,\"step\":1,\"loss\":\"NaN\"}\n");
        assertThrows(PretextException.class, () -> LossCurvePlot.write(metrics, dir.resolve("x.png"), "t"));
    }

    @Test
    void embeddingPictureColoursTwoClustersApart() throws IOException {
        SplittableRandom random = new SplittableRandom(4);
        int n = 400;
        float[][] z = new float[n][16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 16; j++) {
                z[i][j] = (float) ((labels[i] == 0 ? -2 : 2) + random.nextDouble() - 0.5);
            }
        }
        Path png = dir.resolve("emb.png");
        Pca.Projection p = EmbeddingPlot.write(png, z, labels, List.of("zero", "one"), "two blobs");
        assertTrue(p.explainedVariance()[0] > 0.9, "the cluster axis dominates");
        double first0 = p.coordinates()[0][0];
        for (int i = 0; i < n; i++) {
            assertTrue(Math.signum(p.coordinates()[i][0]) == (labels[i] == 0 ? Math.signum(first0) : -Math.signum(first0)));
        }
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(760, img.getWidth());
        // Inside the plot area (left of the legend): blue dots (class 0) and orange dots (class 1).
        int blue = count(img, 80, 600, rgb -> b(rgb) > r(rgb) + 60);
        int orange = count(img, 80, 600, rgb -> r(rgb) > b(rgb) + 60);
        assertTrue(blue > 100 && orange > 100, blue + " blue, " + orange + " orange");
        assertThrows(IllegalArgumentException.class, () -> EmbeddingPlot.write(png, z, new int[3], List.of(), "x"));
        // A title wider than the picture (a data set of several files) is shortened, not clipped mid-glyph or failed.
        EmbeddingPlot.write(dir.resolve("long.png"), z, labels, List.of("zero", "one"), "test embeddings: " + "train-images.gz+".repeat(12));
        assertEquals(760, ImageIO.read(dir.resolve("long.png").toFile()).getWidth());
    }

    @Test
    void ticksAreRoundNumbers() {
        assertEquals(List.of(0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0, 140.0), Chart.ticks(0, 150, true));
        assertEquals(List.of(4.6, 4.8, 5.0, 5.2, 5.4, 5.6, 5.8, 6.0), Chart.ticks(4.55, 6.1, false).stream()
                .map(t -> Math.round(t * 10) / 10.0).toList());
        assertEquals(List.of(1.0, 2.0, 3.0), Chart.ticks(0.8, 3.2, true));
    }
}
