package io.pretext.vision.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.data.Dataset;
import io.pretext.api.data.Example;
import io.pretext.api.error.DataFormatException;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.tensor.Shape;
import io.pretext.vision.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The idx source on the real MNIST test files, compressed, uncompressed, concatenated and truncated. */
class IdxDataSourceTest {
    @TempDir
    Path dir;

    private final IdxDataSource source = new IdxDataSource();
    private final String images = TestData.MNIST_IMAGES.toString();
    private final String labels = TestData.MNIST_LABELS.toString();

    private Path gunzip(Path file, String name) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            Files.write(out, in.readAllBytes());
        }
        return out;
    }

    @Test
    void readsMnistTestImagesWithTheirLabels() {
        try (Dataset d = source.open(images, Map.of("labels", labels))) {
            assertEquals(Shape.of(28, 28, 1), d.info().exampleShape());
            assertEquals(10, d.info().numClasses());
            assertEquals(10_000L, d.info().size().getAsLong());
            assertTrue(d.info().fingerprint().startsWith("sha256:"));
            Iterator<Example> it = d.iterator();
            // The first three MNIST test digits are 7, 2, 1.
            assertEquals(7, it.next().label());
            assertEquals(2, it.next().label());
            Example.Image third = (Example.Image) it.next();
            assertEquals(1, third.label());
            float max = 0;
            for (float v : third.pixels()) {
                max = Math.max(max, v);
            }
            assertEquals(1f, max, 1e-6, "MNIST strokes reach 255");
            int[] counts = new int[10];
            d.iterator().forEachRemaining(e -> counts[e.label()]++);
            assertEquals(10_000, Arrays.stream(counts).sum());
            assertEquals(1135, counts[1]);
        }
    }

    @Test
    void gzipIsDetectedFromTheContentAndFilesConcatenate() throws IOException {
        Path plain = gunzip(TestData.MNIST_IMAGES, "images.idx");
        Path plainLabels = gunzip(TestData.MNIST_LABELS, "labels.idx");
        List<Example> a = source.open(images, Map.of("labels", labels, "limit", 50)).load();
        List<Example> b = source.open(plain.toString(), Map.of("labels", plainLabels.toString(), "limit", 50)).load();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(((Example.Image) a.get(i)).pixels(), ((Example.Image) b.get(i)).pixels());
            assertEquals(a.get(i).label(), b.get(i).label());
        }
        try (Dataset both = source.open(images + "," + plain, Map.of("labels", labels + "," + plainLabels))) {
            assertEquals(20_000L, both.info().size().getAsLong());
            assertEquals("t10k-images-idx3-ubyte.gz+images.idx", both.info().name());
            int n = 0;
            for (Example e : both) {
                n++;
            }
            assertEquals(20_000, n);
        }
    }

    @Test
    void aTruncatedFileIsReportedWithItsPathOrItsCompleteImagesKept() throws IOException {
        Path plain = gunzip(TestData.MNIST_IMAGES, "images.idx");
        byte[] bytes = Files.readAllBytes(plain);
        Path cut = dir.resolve("cut.idx");
        Files.write(cut, Arrays.copyOf(bytes, 16 + 5 * 784 + 100));
        DataFormatException e = assertThrows(DataFormatException.class, () -> source.open(cut.toString(), Map.of()));
        assertTrue(e.getMessage().contains("cut.idx") && e.getMessage().contains("truncated") && e.getMessage().contains("image 6"),
                e.getMessage());
        List<Example> kept = source.open(cut.toString(), Map.of("labels", labels, "on-bad-image", "skip")).load();
        assertEquals(5, kept.size());
        assertEquals(7, kept.get(0).label());

        // the gzip file cut short: the same error, and the same rescue
        byte[] gz = Files.readAllBytes(TestData.MNIST_IMAGES);
        Path cutGz = dir.resolve("cut.idx.gz");
        Files.write(cutGz, Arrays.copyOf(gz, gz.length / 2));
        DataFormatException eGz = assertThrows(DataFormatException.class, () -> source.open(cutGz.toString(), Map.of()));
        assertTrue(eGz.getMessage().contains("cut.idx.gz") && eGz.getMessage().contains("truncated"), eGz.getMessage());
        List<Example> keptGz = source.open(cutGz.toString(), Map.of("on-bad-image", "skip")).load();
        assertTrue(keptGz.size() > 1000 && keptGz.size() < 10_000, "complete images before the cut: " + keptGz.size());
    }

    @Test
    void wrongFilesAndOptionsAreNamed() {
        DataFormatException swapped = assertThrows(DataFormatException.class, () -> source.open(labels, Map.of()));
        assertTrue(swapped.getMessage().contains("label file"), swapped.getMessage());
        DataFormatException count = assertThrows(DataFormatException.class, () -> source.open(images + "," + images,
                Map.of("labels", labels + "," + TestData.DIGITS)));
        assertTrue(count.getMessage().contains("digits.csv.gz"), count.getMessage());
        InvalidOptionException pairs = assertThrows(InvalidOptionException.class, () -> source.open(images + "," + images,
                Map.of("labels", labels)));
        assertEquals("idx.labels", pairs.key());
    }

    @Test
    void resizesToTheRecipeSize() {
        Example.Image img = (Example.Image) source.open(images, Map.of("limit", 1, "height", 14, "width", 14)).load().get(0);
        assertEquals(14 * 14, img.pixels().length);
    }
}
