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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pixel-csv source on the real 8x8 digits and on broken copies of them. */
class PixelCsvDataSourceTest {
    @TempDir
    Path dir;

    private final PixelCsvDataSource source = new PixelCsvDataSource();

    @Test
    void readsTheDigitsAsEightByEightGreyImagesWithTenClasses() {
        try (Dataset d = source.open(TestData.DIGITS, Map.of())) {
            assertEquals(Shape.of(8, 8, 1), d.info().exampleShape());
            assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), d.info().classNames());
            assertEquals("sha256:46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a", d.info().fingerprint());
            List<Example> all = d.load();
            assertEquals(1797, all.size());
            Example.Image first = (Example.Image) all.get(0);
            assertEquals(0, first.label());
            // First line: 0,0,5,13,9,1,0,0,...
            assertEquals(5 / 16f, first.pixels()[2], 1e-7);
            assertEquals(13 / 16f, first.pixels()[3], 1e-7);
            for (Example e : all) {
                for (float v : ((Example.Image) e).pixels()) {
                    assertTrue(v >= 0 && v <= 1);
                }
            }
        }
    }

    @Test
    void resizesAndConvertsChannelsAsTheRecipeSays() {
        List<Example> big = source.open(TestData.DIGITS, Map.of("height", 16, "width", 16, "channels", "rgb", "limit", 5)).load();
        assertEquals(5, big.size());
        Example.Image img = (Example.Image) big.get(0);
        assertEquals(16, img.height());
        assertEquals(3, img.channels());
        for (int i = 0; i < img.pixels().length; i += 3) {
            assertEquals(img.pixels()[i], img.pixels()[i + 1]);
        }
    }

    @Test
    void limitKeepsASeededSubsetInSourceOrder() {
        List<Example> a = source.open(TestData.DIGITS, Map.of("limit", 100, "limit-seed", 1)).load();
        List<Example> b = source.open(TestData.DIGITS, Map.of("limit", 100, "limit-seed", 1)).load();
        List<Example> c = source.open(TestData.DIGITS, Map.of("limit", 100, "limit-seed", 2)).load();
        assertEquals(100, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(((Example.Image) a.get(i)).pixels(), ((Example.Image) b.get(i)).pixels());
        }
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            differs |= !java.util.Arrays.equals(((Example.Image) a.get(i)).pixels(), ((Example.Image) c.get(i)).pixels());
        }
        assertTrue(differs);
    }

    @Test
    void aBadLineIsReportedWithFileLineAndColumnOrSkipped() throws IOException {
        Path file = dir.resolve("broken.csv");
        String good = "0,".repeat(64) + "3";
        String shortLine = "0,".repeat(63) + "3";
        String word = "0,0,x" + ",0".repeat(61) + ",3";
        Files.writeString(file, good + "\n" + shortLine + "\n" + word + "\n" + good + "\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> source.open(file, Map.of()));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("broken.csv") && e.getMessage().contains("64 fields, expected 65"), e.getMessage());
        List<Example> kept = source.open(file, Map.of("on-bad-image", "skip")).load();
        assertEquals(2, kept.size());
        Files.writeString(file, good + "\n" + word + "\n");
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> source.open(file, Map.of()));
        assertEquals("3", e2.column());
        assertTrue(e2.getMessage().contains("'x' is not a number"), e2.getMessage());
        // bytes read with the digits' scale (max-value 16) are refused, not turned into intensities up to 16
        Files.writeString(file, good + "\n" + "0,0,0,255" + ",0".repeat(60) + ",3\n");
        DataFormatException e3 = assertThrows(DataFormatException.class, () -> source.open(file, Map.of()));
        assertEquals(2, e3.line());
        assertTrue(e3.getMessage().contains("255 is above data.max-value 16"), e3.getMessage());
        assertEquals(2, source.open(file, Map.of("max-value", 255.0)).load().size());
    }

    @Test
    void aHeaderLineIsSkippedAndTheLabelMayComeFirst() throws IOException {
        Path file = dir.resolve("mnist-style.csv");
        StringBuilder header = new StringBuilder("label");
        StringBuilder row = new StringBuilder("7");
        for (int i = 0; i < 16; i++) {
            header.append(",pixel").append(i);
            row.append(',').append(i * 17);
        }
        Files.writeString(file, header + "\n" + row + "\n" + row + "\n");
        List<Example> rows = source.open(file, Map.of("image-shape", List.of(4L, 4L), "max-value", 255.0, "label", "first")).load();
        assertEquals(2, rows.size());
        Example.Image img = (Example.Image) rows.get(0);
        assertEquals(0, img.label(), "the only class, 7, is class index 0");
        assertEquals(1f, img.pixels()[15], 1e-6);
        assertEquals(17 / 255f, img.pixels()[1], 1e-6);
    }

    @Test
    void badOptionsNameTheirKey() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> source.open(TestData.DIGITS, Map.of("height", 16)));
        assertEquals("pixel-csv.width", e.key());
        InvalidOptionException shape = assertThrows(InvalidOptionException.class,
                () -> source.open(TestData.DIGITS, Map.of("image-shape", List.of(8L, 8L, 2L))));
        assertEquals("pixel-csv.image-shape", shape.key());
        InvalidOptionException threeValues = assertThrows(InvalidOptionException.class,
                () -> source.open(TestData.DIGITS, Map.of("image-shape", List.of(8L, 8L, 1L, 1L))));
        assertTrue(threeValues.getMessage().contains("allowed: 2 to 3 values"), threeValues.getMessage());
        assertThrows(DataFormatException.class, () -> source.open(dir.resolve("missing.csv"), Map.of()));
    }
}
