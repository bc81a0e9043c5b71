package io.pretext.vision.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.data.Dataset;
import io.pretext.api.data.Example;
import io.pretext.api.error.DataFormatException;
import io.pretext.api.tensor.Shape;
import io.pretext.vision.TestData;
import io.pretext.vision.image.ImageFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image-folder source on real digits written as PNG, JPEG, BMP and GIF files, and on damaged files. */
class ImageFolderDataSourceTest {
    @TempDir
    Path dir;

    private final ImageFolderDataSource source = new ImageFolderDataSource();
    private List<Example> digits;

    @BeforeEach
    void writeDigits() throws IOException {
        digits = TestData.mnist(40);
        for (int i = 0; i < digits.size(); i++) {
            Example.Image img = (Example.Image) digits.get(i);
            Path folder = dir.resolve("set/class-" + img.label());
            Files.createDirectories(folder);
            ImageFiles.writePng(folder.resolve(String.format("%03d.png", i)), img.height(), img.width(), 1, img.pixels());
        }
    }

    @Test
    void subFoldersAreClassesAndGreyLevelsSurviveExactly() {
        try (Dataset d = source.open(dir.resolve("set"), Map.of())) {
            assertEquals(Shape.of(28, 28, 1), d.info().exampleShape());
            assertTrue(d.info().classNames().size() >= 5, d.info().classNames().toString());
            assertTrue(d.info().classNames().stream().allMatch(n -> n.startsWith("class-")));
            List<Example> all = d.load();
            assertEquals(40, all.size());
            // Files are listed by path: class-0 first. Each read image equals a source digit exactly (8-bit levels).
            Example.Image first = (Example.Image) all.get(0);
            assertEquals("class-" + digitsOfClass(0).get(0).label(), d.info().classNames().get(first.label()));
            assertTrue(Arrays.equals(((Example.Image) digitsOfClass(0).get(0)).pixels(), first.pixels()));
            assertTrue(d.info().fingerprint().startsWith("sha256:"));
        }
    }

    private List<Example> digitsOfClass(int label) {
        return digits.stream().filter(e -> e.label() == label).toList();
    }

    @Test
    void readsEveryFormatAndFitsThemToTheRecipeSize() throws IOException {
        Path mixed = dir.resolve("mixed");
        Files.createDirectories(mixed);
        Example.Image grey = (Example.Image) digits.get(0);
        Example.Image colour = TestData.colourful(grey);
        BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int i = (y * 28 + x) * 3;
                rgb.setRGB(x, y, (Math.round(colour.pixels()[i] * 255) << 16) | (Math.round(colour.pixels()[i + 1] * 255) << 8)
                        | Math.round(colour.pixels()[i + 2] * 255));
            }
        }
        for (String format : List.of("png", "jpg", "bmp", "gif")) {
            assertTrue(ImageIO.write(rgb, format, mixed.resolve("digit." + format).toFile()), format);
        }
        Files.writeString(mixed.resolve("notes.txt"), "not an image");
        List<Example> all = source.open(mixed, Map.of("height", 32, "width", 16, "fit", "crop", "channels", "rgb")).load();
        assertEquals(4, all.size());
        for (Example e : all) {
            Example.Image img = (Example.Image) e;
            assertEquals(32, img.height());
            assertEquals(16, img.width());
            assertEquals(3, img.channels());
            assertEquals(Example.NO_LABEL, img.label());
        }
        List<Example> grey1 = source.open(mixed, Map.of("channels", "grey", "fit", "pad", "height", 20, "width", 40)).load();
        Example.Image padded = (Example.Image) grey1.get(0);
        assertEquals(1, padded.channels());
        assertEquals(0f, padded.pixels()[0], "pad fills the sides with black");
    }

    @Test
    void aCorruptOrTruncatedImageIsReportedWithItsPathOrSkipped() throws IOException {
        Path png = dir.resolve("set/class-" + digits.get(0).label()).resolve("000.png");
        byte[] bytes = Files.readAllBytes(png);
        Path bad = png.resolveSibling("zz-truncated.png");
        Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> source.open(dir.resolve("set"), Map.of()).load());
        assertTrue(e.getMessage().contains("zz-truncated.png"), e.getMessage());
        assertEquals(40, source.open(dir.resolve("set"), Map.of("on-bad-image", "skip")).load().size());

        Path jpeg = dir.resolve("jpeg");
        Files.createDirectories(jpeg);
        Example.Image img = (Example.Image) digits.get(1);
        BufferedImage bi = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                bi.getRaster().setSample(x, y, 0, Math.round(img.pixels()[y * 28 + x] * 255));
            }
        }
        Path whole = jpeg.resolve("a.jpg");
        ImageIO.write(bi, "jpg", whole.toFile());
        byte[] jpg = Files.readAllBytes(whole);
        Files.write(jpeg.resolve("b-cut.jpg"), Arrays.copyOf(jpg, jpg.length * 2 / 3));
        Files.write(jpeg.resolve("c-garbage.jpg"), "definitely not a jpeg".getBytes());
        DataFormatException cut = assertThrows(DataFormatException.class, () -> source.open(jpeg, Map.of()).load());
        assertTrue(cut.getMessage().contains("b-cut.jpg"), cut.getMessage());
        assertEquals(1, source.open(jpeg, Map.of("on-bad-image", "skip")).load().size());
    }

    @Test
    void symbolicLinksToClassFoldersAndToTheFolderAreFollowed() throws IOException {
        Path linked = Files.createDirectories(dir.resolve("linked"));
        List<Path> classes;
        try (java.util.stream.Stream<Path> list = Files.list(dir.resolve("set"))) {
            classes = list.sorted().toList();
        }
        for (Path c : classes) {
            Files.createSymbolicLink(linked.resolve(c.getFileName()), c);
        }
        Path linkToSet = Files.createSymbolicLink(dir.resolve("set-link"), dir.resolve("set"));
        for (Path folder : List.of(linked, linkToSet)) {
            try (Dataset d = source.open(folder, Map.of())) {
                assertEquals(40, d.load().size(), folder.toString());
                assertEquals(classes.size(), d.info().classNames().size());
            }
        }
    }

    @Test
    void labelsFollowTheOption() throws IOException {
        Path set = dir.resolve("set");
        ImageFiles.writePng(set.resolve("loose.png"), 28, 28, 1, ((Example.Image) digits.get(0)).pixels());
        try (Dataset auto = source.open(set, Map.of())) {
            assertEquals(0, auto.info().numClasses(), "an image outside the class folders makes auto unlabeled");
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> source.open(set, Map.of("labels", "folders")));
        assertTrue(e.getMessage().contains("loose.png"), e.getMessage());
    }
}
