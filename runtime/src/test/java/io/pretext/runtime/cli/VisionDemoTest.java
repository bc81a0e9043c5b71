package io.pretext.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.runtime.report.RunPlots;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretext demo --modality vision}, shortened, on the real digits shipped in data/vision: table printed, pictures written. */
class VisionDemoTest {

    @TempDir
    Path dir;

    private String previousHome;

    @BeforeEach
    void pointAtProjectHome() {
        previousHome = System.getProperty("pretext.home");
        System.setProperty("pretext.home", Path.of("..").toAbsolutePath().normalize().toString());
    }

    @AfterEach
    void restore() {
        if (previousHome == null) {
            System.clearProperty("pretext.home");
        } else {
            System.setProperty("pretext.home", previousHome);
        }
    }

    @Test
    void visionDemoPretrainsSimclrOnTheDigitsAndDrawsItsPictures() throws IOException {
        Path out = dir.resolve("demo");
        CliTest.Result r = CliTest.run("demo", "--modality", "vision", "--set", "training.epochs=2", "--set", "evaluation.protocols=linear",
                "--set", "evaluation.label-percents=[10]", "--set", "evaluation.repeats=1", "--set", "output=" + out);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("SimCLR"), r.out());
        assertTrue(r.out().contains("| pretrained (simclr) |"), r.out());
        assertTrue(r.out().contains("digits.csv.gz: 1437 training rows, 360 held-out test rows"), r.out());
        assertTrue(r.out().contains(RunPlots.LOSS_CURVE) && r.out().contains(RunPlots.EMBEDDINGS), r.out());
        for (String png : new String[] {RunPlots.LOSS_CURVE, RunPlots.EMBEDDINGS}) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertTrue(img.getWidth() > 500, png);
            // Not a blank canvas: the centre row holds more than one colour.
            int y = img.getHeight() / 2;
            int first = img.getRGB(img.getWidth() / 4, y);
            boolean varied = false;
            for (int x = 0; x < img.getWidth(); x++) {
                varied |= img.getRGB(x, y) != first;
            }
            assertTrue(varied, png);
        }
        assertTrue(Files.isRegularFile(out.resolve("encoder.safetensors")));
    }

    @Test
    void visionRecipeIsShownAndAnUnknownModalityIsNamed() {
        CliTest.Result shown = CliTest.run("demo", "--modality", "vision", "--show-recipe");
        assertEquals(0, shown.status());
        assertTrue(shown.out().contains("id: simclr"), shown.out());
        CliTest.Result bad = CliTest.run("demo", "--modality", "audio", "--show-recipe");
        assertNotEquals(0, bad.status());
        assertTrue(bad.err().contains("'audio' is not a demo"), bad.err());
    }
}
