package io.pretext.vision.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.Augmentation;
import io.pretext.api.PretextApi;
import io.pretext.api.Transform;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.Options;
import io.pretext.vision.TestData;
import io.pretext.vision.image.Resampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every image augmentation on a real image (an MNIST digit, enlarged to 32x32 and given colour):
 * shape and range kept, the same seed gives the same view, zero strength is the identity, the
 * input is never changed; plus the exact geometry of flip, affine and crop.
 */
class AugmentationsTest {
    private static Example.Image grey;
    private static Example.Image colour;

    @BeforeAll
    static void realImages() {
        Example.Image digit = (Example.Image) TestData.mnist(1).get(0);
        float[] big = Resampling.resize(digit.pixels(), 28, 28, 1, 32, 32);
        grey = new Example.Image(32, 32, 1, big, digit.label());
        colour = TestData.colourful(grey);
    }

    private static Augmentation provider(String id) {
        for (Augmentation a : ServiceLoader.load(Augmentation.class)) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        throw new AssertionError("no augmentation " + id);
    }

    private static Transform create(String id, Map<String, ?> options) {
        Augmentation a = provider(id);
        return a.create(Options.resolve(id, a.options(), options));
    }

    /** id, options of a clearly visible effect, options of zero strength. */
    static Stream<Arguments> augmentations() {
        return Stream.of(
                Arguments.of("random-resized-crop", Map.of("min-scale", 0.2, "max-scale", 0.6), Map.of("min-scale", 1.0, "max-scale", 1.0)),
                Arguments.of("horizontal-flip", Map.of("probability", 1.0), Map.of("probability", 0.0)),
                Arguments.of("random-affine", Map.of("degrees", 30.0, "translate", 0.1, "min-scale", 0.7),
                        Map.of("degrees", 0.0, "translate", 0.0, "min-scale", 1.0, "max-scale", 1.0)),
                Arguments.of("color-jitter", Map.of("probability", 1.0, "brightness", 0.8, "contrast", 0.8, "saturation", 0.8, "hue", 0.2),
                        Map.of("probability", 1.0, "brightness", 0.0, "contrast", 0.0, "saturation", 0.0, "hue", 0.0)),
                Arguments.of("grayscale", Map.of("probability", 1.0), Map.of("probability", 0.0)),
                Arguments.of("gaussian-blur", Map.of("probability", 1.0, "min-sigma", 1.0, "max-sigma", 2.0),
                        Map.of("probability", 1.0, "min-sigma", 0.0, "max-sigma", 0.0)),
                Arguments.of("solarize", Map.of("probability", 1.0, "threshold", 0.5), Map.of("probability", 1.0, "threshold", 1.5)),
                Arguments.of("gaussian-noise", Map.of("sigma", 0.2), Map.of("sigma", 0.0)),
                Arguments.of("cutout", Map.of("size", 0.4, "count", 2), Map.of("size", 0.0)));
    }

    @Test
    void everyProviderIsRegisteredForImages() {
        List<String> ids = new ArrayList<>();
        for (Augmentation a : ServiceLoader.load(Augmentation.class)) {
            ids.add(a.id());
            assertEquals(Modality.IMAGE, a.modality());
            assertEquals(PretextApi.VERSION, a.apiVersion());
            assertFalse(a.description().isBlank());
            Options.defaults(a.options());
        }
        assertEquals(List.of("random-resized-crop", "horizontal-flip", "random-affine", "color-jitter", "grayscale", "gaussian-blur",
                "solarize", "gaussian-noise", "cutout"), ids);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("augmentations")
    void keepsShapeAndRangeIsSeededAndLeavesItsInputAlone(String id, Map<String, ?> strong, Map<String, ?> zero) {
        Transform t = create(id, strong);
        for (Example.Image image : List.of(grey, colour)) {
            float[] before = image.pixels().clone();
            Example.Image a = (Example.Image) t.apply(image, new SplittableRandom(7));
            Example.Image b = (Example.Image) t.apply(image, new SplittableRandom(7));
            assertArrayEquals(before, image.pixels(), id + " changed its input");
            assertEquals(image.height(), a.height());
            assertEquals(image.width(), a.width());
            assertEquals(image.channels(), a.channels());
            assertEquals(image.label(), a.label());
            for (float v : a.pixels()) {
                assertTrue(v >= 0f && v <= 1f, id + " left [0, 1]: " + v);
            }
            assertArrayEquals(a.pixels(), b.pixels(), id + ": the same seed must give the same view");
            boolean colourOnly = id.equals("grayscale") || id.equals("color-jitter") && image.channels() == 1;
            if (!colourOnly || image.channels() == 3) {
                assertFalse(Arrays.equals(image.pixels(), a.pixels()), id + " changed nothing at strength " + strong);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("augmentations")
    void zeroStrengthIsTheIdentity(String id, Map<String, ?> strong, Map<String, ?> zero) {
        Transform t = create(id, zero);
        for (Example.Image image : List.of(grey, colour)) {
            for (long seed = 0; seed < 5; seed++) {
                Example.Image out = (Example.Image) t.apply(image, new SplittableRandom(seed));
                assertArrayEquals(image.pixels(), out.pixels(), id + " at zero strength " + zero);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("augmentations")
    void randomOnesDifferAcrossSeeds(String id, Map<String, ?> strong, Map<String, ?> zero) {
        if (List.of("horizontal-flip", "grayscale", "solarize").contains(id)) {
            return; // deterministic once applied
        }
        Transform t = create(id, strong);
        float[] a = ((Example.Image) t.apply(colour, new SplittableRandom(1))).pixels();
        float[] b = ((Example.Image) t.apply(colour, new SplittableRandom(2))).pixels();
        assertFalse(Arrays.equals(a, b), id);
    }

    @Test
    void flipMirrorsAndTwiceIsTheIdentity() {
        Transform flip = create("horizontal-flip", Map.of("probability", 1.0));
        Example.Image once = (Example.Image) flip.apply(colour, new SplittableRandom(0));
        int w = colour.width();
        for (int y = 0; y < colour.height(); y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(colour.pixels()[(y * w + (w - 1 - x)) * 3 + c], once.pixels()[(y * w + x) * 3 + c]);
                }
            }
        }
        assertArrayEquals(colour.pixels(), ((Example.Image) flip.apply(once, new SplittableRandom(0))).pixels());
        // Probability 0.5: about half of many images are flipped.
        Transform half = create("horizontal-flip", Map.of());
        SplittableRandom r = new SplittableRandom(3);
        int flipped = 0;
        for (int i = 0; i < 1000; i++) {
            flipped += Arrays.equals(colour.pixels(), ((Example.Image) half.apply(colour, r)).pixels()) ? 0 : 1;
        }
        assertTrue(flipped > 430 && flipped < 570, "flipped " + flipped + " of 1000");
    }

    @Test
    void affineSamplesAsPyTorchGridSample() {
        // A shift of 2/W in normalized units moves the content exactly one pixel left; 90 degrees is a pixel permutation.
        int n = grey.width();
        Canvas canvas = new Canvas().load(grey);
        RandomAffine.sample(canvas, 1f, 0f, 2f / n, 0f);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float expected = x + 1 < n ? grey.pixels()[y * n + x + 1] : 0f;
                assertEquals(expected, canvas.pixels()[y * n + x], 1e-5, "shift at " + y + "," + x);
            }
        }
        canvas.load(grey);
        RandomAffine.sample(canvas, 0f, 1f, 0f, 0f);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(grey.pixels()[j * n + (n - 1 - i)], canvas.pixels()[i * n + j], 1e-5, "rotation at " + i + "," + j);
            }
        }
        // A zoom (scale < 1) keeps the centre and enlarges the strokes: mass moves outward, no black border appears.
        canvas.load(grey);
        RandomAffine.sample(canvas, 0.5f, 0f, 0f, 0f);
        float ink = 0;
        float inkZoomed = 0;
        for (int i = 0; i < n * n; i++) {
            ink += grey.pixels()[i];
            inkZoomed += canvas.pixels()[i];
        }
        assertTrue(inkZoomed > 1.5 * ink, ink + " -> " + inkZoomed);
    }

    @Test
    void cropIsABoxOfTheDrawnAreaResizedBack() {
        Transform small = create("random-resized-crop", Map.of("min-scale", 0.25, "max-scale", 0.25, "min-ratio", 1.0, "max-ratio", 1.0));
        for (long seed = 0; seed < 3; seed++) {
            float[] out = ((Example.Image) small.apply(grey, new SplittableRandom(seed))).pixels();
            // A quarter of the 32x32 area at ratio 1 is a 16x16 box somewhere in the image, enlarged 2x.
            int matches = 0;
            float[] candidate = new float[32 * 32];
            for (int top = 0; top <= 16; top++) {
                for (int left = 0; left <= 16; left++) {
                    Resampling.region(grey.pixels(), 32, 32, 1, top, left, 16, 16, candidate, 32, 32, null);
                    matches += Arrays.equals(candidate, out) ? 1 : 0;
                }
            }
            assertEquals(1, matches, "seed " + seed);
        }
    }

    @Test
    void grayscaleGivesEqualChannelsAndJitterOfGreyIgnoresColourTerms() {
        Example.Image g = (Example.Image) create("grayscale", Map.of("probability", 1.0)).apply(colour, new SplittableRandom(0));
        for (int i = 0; i < g.pixels().length; i += 3) {
            assertEquals(g.pixels()[i], g.pixels()[i + 1]);
            assertEquals(g.pixels()[i], g.pixels()[i + 2]);
        }
        Transform hueOnly = create("color-jitter", Map.of("probability", 1.0, "brightness", 0.0, "contrast", 0.0, "saturation", 0.9,
                "hue", 0.4));
        assertArrayEquals(grey.pixels(), ((Example.Image) hueOnly.apply(grey, new SplittableRandom(0))).pixels());
    }

    @Test
    void badStrengthsNameTheOption() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> create("gaussian-noise", Map.of("sigma", -1.0)));
        assertEquals("gaussian-noise.sigma", e.key());
        InvalidOptionException order = assertThrows(InvalidOptionException.class,
                () -> create("random-resized-crop", Map.of("min-scale", 0.9, "max-scale", 0.5)));
        assertEquals("random-resized-crop.min-scale", order.key());
        assertThrows(InvalidOptionException.class, () -> create("gaussian-blur", Map.of("kernel-size", 4)));
        assertThrows(InvalidOptionException.class, () -> create("horizontal-flip", Map.of("probability", 1.5)));
    }
}
